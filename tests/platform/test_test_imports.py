"""No test imports from another test module or from a conftest.

A helper imported from a test module drags that module's tests into the importer's
namespace (pytest collects them twice) and ties two rooms' tests together; a conftest is
pytest's to load. Shared helpers live in tests/fixtures/*.py or tests/factories.py.
"""

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# tests.conftest and tests.<folder>.conftest, tests.test_x and tests.<folder>.test_x; also the
# bare names (`import conftest`) that pytest's rootdir-first sys.path makes importable.
FORBIDDEN = re.compile(r"^(tests(\.[a-z0-9_]+)*\.)?(test_[a-z0-9_]+|conftest)$")


def absolute_module(node: ast.ImportFrom, name: str) -> str:
    """The module an ImportFrom names, with a relative one (`from .conftest import x`)
    resolved against the importing file's package (name is its path from the repo root)."""
    if not node.level:
        return node.module or ""
    package = Path(name).parent.parts
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *filter(None, [node.module])])


def forbidden_imports(source: str, name: str) -> list[str]:
    """'name:line imports module' for each import of a test module or a conftest."""
    found = []
    imports = [
        node
        for node in ast.walk(ast.parse(source, filename=name))
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    for node in sorted(imports, key=lambda node: node.lineno):
        if isinstance(node, ast.ImportFrom):
            module = absolute_module(node, name)
            modules = [module] + [f"{module}.{alias.name}".lstrip(".") for alias in node.names]
        else:
            modules = [alias.name for alias in node.names]
        forbidden = next((module for module in modules if FORBIDDEN.match(module)), None)
        if forbidden:
            found.append(f"{name}:{node.lineno} imports {forbidden}")
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
            "from tests.conftest import wait_for",
            "from tests import conftest",
            "from .conftest import CHROMIUM",
            "from ..conftest import wait_for",
            "import conftest",
            "from tests.browser.waiting import wait_until",
            "from . import helpers",
            "from tests.fixtures.waiting import wait_for",
            "from tests.cycles.test_gates import test_helper",
        ]
    )
    assert forbidden_imports(source, "tests/x/test_y.py") == [
        "tests/x/test_y.py:2 imports tests.cycles.conftest",
        "tests/x/test_y.py:3 imports tests.demand.test_overrides",
        "tests/x/test_y.py:4 imports tests.browser.test_demand_grid",
        "tests/x/test_y.py:6 imports tests.uploads.conftest",
        "tests/x/test_y.py:9 imports tests.conftest",
        "tests/x/test_y.py:10 imports tests.conftest",
        "tests/x/test_y.py:11 imports tests.x.conftest",
        "tests/x/test_y.py:12 imports tests.conftest",
        "tests/x/test_y.py:13 imports conftest",
        "tests/x/test_y.py:17 imports tests.cycles.test_gates",
    ]
