"""Every function that acts for a person types its `actor`, in a module mypy checks.

A module that writes state on behalf of a user outside a services.py (plan_services,
decisions, assignments...) is as much a write path as services.py; left out of
[tool.mypy] files, an untyped `actor` there lets a wrong argument through unchecked.
"""

import ast
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_APP_CODE = ("tests", "bench", "bin", "node_modules", "staticfiles")


def checked_patterns(pyproject: str) -> list[str]:
    """[tool.mypy] files as glob patterns: a folder entry covers what is under it."""
    files = tomllib.loads(pyproject)["tool"]["mypy"]["files"]
    return [f"{entry}*" if entry.endswith("/") else entry for entry in files]


def actor_problems(source: str, name: str, patterns: list[str]) -> list[str]:
    """'name:line function: why' for each function taking an `actor` left unchecked."""
    checked = any(fnmatch(name, pattern) for pattern in patterns)
    problems = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        actor = next((a for a in arguments if a.arg == "actor"), None)
        if actor is None:
            continue
        if not checked:
            problems.append(f"{name}:{node.lineno} {node.name}: module not in [tool.mypy] files")
        elif actor.annotation is None:
            problems.append(f"{name}:{node.lineno} {node.name}: actor has no type")
    return problems


def app_modules() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.glob("*/**/*.py"))
        if path.relative_to(ROOT).parts[0] not in NOT_APP_CODE
        and not path.relative_to(ROOT).parts[0].startswith(".")
        and "migrations" not in path.parts
    ]


def test_every_actor_is_typed_in_a_module_mypy_checks():
    patterns = checked_patterns((ROOT / "pyproject.toml").read_text())
    found = [
        problem
        for path in app_modules()
        for problem in actor_problems(path.read_text(), str(path.relative_to(ROOT)), patterns)
    ]
    assert not found, "type `actor: User` and list the module in [tool.mypy] files:\n" + (
        "\n".join(found)
    )


def test_the_check_names_an_untyped_actor_and_an_unchecked_module():
    patterns = checked_patterns('[tool.mypy]\nfiles = ["*/services.py", "forecasting/engine/"]')
    source = "\n".join(
        [
            "def typed(*, actor: User, cycle_id: int) -> None: ...",
            "def untyped(*, actor, cycle_id: int) -> None: ...",
            "def no_actor(*, user_id: int) -> None: ...",
        ]
    )
    assert actor_problems(source, "cycles/services.py", patterns) == [
        "cycles/services.py:2 untyped: actor has no type"
    ]
    assert actor_problems(source, "cycles/plan_services.py", patterns) == [
        "cycles/plan_services.py:1 typed: module not in [tool.mypy] files",
        "cycles/plan_services.py:2 untyped: module not in [tool.mypy] files",
    ]
    assert actor_problems(source, "forecasting/engine/run.py", patterns) == [
        "forecasting/engine/run.py:2 untyped: actor has no type"
    ]
