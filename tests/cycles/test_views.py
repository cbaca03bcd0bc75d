"""The cycle screens: the board offers exactly the user's buttons; history, CSV, versions."""

import csv
import io
from datetime import date

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import services
from cycles.calendar import add_months, month_start
from cycles.models import Cycle
from cycles.plan_services import plan_value_set
from cycles.stages import Stage
from tests.factories import CycleFactory, mark_released
from tests.fixtures.cycles import MONTH, baseline_from_run

pytestmark = pytest.mark.django_db

SOM, DP, SP, EXE = Role.SALES_OPS_MANAGER, Role.DEMAND_PLANNER, Role.SUPPLY_PLANNER, Role.EXECUTIVE
BUTTONS = {
    "advance": 'id="advance"',
    "send_back": 'id="send-back"',
    "waive": 'id="waive"',
    "submit_demand": 'class="submit-demand"',
    "submit_supply": 'id="submit-supply"',
    "sign_off": 'id="go-sign-off"',
    "due_dates": 'id="due-dates"',
}
# (role, stage) -> the buttons the board shows in a fresh cycle with open items.
EXPECTED_BUTTONS = {
    (SOM, Stage.DATA_GATHERING): {"advance", "waive", "due_dates"},
    (SOM, Stage.DEMAND_PLANNING): {"advance", "waive", "due_dates"},
    (SOM, Stage.SUPPLY_PLANNING): {"advance", "waive", "due_dates"},
    (SOM, Stage.RECONCILIATION): {"advance", "send_back", "waive", "due_dates"},
    (SOM, Stage.SIGN_OFF): {"due_dates"},
    (DP, Stage.DEMAND_PLANNING): {"submit_demand"},
    (SP, Stage.SUPPLY_PLANNING): {"submit_supply"},
    (EXE, Stage.SIGN_OFF): {"sign_off"},
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_the_board_shows_only_the_buttons_the_user_may_press(role, users_by_role, manager, client):
    client.force_login(users_by_role[role])
    for stage in Stage:
        with transaction.atomic():
            cycle = services.cycle_open(actor=manager, month=MONTH)
            Cycle.objects.filter(pk=cycle.pk).update(stage=stage.value)
            body = client.get("/cycles/").content.decode()
            shown = {name for name, marker in BUTTONS.items() if marker in body}
            assert shown == EXPECTED_BUTTONS.get((role, stage), set()), (role, stage)
            transaction.set_rollback(True)


def test_the_board_names_who_must_act_and_the_due_dates(cycle, planners, company, client, manager):
    client.force_login(manager)
    body = client.get("/cycles/").content.decode()
    assert f"Territory {company.territories[0].name} has no actuals for 2026-10" in body
    assert planners[0].get_full_name() in body
    assert "due Wed 4 Nov" in body  # working day 3 of Nov 2026
    assert "Upload actuals for 2026-10" in body


def test_a_refused_advance_shows_the_open_items_and_changes_nothing(cycle, client, manager):
    client.force_login(manager)
    response = client.post(f"/cycles/{cycle.pk}/advance/", {"stage": cycle.stage}, follow=True)
    assert "cannot end yet: 4 open items are left" in response.content.decode()
    assert Cycle.objects.get().stage == Stage.DATA_GATHERING


def test_the_manager_opens_a_cycle_from_the_board(company, client, manager):
    client.force_login(manager)
    response = client.post("/cycles/open/", {"month": "2026-11"}, follow=True)
    assert "Cycle opened." in response.content.decode()
    assert Cycle.objects.get().month == MONTH


def test_the_sign_off_page_offers_approve_and_reject_to_executives_only(
    cycle, walk, users_by_role, client
):
    cycle = walk(cycle, Stage.SIGN_OFF)
    client.force_login(users_by_role[SOM])
    assert 'id="approve"' not in client.get(f"/cycles/{cycle.pk}/sign-off/").content.decode()
    client.force_login(users_by_role[EXE])
    page = client.get(f"/cycles/{cycle.pk}/sign-off/").content.decode()
    assert 'id="approve"' in page and 'id="reject"' in page
    response = client.post(f"/cycles/{cycle.pk}/decide/", {"decision": "reject"}, follow=True)
    assert "needs a comment" in response.content.decode()
    client.post(f"/cycles/{cycle.pk}/decide/", {"decision": "approve", "comment": "ok"})
    assert Cycle.objects.get().is_released


@pytest.fixture
def edited(cycle, walk, planners, company, manager):
    cycle = baseline_from_run(walk(cycle, Stage.DEMAND_PLANNING), company, manager)
    plan_value_set(
        actor=planners[0],
        cycle_id=cycle.pk,
        measure="override",
        product_id=company.products[0].pk,
        territory_id=company.territories[0].pk,
        month=date(2026, 12, 1),
        value=42,
        expected_row_version=0,
        reason="Big order",
    )
    return walk(cycle, Stage.SUPPLY_PLANNING)


def test_history_filters_by_user_stage_territory_and_product(edited, planners, company, client):
    client.force_login(planners[1])
    base = f"/cycles/history/?cycle={edited.pk}"
    by_user = client.get(f"{base}&user={planners[0].username}").content.decode()
    assert "plan.value_set" in by_user and "cycle.advance" not in by_user
    by_stage = client.get(f"{base}&stage=demand_planning").content.decode()
    assert "plan.value_set" in by_stage and "cycle.open" not in by_stage
    by_product = client.get(f"{base}&product={company.products[0].pk}").content.decode()
    assert "Big order" in by_product and "plan.submit" not in by_product
    by_territory = client.get(f"{base}&territory={company.territories[1].pk}").content.decode()
    assert "plan.submit" in by_territory and "Big order" not in by_territory


def test_history_exports_the_filtered_trail_as_csv(edited, planners, client):
    client.force_login(planners[0])
    response = client.get(
        f"/cycles/history/?cycle={edited.pk}&user={planners[0].username}&format=csv"
    )
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["action"] for row in rows} == {"plan.value_set", "plan.submit"}
    edit = next(row for row in rows if row["action"] == "plan.value_set")
    assert edit["who"] == planners[0].username and edit["why"] == "Big order"
    assert '"value": "42"' in edit["after"]


