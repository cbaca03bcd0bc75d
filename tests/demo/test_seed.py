from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.permissions import user_roles
from accounts.roles import Role
from cycles.models import Cycle
from forecasting.models import SalesActual
from territories.models import Territory
from tests.fixtures.shared_data import module_data

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module; each test's changes are rolled back after it."""
    yield from module_data(
        django_db_blocker, lambda: call_command("seed_demo", today=TODAY, scale=24, verbosity=0)
    )


def test_every_role_has_a_demo_login(seeded):
    roles = set().union(*(user_roles(u) for u in get_user_model().objects.all()))
    assert roles == set(Role)


def test_demand_planners_plan_their_regions_territories(seeded):
    north = get_user_model().objects.get(username="planner-north")
    planned = set(north.planned_territories.values_list("region__code", flat=True))
    assert planned == {"north"} and north.planned_territories.count() == 3


def test_one_open_cycle_for_the_current_month(seeded):
    cycle = Cycle.objects.get(status=Cycle.Status.OPEN)
    assert cycle.month == date(2026, 11, 1) and cycle.status == Cycle.Status.OPEN
    assert cycle.owner.username == "manager"


def test_one_territory_still_owes_last_months_actuals(seeded):
    reported = set(
        SalesActual.objects.filter(period=date(2026, 10, 1)).values_list(
            "territory__code", flat=True
        )
    )
    missing = set(Territory.objects.values_list("code", flat=True)) - reported
    assert missing == {"baltic"}


def test_seeding_again_changes_nothing_and_keeps_edits(seeded):
    territory = Territory.objects.get(code="iberia")
    territory.name = "Iberia & Islands"
    territory.save()
    rows = SalesActual.objects.count()
    call_command("seed_demo", today=TODAY, scale=24, verbosity=0)
    assert SalesActual.objects.count() == rows
    assert Territory.objects.get(code="iberia").name == "Iberia & Islands"
    assert Cycle.objects.count() == 13 and get_user_model().objects.count() == 13


def test_seeding_a_month_later_keeps_the_cycle_in_progress_and_opens_no_second(seeded):
    """bin/run seeds on every start: a demo from last month keeps its cycle in progress."""
    cycles = list(Cycle.objects.order_by("month").values_list("month", "status"))
    call_command("seed_demo", today=date(2026, 12, 3), scale=24, verbosity=0)
    assert list(Cycle.objects.order_by("month").values_list("month", "status")) == cycles
    assert Cycle.objects.get(status=Cycle.Status.OPEN).month == date(2026, 11, 1)


def test_the_demo_has_reps_one_moved_and_a_locked_quota_year(seeded):
    from quotas.models import QuotaYear
    from territories.models import RepAssignment, SalesRep

    assert SalesRep.objects.count() == Territory.objects.filter(is_active=True).count()
    moved = [rep for rep in SalesRep.objects.all() if rep.assignments.count() == 2]
    assert len(moved) == 1
    before, after = moved[0].assignments.order_by("valid_from")
    assert after.valid_from == date(2026, 7, 1) and before.valid_to == date(2026, 6, 30)
    assert RepAssignment.objects.filter(valid_to__isnull=True).count() == SalesRep.objects.count()
    years = {year.fiscal_year: year for year in QuotaYear.objects.all()}
    assert sorted(years) == [2026, 2027]
    assert {year.status for year in years.values()} == {"locked"}
    released = Cycle.objects.filter(status="released")
    assert years[2027].source_cycle == released.order_by("-month").first()
    assert years[2026].source_cycle == released.get(month=date(2026, 1, 1))
    assert all(year.lines.filter(rep__isnull=False).exists() for year in years.values())
