"""Opening a cycle and moving it through its stages with the services."""

from datetime import date

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import gates, hooks, opening, services
from cycles.hooks import GateItem
from cycles.models import CalendarMonth, Cycle, PlanVersion
from cycles.stages import Stage
from sop_planner.errors import Conflict, DomainError, NotAllowed
from tests.factories import mark_released
from tests.fixtures.cycles import MONTH, add_actuals, baseline_from_run

pytestmark = pytest.mark.django_db


def test_opening_a_cycle_sets_owner_due_dates_from_the_calendar_and_audits(manager, company):
    CalendarMonth.objects.create(month=MONTH, holidays=["2026-11-04"])
    cycle = services.cycle_open(actor=manager, month=date(2026, 11, 17))
    assert cycle.month == MONTH and cycle.owner == manager
    # Working days of Nov 2026: Mon 2, Tue 3, (Wed 4 holiday), Thu 5 ... the 3rd is the 5th.
    assert cycle.due_date(Stage.DATA_GATHERING) == date(2026, 11, 5)
    assert cycle.due_date(Stage.SIGN_OFF) == date(2026, 11, 23)
    assert AuditEvent.objects.filter(
        action="cycle.open", cycle_id=cycle.pk, actor=manager
    ).exists()


def test_due_dates_follow_the_configured_working_days(manager, company, settings):
    settings.SOP_STAGE_DUE_WORKING_DAYS = [1, 2, 3, 4, 5]
    cycle = services.cycle_open(actor=manager, month=MONTH)
    assert cycle.due_date(Stage.SIGN_OFF) == date(2026, 11, 6)


def test_one_cycle_per_month(cycle, manager):
    with pytest.raises(DomainError, match="S&OP 2026-11 is still in progress"):
        services.cycle_open(actor=manager, month=MONTH)
    assert Cycle.objects.count() == 1


def test_the_monthly_job_opens_a_missing_cycle_once(manager, company):
    assert services.cycle_open_if_missing(today=date(2026, 12, 1)).owner == manager
    assert services.cycle_open_if_missing(today=date(2026, 12, 1)) is None


def test_the_monthly_job_waits_while_a_cycle_is_in_progress(cycle, manager):
    assert services.cycle_open_if_missing(today=date(2026, 12, 1)) is None
    assert list(Cycle.objects.values_list("month", flat=True)) == [MONTH]
    mark_released(cycle)
    assert services.cycle_open_if_missing(today=date(2026, 12, 1)).month == date(2026, 12, 1)


def test_two_cycles_opened_at_the_same_moment_leave_one_in_progress(cycle, manager, monkeypatch):
    """Somebody opens December while November is being opened: both pass the check before
    either saves. The database keeps one cycle in progress, and the second is told which."""
    real_refusal, calls = opening.cycle_open_refusal, []

    def passed_before_the_other_saved(month=None):
        calls.append(month)
        return None if len(calls) == 1 else real_refusal(month)

    monkeypatch.setattr(opening, "cycle_open_refusal", passed_before_the_other_saved)
    with pytest.raises(DomainError, match="S&OP 2026-11 is still in progress"):
        services.cycle_open(actor=manager, month=date(2026, 12, 1))
    assert list(Cycle.objects.values_list("month", "status")) == [(MONTH, "open")]


def test_leaving_data_gathering_needs_actuals_in_every_active_territory(cycle, manager, company):
    add_actuals(company, date(2026, 10, 1), company.territories[:3])
    late = company.territories[3]
    with pytest.raises(DomainError) as error:
        services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=Stage.DATA_GATHERING)
    assert error.value.items == [f"Territory {late.name} has no actuals for 2026-10"]
    cycle.refresh_from_db()
    assert cycle.stage == Stage.DATA_GATHERING and cycle.move_count == 0
    assert not PlanVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="cycle.advance").exists()


def test_an_inactive_territory_does_not_hold_the_gate(cycle, manager, company):
    add_actuals(company, date(2026, 10, 1), company.territories[:3])
    company.territories[3].is_active = False
    company.territories[3].save()
    moved = services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=Stage.DATA_GATHERING)
    assert moved.stage == Stage.DEMAND_PLANNING


