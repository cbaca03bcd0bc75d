"""A button is shown exactly when its action would be accepted.

For every role x action x stage (and a released cycle), as the cycle's owner and as
somebody else: ask the page or the selector that decides the button, then attempt the
action through its service, and assert the two agree. Moves between stages are left
out on purpose: their button invites the gate's answer, which lists what is open.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client

from accounts.permissions import can
from accounts.roles import Role
from collaboration import services as collaboration
from collaboration.models import ActionItem
from cycles import board, gates, services
from cycles.models import Cycle
from cycles.stages import Stage
from demand.events import event_delete, event_save
from demand.models import DemandEvent
from demand.services import submission_reopen
from forecasting import selectors as forecast_selectors
from forecasting.models import ForecastRun
from forecasting.run_views import may_cancel
from forecasting.services import forecast_run_cancel, forecast_run_start
from reconciliation.models import Scenario
from reconciliation.services import budget_save, scenario_create, scenario_promote
from sop_planner.errors import DomainError
from supply.services import supply_inputs_save
from tests.factories import mark_released
from tests.fixtures.cycles import MONTH, load_baseline, load_budget

pytestmark = pytest.mark.django_db

STAGES = [*Stage, "released"]
RELATIONS = ["owner", "not owner"]


class Setting:
    """A fresh cycle in one stage, the objects the actions need, rolled back after."""

    def __init__(self, company, users_by_role, stage, owner, *, submitted: bool):
        manager = users_by_role[Role.SALES_OPS_MANAGER]
        self.company, self.stage = company, stage
        self.cycle = services.cycle_open(actor=manager, month=MONTH)
        Cycle.objects.filter(pk=self.cycle.pk).update(owner=owner)
        self.territory = company.territories[0]
        load_baseline(self.cycle, self.territory, company.products[0])
        load_budget(self.cycle, self.territory, company.products[0])
        self.event = self._promotion(manager, company.territories[1])
        Cycle.objects.filter(pk=self.cycle.pk).update(
            stage=Stage.SIGN_OFF if stage == "released" else stage
        )
        if submitted and stage is Stage.DEMAND_PLANNING:  # for the reopen button
            services.plan_submit(
                actor=users_by_role[Role.DEMAND_PLANNER],
                cycle_id=self.cycle.pk,
                plan="demand",
                territory_id=self.territory.pk,
            )
        self.run = ForecastRun.objects.create(cycle=self.cycle, history_end=MONTH)
        self.item = ActionItem.objects.create(
            cycle=self.cycle, title="Chase", owner=users_by_role[Role.FINANCE], created_by=manager
        )
        self.scenario = Scenario.objects.create(cycle=self.cycle, name="Base", created_by=manager)
        if stage == "released":
            mark_released(self.cycle)

    def _promotion(self, manager, territory) -> DemandEvent:
        """A promotion in the second territory, planned during demand planning."""
        Cycle.objects.filter(pk=self.cycle.pk).update(stage=Stage.DEMAND_PLANNING)
        event = DemandEvent(kind="promotion", name="Spring", product=self.company.products[1])
        event.first_month, event.uplift_percent = self.cycle.month, Decimal(10)
        return event_save(
            actor=manager, cycle_id=self.cycle.pk, event=event, territory_ids=[territory.pk]
        )

    def as_owned_by(self, user) -> Cycle:
        """The cycle, now owned by this user (a released cycle cannot change: never asked)."""
        if self.stage != "released":
            Cycle.objects.filter(pk=self.cycle.pk).update(owner=user)
        return Cycle.objects.select_related("owner").get(pk=self.cycle.pk)


def _board(user, cycle):
    return board.board_context(user, cycle)["buttons"]


def _page(user, url: str):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context


def _waivable_item(cycle) -> str:
    items = [i for i in gates.open_gate_items(cycle) if i.kind != gates.APPROVAL_KIND]
    return items[0].id if items else "nothing open"


def _budget_cells(setting) -> dict:
    month = setting.cycle.month
    territory = setting.company.territories[1]  # no budget yet: no version to match
    return {("budget_units", territory.pk, month): (Decimal("120"), 0)}


# action -> (is the button shown?, attempt the action through its service)
BUTTONS = {
    "cycle.waive": (
        lambda user, s, c: _board(user, c).waive,
        lambda user, s, c: services.cycle_waive_item(
            actor=user, cycle_id=c.pk, stage=c.stage, item=_waivable_item(c), reason="x"
        ),
    ),
    "cycle.due_dates": (
        lambda user, s, c: _board(user, c).due_dates,
        lambda user, s, c: services.cycle_due_date_set(
            actor=user, cycle_id=c.pk, stage=c.stage, due=c.month + timedelta(days=9)
        ),
    ),
    "plan.demand.submit": (
        lambda user, s, c: s.territory in _board(user, c).submit_territories,
        lambda user, s, c: services.plan_submit(
            actor=user, cycle_id=c.pk, plan="demand", territory_id=s.territory.pk
        ),
    ),
    "plan.supply.submit": (
        lambda user, s, c: _board(user, c).submit_supply,
        lambda user, s, c: services.plan_submit(actor=user, cycle_id=c.pk, plan="supply"),
    ),
    "cycle.approve": (
        lambda user, s, c: _board(user, c).sign_off,
        lambda user, s, c: services.cycle_approve(actor=user, cycle_id=c.pk),
    ),
    "plan.demand.reopen": (
        lambda user, s, c: _reopen_shown(_page(user, f"/demand/{c.pk}/"), s.territory),
        lambda user, s, c: submission_reopen(
            actor=user, cycle_id=c.pk, territory_id=s.territory.pk, reason="x"
        ),
    ),
    "forecast.run": (
        lambda user, s, c: (
            c in _page(user, "/forecasting/runs/")["startable"]
            and forecast_selectors.may_start_run(user, c)
        ),
        lambda user, s, c: forecast_run_start(cycle_id=c.pk, actor=user),
    ),
    "forecast.cancel": (
        lambda user, s, c: may_cancel(user, ForecastRun.objects.get(pk=s.run.pk)),
        lambda user, s, c: forecast_run_cancel(run_id=s.run.pk, actor=user),
    ),
    "plan.budget.edit": (
        lambda user, s, c: _page(user, f"/reconciliation/{c.pk}/budget/{_family(s)}/")["can_edit"],
        lambda user, s, c: budget_save(
            actor=user, cycle_id=c.pk, family_id=_family(s), cells=_budget_cells(s)
        ),
    ),
    "demand event: remove": (
        lambda user, s, c: dict(_page(user, f"/demand/{c.pk}/")["events"])[s.event],
        lambda user, s, c: event_delete(actor=user, event_id=s.event.pk),
    ),
    "demand event: add": (
        lambda user, s, c: _page(user, f"/demand/{c.pk}/")["may_add_event"],
        lambda user, s, c: _event_add(user, s, c),
    ),
    "supply inputs: save": (
        lambda user, s, c: _page(user, f"/supply/{c.pk}/family/{_family(s)}/")["can_edit"],
        lambda user, s, c: supply_inputs_save(
            actor=user,
            cycle_id=c.pk,
            family_id=_family(s),
            cells={("capacity", c.month): ("500", 0)},
        ),
    ),
    "supply plan: submit (supply page)": (
        lambda user, s, c: _page(user, f"/supply/{c.pk}/")["can_submit"],
        lambda user, s, c: services.plan_submit(actor=user, cycle_id=c.pk, plan="supply"),
    ),
    "scenario: create": (
        lambda user, s, c: _page(user, f"/reconciliation/{c.pk}/scenarios/")["can_edit"],
        lambda user, s, c: scenario_create(actor=user, cycle_id=c.pk, name="What if"),
    ),
    "scenario.promote": (
        lambda user, s, c: _promote_shown(_page(user, f"/reconciliation/{c.pk}/scenarios/")),
        lambda user, s, c: scenario_promote(actor=user, scenario_id=s.scenario.pk, reason="x"),
    ),
    "action_item.close": (
        lambda user, s, c: dict(_page(user, f"/cycles/?cycle={c.pk}")["action_items"])[s.item],
        lambda user, s, c: collaboration.action_item_done(actor=user, item_id=s.item.pk),
    ),
}


def _event_add(user, setting, cycle) -> None:
    """The event form as this user would fill it: a territory they may edit and that is not
    submitted if there is one (else their first), never a territory of somebody else."""
    submitted = set(
        gates.current_submissions(cycle, Stage.DEMAND_PLANNING).values_list("territory", flat=True)
    )
    own = [
        t.pk
        for t in setting.company.territories
        if can(user, "plan.demand.edit", territory_id=t.pk)
    ]
    open_to_them = [pk for pk in own if pk not in submitted] or own
    event = DemandEvent(kind="promotion", name="Summer", product=setting.company.products[2])
    event.first_month, event.uplift_percent = cycle.month, Decimal(5)
    event_save(actor=user, cycle_id=cycle.pk, event=event, territory_ids=open_to_them[:1])


def _promote_shown(context) -> bool:
    """The promote form sits inside the scenario's editing cell (not yet promoted)."""
    return context["can_edit"] and context["can_promote"]