def test_the_version_page_compares_two_versions(edited, client, manager):
    client.force_login(manager)
    versions = list(edited.versions.order_by("seq"))
    body = client.get(
        f"/cycles/{edited.pk}/compare/?a={versions[0].seq}&b={versions[1].seq}"
    ).content.decode()
    assert "1 changed figure" in body and "override" in body and ">42<" in body


def test_the_api_lists_cycles_versions_comparison_and_audit(edited, manager):
    api = APIClient()
    api.force_authenticate(manager)
    cycles = api.get("/api/cycles/").json()["results"]
    assert cycles[0]["stage"] == "supply_planning"
    assert cycles[0]["open_items"] == ["Supply plan not submitted"]
    versions = api.get(f"/api/cycles/{edited.pk}/versions/").json()
    assert [v["label"] for v in versions] == [
        f"Baseline (forecast run #{edited.forecast_runs.get().pk})",
        "S&OP 2026-11 · Demand planning → Supply planning",
    ]
    changes = api.get(
        f"/api/cycles/{edited.pk}/compare/?a={versions[0]['seq']}&b={versions[1]['seq']}"
    ).json()["results"]  # paginated like every list
    assert [(c["measure"], c["before"], c["after"]) for c in changes] == [
        ("override", None, "42.0000")
    ]
    audit = api.get(f"/api/audit/?cycle={edited.pk}&stage=demand_planning").json()["results"]
    assert "plan.value_set" in {event["action"] for event in audit}
    assert api.get(f"/api/cycles/{edited.pk}/compare/?a=x").status_code == 400


def test_the_api_answers_a_blocked_move_with_its_open_items(cycle, manager):
    api = APIClient()
    api.force_authenticate(manager)
    response = api.post(f"/api/cycles/{cycle.pk}/advance/", {"stage": "data_gathering"})
    assert response.status_code == 400
    assert len(response.json()["items"]) == 4
    stale = api.post(f"/api/cycles/{cycle.pk}/advance/", {"stage": "sign_off"})
    assert stale.status_code == 409


def test_the_home_page_leads_the_manager_to_the_board(cycle, client, manager):
    client.force_login(manager)
    body = client.get("/").content.decode()
    assert '<a href="/cycles/">Move S&amp;OP 2026-11 on from Data gathering</a>' in body


def test_the_owner_moves_a_due_date_and_it_is_audited(cycle, client, manager, user_with_role):
    client.force_login(manager)
    client.post(f"/cycles/{cycle.pk}/due-date/", {"stage": "demand_planning", "due": "2026-11-12"})
    cycle.refresh_from_db()
    assert cycle.due_date(Stage.DEMAND_PLANNING) == date(2026, 11, 12)
    event = AuditEvent.objects.get(action="cycle.due_date")
    assert event.before["due"] == "2026-11-10" and event.after["due"] == "2026-11-12"
    other = user_with_role(Role.SALES_OPS_MANAGER)
    client.force_login(other)
    response = client.post(
        f"/cycles/{cycle.pk}/due-date/",
        {"stage": "demand_planning", "due": "2026-11-20"},
        follow=True,
    )
    assert "Only the cycle owner" in response.content.decode()
    response = client.post(
        f"/cycles/{cycle.pk}/due-date/", {"stage": "demand_planning", "due": "soon"}, follow=True
    )
    assert "YYYY-MM-DD" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.due_date(Stage.DEMAND_PLANNING) == date(2026, 11, 12)


