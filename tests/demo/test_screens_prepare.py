"""bin/screens prepares the latest released cycle with two scenarios to compare, once."""

import json
from datetime import date

import pytest
from django.db import connection

from accounts.roles import Role
from cycles.models import Cycle
from demo.screens import screens_prepare
from reconciliation.models import Scenario
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db


def test_the_latest_released_cycle_gets_two_scenarios_once(company, users_by_role, tmp_path):
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    CycleFactory(month=date(2026, 9, 1), owner=manager, released=True)
    latest = CycleFactory(month=date(2026, 10, 1), owner=manager, released=True)
    Cycle.objects.create(month=date(2026, 11, 1), owner=manager)  # open: not shown
    out = tmp_path / "screens.json"
    plan = screens_prepare(out)
    assert plan["cycle"] == latest.pk and plan["month"] == "2026-10"
    assert json.loads(out.read_text()) == plan
    assert screens_prepare(out)["scenarios"] == plan["scenarios"]  # a second run adds nothing
    if connection.vendor == "postgresql":  # its triggers lock a released cycle: nothing added
        assert plan["scenarios"] == [] and not Scenario.objects.exists()
        return
    assert Scenario.objects.filter(cycle=latest).count() == 2
    assert all(s.changes.count() == 1 for s in Scenario.objects.all())


def test_without_a_released_cycle_it_says_what_to_run(db, tmp_path):
    with pytest.raises(SystemExit, match=r"run `manage\.py seed_demo` first"):
        screens_prepare(tmp_path / "screens.json")