def _family(setting) -> int:
    return setting.company.products[0].family_id


def _reopen_shown(context, territory) -> bool:
    submitted = [t for t, _who in context["submitted"]]
    return context["may_reopen"] and context["in_demand_planning"] and territory in submitted


def _accepted(attempt, user, setting, cycle) -> tuple[bool, str]:
    try:
        with transaction.atomic():
            attempt(user, setting, cycle)
            transaction.set_rollback(True)
    except DomainError as refusal:
        return False, refusal.message
    return True, ""


@pytest.mark.parametrize("stage", STAGES, ids=str)
@pytest.mark.parametrize("action", sorted(BUTTONS))
def test_button_shown_exactly_when_the_action_is_accepted(
    action, stage, company, users_by_role, settings
):
    settings.SOP_SIGNOFF_APPROVERS = []
    shown, attempt = BUTTONS[action]
    disagreements, accepted_somewhere = [], False
    setting = None
    for role in Role:
        user = users_by_role[role]
        for relation in RELATIONS:
            owner = user if relation == "owner" else users_by_role[Role.SALES_OPS_MANAGER]
            if relation == "not owner" and role is Role.SALES_OPS_MANAGER:
                owner = users_by_role[Role.SALES_OPS_ANALYST]
            with transaction.atomic():
                if setting is None or stage == "released":
                    setting = Setting(
                        company, users_by_role, stage, owner, submitted=action in SUBMITTED
                    )
                cycle = setting.as_owned_by(owner)
                is_shown = bool(shown(user, setting, cycle))
                accepted, why = _accepted(attempt, user, setting, cycle)
                if stage == "released":
                    transaction.set_rollback(True)
            assert action not in why, f"a permission code in a message: {why}"
            accepted_somewhere |= accepted
            if is_shown != accepted:
                disagreements.append((role.value, relation, is_shown, why))
    assert not disagreements, f"{action} in {stage}: shown != accepted for {disagreements}"
    if stage in SOMEBODY_MAY.get(action, ()):
        assert accepted_somewhere, f"{action} in {stage}: nobody could take it (a dead test)"


