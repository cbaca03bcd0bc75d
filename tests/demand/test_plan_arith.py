"""One plan arithmetic: an override and a promotion on the same cells both show in consensus."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demand.events import event_contribution
from demand.plan_arith import consensus_of, override_for
from tests.fixtures.demand import edit, save, total

pytestmark = pytest.mark.django_db


def test_a_promotion_added_after_an_override_lifts_the_consensus(demand_cycle, manager, company):
    family, territory = company.families[0], company.territories[0]
    level = {"family": family.pk, "territory": territory.pk}
    edit(manager, demand_cycle, level, mode="percent", value=-5)
    overridden = total(demand_cycle, "consensus", product__family=family, territory=territory)
    promotion = save(
        manager,
        demand_cycle,
        [territory],
        kind="promotion",
        family=family,
        uplift_units=Decimal(30),
    )
    cells = dict(product__family=family, territory=territory)
    events = total(demand_cycle, "events", **cells)
    assert events == Decimal(30)
    assert total(demand_cycle, "consensus", **cells) == overridden + events
    assert sum(event_contribution(demand_cycle, promotion).values()) == Decimal(30)


def test_a_figure_entered_over_a_promotion_is_the_consensus_shown(demand_cycle, manager, company):
    family, territory = company.families[0], company.territories[0]
    save(manager, demand_cycle, [territory], kind="promotion", family=family, uplift_units=60)
    level = {"family": family.pk, "territory": territory.pk}
    edit(manager, demand_cycle, level, mode="set", value=600)
    cells = dict(product__family=family, territory=territory, month=demand_cycle.month)
    assert total(demand_cycle, "consensus", **cells) == Decimal(600)
    assert total(demand_cycle, "override", **cells) == Decimal(540)


figures = st.decimals(min_value=-10_000, max_value=10_000, places=4)
maybe = st.none() | figures


@settings(max_examples=400, derandomize=True, deadline=None)
@given(baseline=maybe, events=maybe, override=maybe)
def test_consensus_is_the_pre_event_figure_plus_events_never_below_zero(
    baseline, events, override
):
    pre_event = override if override is not None else (baseline or 0)
    expected = max(pre_event + (events or 0), 0)
    assert consensus_of(baseline=baseline, events=events, override=override) == expected


@settings(max_examples=400, derandomize=True, deadline=None)
@given(entered=st.decimals(min_value=0, max_value=10_000, places=4), events=maybe)
def test_an_entered_figure_lands_as_the_consensus_whatever_the_events(entered, events):
    stored = override_for(entered=entered, events=events)
    assert consensus_of(baseline=None, events=events, override=stored) == entered
