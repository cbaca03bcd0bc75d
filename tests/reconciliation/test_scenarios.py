"""Scenarios are deltas: compared side by side, the plan untouched until one is promoted."""

from datetime import date
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from reconciliation import selectors, services
from reconciliation.models import Scenario, ScenarioChange
from sop_planner.errors import DomainError, NotAllowed
from tests.supply.plan_data import put, values

NOV, JAN, OCT = date(2026, 11, 1), date(2027, 1, 1), date(2027, 10, 1)


def scenario(actor, cycle, name, *changes):
    made = services.scenario_create(actor=actor, cycle_id=cycle.pk, name=name)
    for kind, family, start, end, percent in changes:
        services.scenario_change_add(
            actor=actor,
            scenario_id=made.pk,
            kind=kind,
            family_id=family.pk if family else None,
            month_from=start,
            month_to=end,
            percent=percent,
        )
    return made


def test_two_scenarios_side_by_side_with_the_base(rec_cycle, company, manager):
    overtime = scenario(
        manager, rec_cycle, "Overtime", ("capacity", company.families[0], JAN, JAN, 20)
    )
    dearer = scenario(manager, rec_cycle, "Dearer", ("price", None, NOV, OCT, "5%"))
    base, first, second = selectors.scenarios_compare(rec_cycle, [overtime.pk, dearer.pk])
    assert [base[0], first[0], second[0]] == ["Base plan", "Overtime", "Dearer"]
    assert base[1].shortage == pytest.approx(10) and first[1].shortage == 0
    assert first[1].revenue == pytest.approx(base[1].revenue + 100)
    assert second[1].revenue == pytest.approx(base[1].revenue * 1.05)
    assert second[1].margin == pytest.approx(base[1].margin + base[1].revenue * 0.05)


def test_a_scenario_leaves_the_plan_untouched_until_promoted(rec_cycle, company, manager):
    before = {m: values(rec_cycle, m) for m in ("capacity", "consensus")}
    made = scenario(manager, rec_cycle, "More", ("demand", company.families[1], JAN, JAN, 10))
    selectors.scenarios_compare(rec_cycle, [made.pk])
    assert {m: values(rec_cycle, m) for m in before} == before


def test_promoting_applies_only_the_named_changes_and_recomputes_supply(
    rec_cycle, company, manager
):
    consensus_before = values(rec_cycle, "consensus")
    made = scenario(
        manager,
        rec_cycle,
        "Push family 2",
        ("demand", company.families[1], JAN, JAN, 10),
        ("capacity", company.families[0], JAN, JAN, 20),
    )
    services.scenario_promote(actor=manager, scenario_id=made.pk, reason="Agreed in the meeting")
    consensus = values(rec_cycle, "consensus")
    changed = {k for k in consensus if consensus[k] != consensus_before[k]}
    assert changed == {(company.products[1].pk, company.territories[1].pk, JAN)}
    assert consensus[(company.products[1].pk, company.territories[1].pk, JAN)] == Decimal(55)
    capacity = {k[2]: v for k, v in values(rec_cycle, "capacity").items() if v != 80}
    assert capacity[JAN] == Decimal(108)
    assert sum(values(rec_cycle, "shortage").values()) == 0
    assert selectors.gaps(rec_cycle) == []
    event = AuditEvent.objects.get(action="scenario.promote")
    assert event.reason == "Agreed in the meeting"


def test_a_promoted_scenario_cannot_change_or_be_promoted_again(rec_cycle, company, manager):
    made = scenario(manager, rec_cycle, "Once", ("capacity", None, JAN, JAN, 5))
    services.scenario_promote(actor=manager, scenario_id=made.pk, reason="ok")
    with pytest.raises(DomainError, match="already promoted"):
        services.scenario_promote(actor=manager, scenario_id=made.pk, reason="again")
    with pytest.raises(DomainError, match="can no longer change"):
        services.scenario_change_add(
            actor=manager,
            scenario_id=made.pk,
            kind="capacity",
            family_id=None,
            month_from=JAN,
            month_to=JAN,
            percent=1,
        )