# Actions asked of a cycle whose first territory's demand plan is submitted.
SUBMITTED = {"plan.demand.reopen", "demand event: remove", "demand event: add"}
BEFORE_SIGN_OFF = (
    Stage.DATA_GATHERING,
    Stage.DEMAND_PLANNING,
    Stage.SUPPLY_PLANNING,
    Stage.RECONCILIATION,
)
# Where somebody takes each action in this setting: the matrix must see it accepted there,
# so that "shown == accepted" is never only "hidden == refused".
SOMEBODY_MAY = {
    "cycle.waive": (Stage.DATA_GATHERING, Stage.DEMAND_PLANNING, Stage.SUPPLY_PLANNING),
    "cycle.due_dates": (*BEFORE_SIGN_OFF, Stage.SIGN_OFF),
    "cycle.approve": (Stage.SIGN_OFF,),
    "plan.demand.submit": (Stage.DEMAND_PLANNING,),
    "plan.supply.submit": (Stage.SUPPLY_PLANNING,),
    "plan.demand.reopen": (Stage.DEMAND_PLANNING,),
    "forecast.run": (*BEFORE_SIGN_OFF, Stage.SIGN_OFF),
    "forecast.cancel": (*BEFORE_SIGN_OFF, Stage.SIGN_OFF),
    "plan.budget.edit": BEFORE_SIGN_OFF,
    "demand event: remove": (Stage.DEMAND_PLANNING,),
    "demand event: add": (Stage.DEMAND_PLANNING,),
    "supply inputs: save": (Stage.SUPPLY_PLANNING,),
    "supply plan: submit (supply page)": (Stage.SUPPLY_PLANNING,),
    "scenario: create": (*BEFORE_SIGN_OFF, Stage.SIGN_OFF),
    "scenario.promote": (Stage.RECONCILIATION,),
    "action_item.close": (*BEFORE_SIGN_OFF, Stage.SIGN_OFF, "released"),
}


def test_the_budget_is_not_offered_during_sign_off(company, users_by_role):
    """The mended button: Finance saw 'Save budget' in Sign-off and the save was refused."""
    finance = users_by_role[Role.FINANCE]
    cycle = services.cycle_open(actor=users_by_role[Role.SALES_OPS_MANAGER], month=MONTH)
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.SIGN_OFF)
    family = company.products[0].family_id
    client = Client()
    client.force_login(finance)
    page = client.get(f"/reconciliation/{cycle.pk}/budget/{family}/").content.decode()
    assert "Save budget" not in page
    assert "budget-import" not in client.get(f"/reconciliation/{cycle.pk}/").content.decode()
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.RECONCILIATION)
    page = client.get(f"/reconciliation/{cycle.pk}/budget/{family}/").content.decode()
    assert "Save budget" in page


def test_an_action_item_is_closed_by_its_assignee_and_the_cycle_owner_only(company, users_by_role):
    owner = users_by_role[Role.SALES_OPS_MANAGER]
    cycle = services.cycle_open(actor=owner, month=MONTH)
    assignee, bystander = users_by_role[Role.FINANCE], users_by_role[Role.SALES_OPS_ANALYST]
    item = ActionItem.objects.create(cycle=cycle, title="Chase", owner=assignee, created_by=owner)
    closable = {
        user.username: dict(_page(user, f"/cycles/?cycle={cycle.pk}")["action_items"])[item]
        for user in (owner, assignee, bystander)
    }
    assert closable == {owner.username: True, assignee.username: True, bystander.username: False}
    with pytest.raises(DomainError, match="the person it is assigned to, or the cycle owner"):
        collaboration.action_item_done(actor=bystander, item_id=item.pk)
    assert collaboration.action_item_done(actor=assignee, item_id=item.pk).done_at is not None