def test_the_owner_waives_a_late_territory_with_a_reason_and_moves_on(cycle, manager, company):
    add_actuals(company, date(2026, 10, 1), company.territories[:3])
    item = f"Territory {company.territories[3].name} has no actuals for 2026-10"
    with pytest.raises(DomainError, match="written reason"):
        services.cycle_waive_item(
            actor=manager, cycle_id=cycle.pk, stage=cycle.stage, item=item, reason=" "
        )
    services.cycle_waive_item(
        actor=manager, cycle_id=cycle.pk, stage=cycle.stage, item=item, reason="ERP down"
    )
    assert gates.open_items(cycle) == []
    event = AuditEvent.objects.get(action="cycle.waive")
    assert event.reason == "ERP down" and event.after["item"] == item
    moved = services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)
    assert moved.stage == Stage.DEMAND_PLANNING


def test_only_the_cycle_owner_may_waive(cycle, user_with_role, company):
    other_manager = user_with_role(Role.SALES_OPS_MANAGER)
    item = gates.open_items(cycle)[0]
    with pytest.raises(NotAllowed, match="Only the cycle owner"):
        services.cycle_waive_item(
            actor=other_manager, cycle_id=cycle.pk, stage=cycle.stage, item=item, reason="x"
        )


def test_an_item_that_is_not_open_cannot_be_waived(cycle, manager):
    with pytest.raises(DomainError, match="is not an open item"):
        services.cycle_waive_item(
            actor=manager, cycle_id=cycle.pk, stage=cycle.stage, item="made up", reason="x"
        )


def test_leaving_data_gathering_runs_the_exit_hooks_after_commit(
    cycle, manager, company, django_capture_on_commit_callbacks
):
    calls = []

    @hooks.on_stage_exit(Stage.DATA_GATHERING)
    def record(*, cycle_id, actor_id):
        calls.append((cycle_id, actor_id))

    try:
        add_actuals(company, date(2026, 10, 1))
        with django_capture_on_commit_callbacks(execute=True):
            services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)
            assert calls == []  # not before the move is committed
        assert calls == [(cycle.pk, manager.pk)]
    finally:
        hooks._exit_hooks[Stage.DATA_GATHERING].remove(record)


def test_demand_planning_needs_every_territorys_plan(cycle, walk, planners, manager, company):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    services.plan_submit(
        actor=planners[0],
        cycle_id=cycle.pk,
        plan="demand",
        territory_id=company.territories[0].pk,
    )
    with pytest.raises(DomainError, match="3 open items") as error:
        services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)
    assert (
        f"Demand plan of territory {company.territories[1].name} not submitted"
        in error.value.items
    )


def test_a_planner_submits_only_their_own_territory(cycle, walk, planners, company):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    with pytest.raises(NotAllowed, match="only for the territories you plan"):
        services.plan_submit(
            actor=planners[0],
            cycle_id=cycle.pk,
            plan="demand",
            territory_id=company.territories[1].pk,
        )


def test_submitting_twice_is_refused(cycle, walk, planners, company):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    args = dict(cycle_id=cycle.pk, plan="demand", territory_id=company.territories[0].pk)
    services.plan_submit(actor=planners[0], **args)
    with pytest.raises(Conflict, match="already submitted"):
        services.plan_submit(actor=planners[0], **args)


def test_supply_planning_needs_the_supply_plan(cycle, walk, manager):
    cycle = walk(cycle, Stage.SUPPLY_PLANNING)
    with pytest.raises(DomainError, match="Supply plan not submitted"):
        services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)


def test_reconciliation_waits_for_registered_gate_checks(cycle, walk, manager):
    cycle = walk(cycle, Stage.RECONCILIATION)

    @hooks.gate_check(Stage.RECONCILIATION)
    def gaps(*, cycle):
        return [GateItem("gap", "sku-1", "Gap of 1,200 units on SKU-1 in North has no decision")]

    try:
        with pytest.raises(DomainError, match="Gap of 1,200 units"):
            services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)
    finally:
        hooks._gate_checks[Stage.RECONCILIATION].remove(gaps)
    assert (
        services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage).stage
        == "sign_off"
    )


def test_send_back_from_reconciliation_needs_a_reason_and_new_submissions(cycle, walk, manager):
    cycle = walk(cycle, Stage.RECONCILIATION)
    with pytest.raises(DomainError, match="needs a comment"):
        services.cycle_send_back(
            actor=manager,
            cycle_id=cycle.pk,
            stage=cycle.stage,
            to=Stage.DEMAND_PLANNING,
            reason="",
        )
    cycle = services.cycle_send_back(
        actor=manager,
        cycle_id=cycle.pk,
        stage=cycle.stage,
        to=Stage.DEMAND_PLANNING,
        reason="Too low",
    )
    assert cycle.stage == Stage.DEMAND_PLANNING
    assert len(gates.open_items(cycle)) == 4  # every territory submits again
    assert AuditEvent.objects.get(action="cycle.send_back").reason == "Too low"