def test_a_promoted_price_change_becomes_the_planned_price(rec_cycle, company, manager):
    base = selectors.scenarios_compare(rec_cycle, [])[0][1]
    made = scenario(manager, rec_cycle, "Price", ("price", company.families[1], JAN, JAN, 3))
    compared = selectors.scenarios_compare(rec_cycle, [made.pk])[1][1]
    services.scenario_promote(actor=manager, scenario_id=made.pk, reason="List +3% in January")
    key = (company.products[1].pk, company.territories[1].pk, JAN)
    assert values(rec_cycle, "price") == {key: Decimal("10.30")}
    company.products[1].refresh_from_db()
    assert company.products[1].unit_price == Decimal("10.00")
    after = selectors.scenarios_compare(rec_cycle, [])[0][1]
    assert after.revenue == pytest.approx(base.revenue + 50 * 0.3)
    assert after.revenue == pytest.approx(compared.revenue)


def test_revenue_uses_the_planned_price_where_there_is_one(rec_cycle, company):
    base = selectors.scenarios_compare(rec_cycle, [])[0][1]
    put(rec_cycle, "price", company.products[1], company.territories[1], JAN, 12)
    after = selectors.scenarios_compare(rec_cycle, [])[0][1]
    assert after.revenue == pytest.approx(base.revenue + 50 * 2)
    assert after.margin == pytest.approx(base.margin + 50 * 2)


def test_a_price_scenario_is_promoted_through_the_api(rec_cycle, company, client, manager):
    made = scenario(manager, rec_cycle, "Dearer", ("price", None, JAN, JAN, 10))
    client.force_login(manager)
    answer = client.post(
        f"/api/plan/scenarios/{made.pk}/promote/",
        {"reason": "Price list"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    prices = values(rec_cycle, "price")
    assert len(prices) == 3 and set(prices.values()) == {Decimal("11.00")}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("stock", None, JAN, JAN, 5), "'stock' is not a change"),
        (("demand", None, JAN, NOV, 5), "not a range of the horizon"),
        (("demand", None, JAN, date(2030, 1, 1), 5), "not a range of the horizon"),
        (("demand", None, JAN, JAN, -100), "must be above -100%"),
        (("demand", None, JAN, JAN, "lots"), "'lots' is not a percentage"),
        (
            ("demand", None, JAN, JAN, "1e400"),
            "1e400% is too large: a change must be below 100,000%",
        ),
    ],
)
def test_bad_changes_are_refused_with_a_message(rec_cycle, manager, change, message):
    made = scenario(manager, rec_cycle, "Bad")
    with pytest.raises(DomainError, match=message):
        scenario(manager, rec_cycle, "Bad 2", change)
    assert made.changes.count() == 0


def test_scenario_names_are_unique_in_a_cycle(rec_cycle, manager):
    scenario(manager, rec_cycle, "Same")
    with pytest.raises(DomainError, match="already has a scenario called 'Same'"):
        scenario(manager, rec_cycle, "Same")


def test_finance_tries_scenarios_but_only_the_owner_promotes(rec_cycle, finance):
    made = scenario(finance, rec_cycle, "Finance view", ("capacity", None, JAN, JAN, 5))
    with pytest.raises(NotAllowed):
        services.scenario_promote(actor=finance, scenario_id=made.pk, reason="mine")


def test_a_deleted_scenario_is_gone_with_its_changes_and_recorded(rec_cycle, client, manager):
    made = scenario(manager, rec_cycle, "Drop me", ("capacity", None, JAN, JAN, 5))
    kept = scenario(manager, rec_cycle, "Keep me")
    client.force_login(manager)
    page = client.post(f"/reconciliation/scenario/{made.pk}/delete/", follow=True)
    body = page.content.decode()
    assert "Scenario Drop me deleted." in body and 'data-name="Drop me"' not in body
    assert list(Scenario.objects.filter(cycle=rec_cycle)) == [kept]
    assert not ScenarioChange.objects.filter(scenario_id=made.pk).exists()
    event = AuditEvent.objects.get(action="scenario.delete")
    assert event.actor == manager and event.before["name"] == "Drop me"
    assert len(event.before["changes"]) == 1 and event.cycle_id == rec_cycle.pk


def test_a_promoted_scenario_cannot_be_deleted(rec_cycle, manager):
    made = scenario(manager, rec_cycle, "Agreed", ("capacity", None, JAN, JAN, 5))
    services.scenario_promote(actor=manager, scenario_id=made.pk, reason="ok")
    with pytest.raises(DomainError, match="promoted into the plan"):
        services.scenario_delete(actor=manager, scenario_id=made.pk)
