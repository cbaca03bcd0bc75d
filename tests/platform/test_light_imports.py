"""Starting the app imports no data library: pandas, numpy, openpyxl and fpdf cost seconds.

The URL conf used to import them all (through gates, pack and upload views), so
the first request of every process waited about 5 s, the login page included.
They are imported where a file is read or written, or a forecast or score computed.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("pandas", "numpy", "openpyxl", "fpdf", "scipy", "statsforecast", "pyarrow", "statsmodels")
PROBE = (
    "import json, sys, django; django.setup(); import sop_planner.urls; "
    "from django.urls import get_resolver; get_resolver().url_patterns; "
    f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
)


# What a first request of any page or API read may import: every app's views, API, forms
# and selectors (services and tasks may import a data library where they compute).
PAGE_MODULES = (
    "import importlib, json, sys, django; django.setup(); "
    "from django.apps import apps; from django.conf import settings; "
    "ours = [a for a in apps.get_app_configs() if a.path.startswith(str(settings.BASE_DIR))]; "
    "names = [f'{a.name}.{m}' for a in ours for m in ('views', 'api', 'forms', 'selectors')]; "
    "[importlib.import_module(n) for n in names "
    " if importlib.util.find_spec(n) is not None]; "
    f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
)


def _heavy_after(probe_code: str) -> list[str]:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sop_planner.settings"}
    probe = subprocess.run(
        [sys.executable, "-c", probe_code], cwd=root, env=env, capture_output=True, text=True
    )
    assert probe.returncode == 0, probe.stderr
    return json.loads(probe.stdout.strip().splitlines()[-1])


def test_the_url_conf_and_every_view_module_load_without_a_data_library():
    assert _heavy_after(PROBE) == []


def test_no_page_view_api_form_or_selector_module_imports_a_data_library():
    """The first request of a process imports the modules of the page it asks for:
    a data library imported at the top of one of them would cost seconds again."""
    assert _heavy_after(PAGE_MODULES) == []


def test_the_api_schema_generator_is_imported_only_when_the_schema_is_asked_for():
    """drf_spectacular's views import its whole generator: only /api/schema/ needs it."""
    probe = PROBE.replace(f"{HEAVY!r}", "('drf_spectacular.views', 'drf_spectacular.generators')")
    assert _heavy_after(probe) == []


def test_the_web_application_has_its_url_conf_loaded_before_its_first_request():
    """A new web worker imports the views at boot, not while its first user waits."""
    probe = (
        "import json, sys; import sop_planner.wsgi; "
        "print(json.dumps(sorted(m for m in ('sop_planner.urls', 'accounts.views', "
        "'cycles.views') if m in sys.modules)))"
    )
    assert _heavy_after(probe) == ["accounts.views", "cycles.views", "sop_planner.urls"]