def test_sending_back_to_data_gathering_is_not_a_move(cycle, walk, manager):
    cycle = walk(cycle, Stage.RECONCILIATION)
    with pytest.raises(DomainError, match="cannot send back to Data gathering"):
        services.cycle_send_back(
            actor=manager,
            cycle_id=cycle.pk,
            stage=cycle.stage,
            to=Stage.DATA_GATHERING,
            reason="x",
        )


def test_every_stage_exit_with_a_plan_snapshots_a_version(cycle, walk):
    """Data gathering left before any baseline holds no plan: no empty version #1."""
    cycle = walk(cycle, Stage.SIGN_OFF)
    versions = list(PlanVersion.objects.filter(cycle=cycle).order_by("seq"))
    assert [v.stage for v in versions] == [s.value for s in list(Stage)[1:4]]
    assert versions[0].label.endswith("Demand planning → Supply planning")


def test_leaving_data_gathering_after_a_baseline_loaded_snapshots_it(
    cycle, walk, company, manager
):
    cycle = baseline_from_run(cycle, company, manager)
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    versions = list(PlanVersion.objects.filter(cycle=cycle).order_by("seq"))
    assert [v.label.split(" (")[0] for v in versions] == [
        "Baseline",
        "S&OP 2026-11 · Data gathering → Demand planning",
    ]


def test_an_advance_from_a_stale_stage_is_refused(cycle, walk, manager):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    with pytest.raises(Conflict, match="someone moved it first"):
        services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=Stage.DATA_GATHERING)


def test_any_one_executive_approval_releases_the_cycle(cycle, walk, users_by_role):
    cycle = walk(cycle, Stage.SIGN_OFF)
    released = services.cycle_approve(actor=users_by_role[Role.EXECUTIVE], cycle_id=cycle.pk)
    assert released.status == Cycle.Status.RELEASED and released.released_at
    assert PlanVersion.objects.filter(cycle=cycle, stage="sign_off").exists()


def test_all_named_executives_must_approve(cycle, walk, users_by_role, user_with_role, settings):
    second = user_with_role(Role.EXECUTIVE)
    first = users_by_role[Role.EXECUTIVE]
    settings.SOP_SIGNOFF_POLICY = "all"
    settings.SOP_SIGNOFF_APPROVERS = [first.username, second.username]
    cycle = walk(cycle, Stage.SIGN_OFF)
    cycle = services.cycle_approve(actor=first, cycle_id=cycle.pk, comment="Fine")
    assert cycle.status == Cycle.Status.OPEN
    assert gates.open_items(cycle) == [f"Awaiting approval by {gates.display_name(second)}"]
    with pytest.raises(Conflict, match="already decided"):
        services.cycle_approve(actor=first, cycle_id=cycle.pk)
    assert services.cycle_approve(actor=second, cycle_id=cycle.pk).is_released


def test_an_executive_not_named_may_not_sign_off(
    cycle, walk, users_by_role, user_with_role, settings
):
    named = user_with_role(Role.EXECUTIVE)
    settings.SOP_SIGNOFF_APPROVERS = [named.username]
    cycle = walk(cycle, Stage.SIGN_OFF)
    with pytest.raises(NotAllowed, match="you are not among them"):
        services.cycle_approve(actor=users_by_role[Role.EXECUTIVE], cycle_id=cycle.pk)


def test_rejection_needs_a_comment_and_goes_back_to_reconciliation(cycle, walk, users_by_role):
    executive = users_by_role[Role.EXECUTIVE]
    cycle = walk(cycle, Stage.SIGN_OFF)
    with pytest.raises(DomainError, match="needs a comment"):
        services.cycle_reject(actor=executive, cycle_id=cycle.pk, comment="  ")
    cycle = services.cycle_reject(actor=executive, cycle_id=cycle.pk, comment="Budget gap")
    assert cycle.stage == Stage.RECONCILIATION
    assert AuditEvent.objects.get(action="cycle.reject").reason == "Budget gap"


def test_a_released_cycle_cannot_move_again(cycle, walk, users_by_role, manager):
    cycle = walk(cycle, Stage.SIGN_OFF)
    services.cycle_approve(actor=users_by_role[Role.EXECUTIVE], cycle_id=cycle.pk)
    with pytest.raises(NotAllowed, match="locked and can never change"):
        services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=Stage.SIGN_OFF)
