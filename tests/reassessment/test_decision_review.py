"""Each reconciliation decision with an expected impact, next to what happened."""

from datetime import date

import pytest

from reassessment.decisions import decision_review
from reconciliation.models import GapDecision
from tests.factories import mark_released

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def decide(cycle, family, *, impact: str, owner, month: str = "2026-02") -> GapDecision:
    """Record the gap decision, then release the cycle (a released cycle takes none)."""
    decision = GapDecision.objects.create(
        cycle=cycle,
        gap_key=f"shortage:{family.pk}:{month}",
        gap_label=f"Shortage in {family}, {month}",
        decision=GapDecision.Decision.ADJUST_SUPPLY,
        owner=owner,
        rationale="overtime",
        expected_impact=impact,
        decided_by=owner,
    )
    mark_released(cycle)
    return decision


@pytest.fixture
def released(book):
    c = book.company
    family, t0 = c.families[0], c.territories[0]
    products = [p for p in c.products if p.family == family]
    cycle = book.unreleased_cycle(
        JAN,
        consensus={(p, t0, FEB): 100 for p in products},
    )
    return cycle, family, products


def test_a_decision_is_shown_with_its_familys_plan_and_actuals(book, released):
    cycle, family, products = released
    book.actuals({(p, book.company.territories[0], FEB): 90 for p in products})
    decide(cycle, family, impact="+500 units shipped", owner=book.owner)
    (review,) = decision_review()
    assert review["month"] == FEB
    assert review["planned_units"] == pytest.approx(100 * len(products))
    assert review["actual_units"] == pytest.approx(90 * len(products))
    assert review["units_vs_plan_pct"] == pytest.approx(-10.0)
    assert review["actual_revenue"] == pytest.approx(900 * len(products))


def test_before_the_actuals_arrive_the_outcome_is_open(book, released):
    cycle, family, _ = released
    decide(cycle, family, impact="+500 units", owner=book.owner)
    (review,) = decision_review()
    assert review["actual_units"] is None and review["units_vs_plan_pct"] is None


def test_decisions_without_an_expected_impact_are_left_out(book, released):
    cycle, family, _ = released
    decide(cycle, family, impact="", owner=book.owner)
    assert decision_review() == []


def test_a_rolled_up_plan_and_its_budget_give_the_same_figures_as_the_leaves(book, released):
    """The consensus is read from demand's rollup where the cycle has one; the budget from
    the family's anchor product, where the budget screen and uploads store it."""
    from demand.rollup import rollup_refresh
    from products.models import Product
    from supply.selectors import family_anchors

    cycle, family, products = released
    anchor = Product.objects.get(pk=family_anchors()[family.pk].product_id)
    t0, t1 = book.company.territories[0], book.company.territories[1]
    book.plan(cycle, {(products[0], t1, FEB): 7.5})  # the rollup sums every territory
    book.plan(cycle, {(anchor, t0, FEB): 300}, measure="budget_units")
    book.plan(cycle, {(anchor, t1, FEB): 20}, measure="budget_units")
    decide(cycle, family, impact="+500 units", owner=book.owner)
    (leaves,) = decision_review()
    rollup_refresh(cycle=cycle)
    (rolled,) = decision_review()
    assert (
        rolled["planned_units"]
        == leaves["planned_units"]
        == pytest.approx(100 * len(products) + 7.5)
    )
    assert rolled["budget_units"] == leaves["budget_units"] == pytest.approx(320)


def test_the_review_api_answers_pages_that_add_up_to_every_decision(book, released, client):
    cycle, _family, _ = released
    keys = [(f, m) for f in book.company.families for m in ("2026-02", "2026-03", "2026-04")]
    for family, month in keys:
        GapDecision.objects.create(
            cycle=cycle, gap_key=f"shortage:{family.pk}:{month}", gap_label=f"Shortage {family}",
            decision=GapDecision.Decision.ADJUST_SUPPLY, owner=book.owner, rationale="overtime",
            expected_impact="+100 units", decided_by=book.owner,
        )  # fmt: skip
    mark_released(cycle)
    client.force_login(book.owner)
    first = client.get("/api/reassessment/decisions/", {"limit": 4}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == len(keys) > 4 and len(first["results"]) == 4
    assert first["previous"] is None
    paged, url = first["results"], first["next"]
    while url:
        page = client.get(url).json()
        paged, url = paged + page["results"], page["next"]
    assert [row["gap_key"] for row in paged] == [
        review["decision"].gap_key for review in decision_review()
    ]


def test_actuals_that_land_after_a_review_show_next_to_the_kept_plan(book, released):
    """The released plan's sums are kept between reviews; the actuals are always read live."""
    cycle, family, products = released
    decide(cycle, family, impact="+500 units shipped", owner=book.owner)
    (before,) = decision_review()
    assert before["actual_units"] is None
    book.actuals({(p, book.company.territories[0], FEB): 90 for p in products})
    (after,) = decision_review()
    assert after["planned_units"] == before["planned_units"] == pytest.approx(100 * len(products))
    assert after["actual_units"] == pytest.approx(90 * len(products))


def test_the_review_page_lists_every_decision_a_page_at_a_time(
    book, released, client, monkeypatch
):
    import re

    from reassessment import views

    cycle, _family, _ = released
    keys = [(f, m) for f in book.company.families for m in ("2026-02", "2026-03", "2026-04")]
    for family, month in keys:
        GapDecision.objects.create(
            cycle=cycle, gap_key=f"shortage:{family.pk}:{month}", gap_label=f"Gap {family} {month}",
            decision=GapDecision.Decision.ADJUST_SUPPLY, owner=book.owner, rationale="overtime",
            expected_impact="+100 units", decided_by=book.owner,
        )  # fmt: skip
    mark_released(cycle)
    monkeypatch.setattr(views, "DECISIONS_PER_PAGE", 4)
    client.force_login(book.owner)
    seen, url = [], "/reassessment/decisions/"
    while url:
        body = client.get(url).content.decode()
        seen += re.findall(r"<td>(Gap [^<]+)</td>", body)
        older = re.search(r'href="([^"]+)" id="older-decisions"', body)
        url = "/reassessment/decisions/" + older.group(1).replace("&amp;", "&") if older else None
    assert f"of {len(keys)}, newest cycles first" in body
    assert seen == [review["decision"].gap_label for review in decision_review()]
    assert len(seen) == len(keys) > 4
