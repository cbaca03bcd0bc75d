"""No test imports from another test module or from a conftest.

A helper imported from a test module drags that module's tests into the importer's
namespace (pytest collects them twice) and ties two rooms' tests together; a conftest is
pytest's to load. Shared helpers live in tests/fixtures/*.py or tests/factories.py.
"""

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile(r"^tests\.[a-z0-9_.]*(\.test_[a-z0-9_]+|\.conftest)$")


def forbidden_imports(source: str, name: str) -> list[str]:
    """'name:line imports module' for each import of a tests.*.test_* module or a tests.*.conftest."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        found += [
            f"{name}:{node.lineno} imports {module}"
            for module in modules
            if FORBIDDEN.match(module)
        ]
    return found


def test_no_test_imports_from_a_test_module_or_a_conftest():
    found = [
        problem
        for path in sorted(TESTS.rglob("*.py"))
        for problem in forbidden_imports(path.read_text(), str(path.relative_to(TESTS.parent)))
    ]
    assert not found, "move the helper to tests/fixtures/ or tests/factories.py:\n" + "\n".join(
        found
    )


def test_the_check_names_each_forbidden_import_by_file_and_line():
    source = "\n".join(
        [
            "from tests.fixtures.cycles import MONTH",
            "from tests.cycles.conftest import load_budget",
            "import tests.demand.test_overrides",
            "from tests.browser import test_demand_grid",
            "def helper():",
            "    from tests.uploads.conftest import committed",
            "from tests.factories import UserFactory",
            "from tests.supply.plan_data import put",
        ]
    )
    assert forbidden_imports(source, "tests/x/test_y.py") == [
        "tests/x/test_y.py:2 imports tests.cycles.conftest",
        "tests/x/test_y.py:3 imports tests.demand.test_overrides",
        "tests/x/test_y.py:4 imports tests.browser.test_demand_grid",
        "tests/x/test_y.py:6 imports tests.uploads.conftest",
    ]
