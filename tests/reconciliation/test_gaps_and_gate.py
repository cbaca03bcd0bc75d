"""Gaps are found in the plan store, each needs a decision, and the gate waits for them."""

import pytest

from audit.models import AuditEvent
from cycles import gates
from cycles import services as cycle_services
from cycles.stages import Stage
from reconciliation import selectors, services
from reconciliation.models import GapDecision
from sop_planner.errors import DomainError, NotAllowed

JAN_GAP = "shortage:{family}:2027-01"


def gap_key(company) -> str:
    return JAN_GAP.format(family=company.families[0].pk)


def decide(actor, cycle, key, decision="accept", **extra):
    return services.gap_decide(
        actor=actor,
        cycle_id=cycle.pk,
        gap_key=key,
        decision=decision,
        owner_id=extra.get("owner_id", actor.pk),
        rationale=extra.get("rationale", "Customers accept a later delivery"),
        expected_impact=extra.get("expected_impact", "-10 units in January"),
    )


def test_the_shortage_of_one_month_is_the_only_gap(rec_cycle, company):
    assert [g.key for g in selectors.gaps(rec_cycle)] == [gap_key(company)]


def test_the_reconciliation_gate_lists_each_undecided_gap(rec_cycle, manager):
    items = gates.open_items(rec_cycle)
    assert len(items) == 1 and items[0].startswith("No decision on the gap: Shortage of 10 units")
    with pytest.raises(DomainError, match="No decision on the gap"):
        cycle_services.cycle_advance(
            actor=manager, cycle_id=rec_cycle.pk, stage=Stage.RECONCILIATION
        )


def test_finance_decides_the_gap_and_the_owner_can_move_on(rec_cycle, company, finance, manager):
    decide(finance, rec_cycle, gap_key(company), "escalate", owner_id=manager.pk)
    assert gates.open_items(rec_cycle) == []
    cycle = cycle_services.cycle_advance(
        actor=manager, cycle_id=rec_cycle.pk, stage=Stage.RECONCILIATION
    )
    assert cycle.stage_enum is Stage.SIGN_OFF
    assert [d.owner for d in selectors.escalations(cycle)] == [manager]
    assert AuditEvent.objects.filter(action="gap.decide").count() == 1


def test_a_decision_can_be_revised_and_keeps_one_row(rec_cycle, company, finance, manager):
    decide(finance, rec_cycle, gap_key(company), "accept")
    decide(manager, rec_cycle, gap_key(company), "adjust_supply", rationale="Overtime")
    row = GapDecision.objects.get()
    assert (row.decision, row.rationale, row.decided_by) == ("adjust_supply", "Overtime", manager)


@pytest.mark.parametrize(
    ("key", "decision", "rationale", "message"),
    [
        ("shortage:1:1999-01", "accept", "x", "is not an open gap"),
        (None, "ignore", "x", "'ignore' is not a decision"),
        (None, "accept", "  ", "needs a rationale"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_recorded(
    rec_cycle, company, finance, key, decision, rationale, message
):
    with pytest.raises(DomainError, match=message):
        decide(finance, rec_cycle, key or gap_key(company), decision, rationale=rationale)
    assert not GapDecision.objects.exists()


def test_a_supply_planner_cannot_decide_a_gap(rec_cycle, company, users_by_role):
    from accounts.roles import Role

    with pytest.raises(NotAllowed):
        decide(users_by_role[Role.SUPPLY_PLANNER], rec_cycle, gap_key(company))
    assert not GapDecision.objects.exists()


def test_gaps_are_decided_only_in_reconciliation(rec_cycle, company, finance):
    type(rec_cycle).objects.filter(pk=rec_cycle.pk).update(stage=Stage.SUPPLY_PLANNING)
    with pytest.raises(DomainError, match="gaps are decided in Reconciliation"):
        decide(finance, rec_cycle, gap_key(company))


def test_the_view_compares_units_revenue_and_budget_by_family(rec_cycle, company):
    view = selectors.reconciliation(rec_cycle)
    by_family = dict(view["by_family"])
    f0, f1 = (by_family[f.name] for f in company.families)
    assert f0.demand == 1200 and f0.shortage == pytest.approx(10)
    assert f0.revenue == pytest.approx((1200 - 10) * 10)
    assert f1.budget_revenue == 6000 and f1.revenue == 6000 and f1.margin == 2400