def test_the_api_enters_a_figure_and_answers_409_to_a_stale_edit(
    cycle, walk, users_by_role, company
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    api = APIClient()
    api.force_authenticate(users_by_role[Role.FINANCE])
    figure = {
        "measure": "budget_units",
        "product": company.products[0].pk,
        "territory": company.territories[0].pk,
        "month": "2026-12-01",
        "value": "12.5",
        "expected_row_version": 0,
    }
    first = api.post(f"/api/cycles/{cycle.pk}/values/", figure, format="json")
    assert first.status_code == 200 and first.json()["row_version"] == 1
    stale = api.post(f"/api/cycles/{cycle.pk}/values/", {**figure, "value": "99"}, format="json")
    assert stale.status_code == 409 and "reload" in stale.json()["detail"]
    api.force_authenticate(users_by_role[Role.DEMAND_PLANNER])
    assert api.post(f"/api/cycles/{cycle.pk}/values/", figure, format="json").status_code == 403


def test_opening_a_cycle_for_a_garbled_month_says_how_to_write_it(company, client, manager):
    client.force_login(manager)
    response = client.post("/cycles/open/", {"month": "Nov"}, follow=True)
    assert "not a month: write it as YYYY-MM" in response.content.decode()
    assert not Cycle.objects.exists()


def test_the_board_marks_an_overdue_stage(company, client, manager):
    two_months_ago = add_months(month_start(date.today()), -2)
    services.cycle_open(actor=manager, month=two_months_ago)
    client.force_login(manager)
    assert 'class="overdue"' in client.get("/cycles/").content.decode()


def test_a_version_downloads_as_csv(edited, client, manager, built_csv):
    client.force_login(manager)
    seq = edited.versions.get(label__endswith="Demand planning → Supply planning").seq
    text = built_csv(client, edited.pk, seq)
    rows = list(csv.DictReader(io.StringIO(text)))
    overrides = [(r["month"], float(r["value"])) for r in rows if r["measure"] == "override"]
    assert overrides == [("2026-12", 42)]
    earlier = built_csv(client, edited.pk, seq - 1)  # the baseline
    assert ",override," not in earlier
    assert client.post(f"/cycles/{edited.pk}/versions/latest.csv").status_code == 404


def test_a_new_action_item_names_no_owner_until_one_is_chosen(cycle, client, manager):
    client.force_login(manager)
    board = client.get("/cycles/").content.decode()
    owner = board[board.index('<select name="owner"') :]
    owner = owner[: owner.index("</select>")]
    assert "required" in owner.split(">")[0]
    assert '<option value="">Who does it?</option>' in owner
    assert "selected" not in owner
    page = client.post(
        f"/collaboration/cycles/{cycle.pk}/action-items/",
        {"title": "Chase Baltic", "owner": ""},
        follow=True,
    ).content.decode()
    assert "owner" in page.lower() and not cycle.action_items.exists()


def test_a_new_cycle_is_offered_only_while_none_is_in_progress(cycle, client, manager):
    client.force_login(manager)
    released = CycleFactory(month=date(2026, 10, 1), owner=manager, released=True)
    assert 'id="open-cycle"' not in client.get(f"/cycles/?cycle={released.pk}").content.decode()
    assert 'id="open-cycle"' not in client.get("/cycles/").content.decode()
    mark_released(cycle)
    board = client.get(f"/cycles/?cycle={released.pk}").content.decode()
    assert 'id="open-cycle"' in board and 'value="2026-12"' in board


def test_a_version_csv_holds_every_figure_of_the_plan_in_order(
    edited, client, manager, users_by_role, company, built_csv
):
    for month in (date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)):
        plan_value_set(
            actor=users_by_role[Role.SUPPLY_PLANNER], cycle_id=edited.pk, measure="capacity",
            value=7, month=month, product_id=company.products[0].pk,
            territory_id=company.territories[0].pk, expected_row_version=0, reason="More",
        )  # fmt: skip
    client.force_login(manager)
    lines = built_csv(client, edited.pk, "now").splitlines()
    assert sum(line.startswith("capacity,") for line in lines) == 3
    rows = [tuple(line.split(",")[:4]) for line in lines[1:]]
    assert len(rows) == edited.plan_values.filter(valid_to_seq__isnull=True).count() > 100
    assert rows == sorted(rows)  # by measure, SKU, territory and month
