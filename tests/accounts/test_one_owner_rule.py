"""Ownership is one rule, in the permission module: no app compares owners by hand, and
no public service writes without asking it."""

import re
from pathlib import Path

from accounts.roles import ACTION_WORDS, OWNERSHIP, PERMISSIONS, STAGES
from cycles.measures import MEASURES
from cycles.stages import Stage

ROOT = Path(__file__).resolve().parents[2]
PERMISSION_MODULE = ROOT / "accounts" / "permissions.py"
# `x.owner_id` / `x.owner` compared with somebody, in code or a template.
OWNER_CHECK = re.compile(r"owner_id\s*[!=]=|[!=]=\s*[\w.]*owner(_id)?\b|in \([^)]*owner_id")
SKIPPED = {".venv", "node_modules", "migrations", "tests", ".git", "bench"}


def _sources():
    for path in ROOT.rglob("*"):
        if path.suffix in {".py", ".html"} and not SKIPPED & set(path.relative_to(ROOT).parts):
            yield path


def test_no_owner_check_outside_the_permission_module():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        if path != PERMISSION_MODULE
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OWNER_CHECK.search(line)
    ]
    assert not found, "ask accounts.permissions.can(user, action, obj) instead:\n" + "\n".join(
        found
    )


def test_the_check_finds_a_hand_written_owner_rule():
    for line in (
        "if cycle.owner_id != actor.pk:",
        "return run.cycle.owner_id == user.pk or can(user, 'forecast.run')",
        "if actor.pk not in (item.owner_id, item.cycle.owner_id):",
        "{% if user.pk == cycle.owner_id %}",
    ):
        assert OWNER_CHECK.search(line), line


def test_ownership_and_stages_name_real_actions_and_stages():
    assert set(OWNERSHIP) <= set(PERMISSIONS) and set(STAGES) <= set(PERMISSIONS)
    assert set(ACTION_WORDS) == set(PERMISSIONS)
    stages = {stage.value for stage in Stage}
    assert all(open_in and open_in <= stages for open_in in STAGES.values())


def test_a_measure_is_never_editable_where_its_action_is_closed():
    """The measures registry may narrow an action's stages (a price), never widen them."""
    for measure in MEASURES.values():
        for stage, action in measure.edit.items():
            if action in STAGES:
                assert stage.value in STAGES[action], (measure.code, stage, action)


SEEDERS = {"demo", "bench", "tests", "accounts"}


def test_roles_are_seeded_without_a_check_only_by_the_demo_benchmarks_and_fixtures():
    callers = {
        path.relative_to(ROOT).parts[0]
        for path in ROOT.rglob("*.py")
        if not {".venv", "node_modules"} & set(path.relative_to(ROOT).parts)
        and "user_roles_seed" in path.read_text()
    }
    assert callers and callers <= SEEDERS, callers - SEEDERS


def test_unchecked_writers_stay_private_to_their_app():
    public = re.compile(r"\b(supply_plan_write|user_set_roles)\b")
    found = [
        str(path.relative_to(ROOT))
        for path in _sources()
        if path.suffix == ".py" and public.search(path.read_text())
    ]
    assert not found, found
