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

HEAVY = ("pandas", "numpy", "openpyxl", "fpdf", "scipy", "statsforecast")
PROBE = (
    "import json, sys, django; django.setup(); import sop_planner.urls; "
    "from django.urls import get_resolver; get_resolver().url_patterns; "
    f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
)


def test_the_url_conf_and_every_view_module_load_without_a_data_library():
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sop_planner.settings"}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=root, env=env, capture_output=True, text=True
    )
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.strip().splitlines()[-1]) == []
