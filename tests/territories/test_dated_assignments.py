"""Sales reps and planners assigned to territories with dates: moves keep history,
overlaps are refused naming the dates, only the Sales Ops Manager assigns."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.permissions import can
from accounts.roles import Role
from audit.models import AuditEvent
from sop_planner.errors import DomainError, NotAllowed
from territories import selectors, services
from territories.models import RepAssignment, TerritoryAssignment
from tests.factories import SalesRepFactory

pytestmark = pytest.mark.django_db
SOM = Role.SALES_OPS_MANAGER


def test_a_rep_moving_on_1_march_keeps_february_in_the_old_territory(users_by_role, company):
    rep = SalesRepFactory()
    old, new = company.territories[0], company.territories[1]
    manager = users_by_role[SOM]
    services.rep_assign(
        actor=manager, rep_id=rep.pk, territory_id=old.pk, valid_from=date(2026, 1, 1)
    )
    services.rep_move(actor=manager, rep_id=rep.pk, territory_id=new.pk, on=date(2026, 3, 1))
    assert list(selectors.reps_in(old.pk, date(2026, 2, 28))) == [rep]
    assert list(selectors.reps_in(new.pk, date(2026, 2, 28))) == []
    assert list(selectors.reps_in(new.pk, date(2026, 3, 1))) == [rep]
    history = [
        (a.territory, a.valid_from, a.valid_to) for a in rep.assignments.order_by("valid_from")
    ]
    assert history == [(old, date(2026, 1, 1), date(2026, 2, 28)), (new, date(2026, 3, 1), None)]
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["rep.assign", "rep.assignment_end", "rep.assign"]


def test_an_overlapping_assignment_is_refused_naming_the_dates(users_by_role, company):
    rep = SalesRepFactory(name="Ann Rep")
    manager = users_by_role[SOM]
    services.rep_assign(
        actor=manager,
        rep_id=rep.pk,
        territory_id=company.territories[0].pk,
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 6, 30),
    )
    with pytest.raises(
        DomainError, match=r"2026-01-01 to 2026-06-30, which overlaps from 2026-06-01"
    ):
        services.rep_assign(
            actor=manager,
            rep_id=rep.pk,
            territory_id=company.territories[1].pk,
            valid_from=date(2026, 6, 1),
        )
    assert RepAssignment.objects.count() == 1


def test_an_end_before_the_start_is_refused(users_by_role, company):
    rep = SalesRepFactory()
    with pytest.raises(
        DomainError, match="would end on 2026-01-31, before it starts on 2026-02-01"
    ):
        services.rep_assign(
            actor=users_by_role[SOM],
            rep_id=rep.pk,
            territory_id=company.territories[0].pk,
            valid_from=date(2026, 2, 1),
            valid_to=date(2026, 1, 31),
        )


@pytest.mark.parametrize("role", [r for r in Role if r is not SOM], ids=lambda r: r.name)
def test_only_the_manager_assigns_with_dates(users_by_role, company, role):
    rep = SalesRepFactory()
    with pytest.raises(NotAllowed):
        services.rep_assign(
            actor=users_by_role[role],
            rep_id=rep.pk,
            territory_id=company.territories[0].pk,
            valid_from=date(2026, 1, 1),
        )
    assert not RepAssignment.objects.exists() and not AuditEvent.objects.exists()


def test_a_planners_scope_follows_todays_assignment_and_keeps_history(
    users_by_role, user_with_role, company
):
    manager = users_by_role[SOM]
    planner = user_with_role(Role.DEMAND_PLANNER)
    today = timezone.localdate()
    past, future = company.territories[2], company.territories[3]
    row = services.planner_assign_dated(
        actor=manager,
        user_id=planner.pk,
        territory_id=past.pk,
        valid_from=today - timedelta(days=60),
    )
    services.planner_assignment_end(
        actor=manager, assignment_id=row.pk, valid_to=today - timedelta(days=1)
    )
    services.planner_assign_dated(
        actor=manager,
        user_id=planner.pk,
        territory_id=future.pk,
        valid_from=today + timedelta(days=5),
    )
    planner = type(planner).objects.get(pk=planner.pk)
    assert not can(planner, "plan.demand.edit", territory_id=past.pk)
    assert not can(planner, "plan.demand.edit", territory_id=future.pk)
    assert TerritoryAssignment.objects.filter(user=planner).count() == 2
    services.planner_assign_dated(
        actor=manager, user_id=planner.pk, territory_id=past.pk, valid_from=today
    )
    planner = type(planner).objects.get(pk=planner.pk)
    assert can(planner, "plan.demand.edit", territory_id=past.pk)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_the_assignments_page_offers_assigning_to_the_manager_only(
    client, users_by_role, company, role
):
    rep = SalesRepFactory(name="Bo Rep")
    client.force_login(users_by_role[role])
    page = client.get(reverse("territories:assignments"))
    assert page.status_code == 200 and "Bo Rep" in page.content.decode()
    assert ('id="rep-assign"' in page.content.decode()) is (role is SOM)
    data = {
        "assign-rep": rep.pk,
        "assign-territory": company.territories[0].pk,
        "assign-valid_from": "2026-01-01",
    }
    client.post(reverse("territories:rep-assign"), data)
    assert RepAssignment.objects.filter(rep=rep).exists() is (role is SOM)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_the_sales_reps_api_lists_history_and_only_the_manager_assigns(
    users_by_role, company, role
):
    rep = SalesRepFactory(email="cy@example.com")
    RepAssignment.objects.create(
        rep=rep,
        territory=company.territories[0],
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 12, 31),
    )
    api = APIClient()
    api.force_authenticate(users_by_role[role])
    listed = api.get("/api/sales-reps/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[0]["assignments"] == [
        {
            "id": rep.assignments.get().pk,
            "territory": company.territories[0].code,
            "valid_from": "2025-01-01",
            "valid_to": "2025-12-31",
        }
    ]
    answer = api.post(
        f"/api/sales-reps/{rep.pk}/move/",
        {"territory": company.territories[1].code, "on": "2026-03-01"},
        format="json",
    )
    assert answer.status_code == (201 if role is SOM else 403)
    created = api.post(
        "/api/sales-reps/", {"name": "New", "email": "new@example.com"}, format="json"
    )
    assert created.status_code == (201 if role is SOM else 403)


def test_the_page_names_what_is_wrong_and_saves_nothing(client, users_by_role, company):
    rep = SalesRepFactory()
    client.force_login(users_by_role[SOM])
    data = {
        "assign-rep": rep.pk,
        "assign-territory": company.territories[0].pk,
        "assign-valid_from": "1 March",
    }
    page = client.post(reverse("territories:rep-assign"), data, follow=True)
    assert "Nothing was saved. From: Enter a valid date." in page.content.decode()
    assert not RepAssignment.objects.exists()


def test_the_users_page_lists_only_todays_territories(client, users_by_role, company):
    manager = users_by_role[SOM]
    planner = users_by_role[Role.DEMAND_PLANNER]
    services.planner_unassign(actor=manager, territory=company.territories[0], user=planner)
    services.planner_assign(actor=manager, territory=company.territories[1], user=planner)
    client.force_login(users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    page = client.get("/accounts/users/").content.decode()
    row = page[page.index(planner.username) :].split("</tr>")[0]
    assert company.territories[1].name in row and company.territories[0].name not in row
    assert TerritoryAssignment.objects.filter(user=planner).count() == 2  # history kept
