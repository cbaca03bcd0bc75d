"""Finance enters the year once; it is spread by last year's sales (or evenly) into the
grid, edited there, and saved exactly through the budget service."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest

from accounts.roles import PERMISSIONS, Role
from audit.models import AuditEvent
from cycles.calendar import add_months
from cycles.models import PlanValue
from forecasting.models import SalesActual
from reconciliation.budget_annual import AnnualFigure, budget_annual_spread
from sop_planner.errors import DomainError, NotAllowed


@pytest.fixture
def last_year(rec_cycle, company):
    """Family 0 sold in territory 0 (region 0) twice as much as in territory 2 (region 1),
    and in December three times its usual month."""
    for month in rec_cycle.horizon():
        period = add_months(month, -12)
        boost = 3 if month.month == 12 else 1
        for territory, units in ((company.territories[0], 20), (company.territories[2], 10)):
            SalesActual.objects.create(
                product=company.products[0],
                territory=territory,
                period=period,
                units=units * boost,
                revenue=Decimal(units * boost * 10),
            )
    return rec_cycle


def whole_family(units=None, revenue=None) -> list[AnnualFigure]:
    return [AnnualFigure(None, "Whole family", units, revenue)]


def test_the_year_is_spread_by_last_years_sales_and_sums_exactly(last_year, company, finance):
    cells = budget_annual_spread(
        actor=finance,
        cycle=last_year,
        family_id=company.families[0].pk,
        figures=whole_family(Decimal(14000), Decimal("1234567.89")),
        profile="actuals",
    )
    units = {k: v for k, v in cells.items() if k[0] == "budget_units"}
    revenue = {k: v for k, v in cells.items() if k[0] == "budget_revenue"}
    assert sum(units.values()) == Decimal(14000)
    assert sum(revenue.values()) == Decimal("1234567.89")
    t0, t1, t2 = (company.territories[i].pk for i in range(3))
    december = date(2026, 12, 1)
    # 14 "month shares" a year (December counts 3) x 3 (territory 0: 2, territory 2: 1)
    assert units[("budget_units", t0, december)] == 2000
    assert units[("budget_units", t2, december)] == 1000
    # other months: 666.67 and 333.33; the 11 units rounding leaves go to the larger remainders
    assert units[("budget_units", t0, date(2027, 1, 1))] == 667
    assert units[("budget_units", t2, date(2027, 1, 1))] == 333
    assert units[("budget_units", t1, december)] == 0  # no sales there last year


def test_evenly_spreads_over_the_months_and_a_regions_territories_only(
    rec_cycle, company, finance
):
    region = company.regions[1]
    cells = budget_annual_spread(
        actor=finance,
        cycle=rec_cycle,
        family_id=company.families[0].pk,
        figures=[AnnualFigure(region.pk, region.name, Decimal(2401), None)],
        profile="even",
    )
    assert {t for _m, t, _month in cells} == {company.territories[2].pk, company.territories[3].pk}
    assert sum(cells.values()) == 2401
    assert sorted(set(cells.values())) == [100, 101]  # 24 cells, one unit left over


def test_a_region_that_sold_nothing_last_year_is_named(rec_cycle, company, finance):
    region = company.regions[0]
    with pytest.raises(DomainError, match=f"{region.name} sold none of this family"):
        budget_annual_spread(
            actor=finance,
            cycle=rec_cycle,
            family_id=company.families[0].pk,
            figures=[AnnualFigure(region.pk, region.name, Decimal(100), None)],
            profile="actuals",
        )


def test_units_that_are_not_whole_are_refused_naming_the_row(rec_cycle, company, finance):
    with pytest.raises(DomainError, match=r"Whole family, annual units: 10\.5 is not a whole"):
        budget_annual_spread(
            actor=finance,
            cycle=rec_cycle,
            family_id=company.families[0].pk,
            figures=whole_family(Decimal("10.5")),
            profile="even",
        )


def test_the_family_and_its_regions_are_not_entered_both(rec_cycle, company, finance):
    region = company.regions[0]
    figures = [*whole_family(Decimal(10)), AnnualFigure(region.pk, region.name, Decimal(5), None)]
    with pytest.raises(DomainError, match="either for the whole family or region by region"):
        budget_annual_spread(
            actor=finance,
            cycle=rec_cycle,
            family_id=company.families[0].pk,
            figures=figures,
            profile="even",
        )


def test_only_finance_spreads_a_budget(rec_cycle, company, manager):
    with pytest.raises(NotAllowed, match="Finance may"):
        budget_annual_spread(
            actor=manager,
            cycle=rec_cycle,
            family_id=company.families[0].pk,
            figures=whole_family(Decimal(10)),
            profile="even",
        )


def budget_rows(cycle):
    return PlanValue.objects.filter(
        cycle=cycle, measure__in=("budget_units", "budget_revenue"), valid_to_seq=None
    )


def test_the_page_spreads_unsaved_then_saves_the_edited_grid_exactly(
    client, last_year, company, finance
):
    client.force_login(finance)
    family = company.families[0]
    url = f"/reconciliation/{last_year.pk}/budget/{family.pk}/"
    before = budget_rows(last_year).count()
    page = client.post(
        url + "spread/",
        {"annual_units__all": "14,000", "annual_revenue__all": "", "profile": "actuals"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "nothing is saved yet" in html
    assert budget_rows(last_year).count() == before  # a proposal only
    t0 = company.territories[0].pk
    name = f"budget_units__{t0}__2026-12"
    assert f'name="{name}" value="2000"' in html
    # Finance edits one spread figure, then saves the grid as the page posts it
    grid = {
        field: value
        for field, value in _inputs(html).items()
        if field.startswith(("budget_", "before__", "v__")) or field == "reason"
    }
    grid[name] = "2100"
    client.post(url, grid)
    saved = {
        (row.territory_id, row.month): row.value
        for row in budget_rows(last_year).filter(measure="budget_units")
    }
    assert saved[(t0, date(2026, 12, 1))] == Decimal(2100)
    assert sum(saved.values()) == Decimal(14100)  # the spread 14,000 plus the edit
    reasons = set(
        AuditEvent.objects.filter(action="plan.value_set").values_list("reason", flat=True)
    )
    assert reasons == {"Annual budget spread by last year's sales (months and territories)"}


def test_a_bad_annual_figure_is_named_and_kept_as_typed(client, rec_cycle, company, finance):
    client.force_login(finance)
    region = company.regions[0]
    url = f"/reconciliation/{rec_cycle.pk}/budget/{company.families[0].pk}/spread/"
    page = client.post(url, {f"annual_units__{region.pk}": "12 000x", "profile": "even"})
    html = page.content.decode()
    assert page.status_code == 400
    assert f"{region.name}, annual units “12 000x”: is not a number" in html
    assert 'value="12 000x"' in html


def _inputs(html: str) -> dict[str, str]:
    """The named inputs of the page and their values, as a browser would post them."""
    fields = re.findall(r'<input[^>]*name="([^"]+)" value="([^"]*)"', html)
    return {name: unescape(value) for name, value in fields}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_only_finance_is_offered_and_may_use_the_spread_on_the_page(
    client, rec_cycle, company, users_by_role, role
):
    client.force_login(users_by_role[role])
    url = f"/reconciliation/{rec_cycle.pk}/budget/{company.families[0].pk}/"
    allowed = role in PERMISSIONS["plan.budget.edit"]
    assert ('id="annual-form"' in client.get(url).content.decode()) is allowed
    page = client.post(url + "spread/", {"annual_units__all": "1200", "profile": "even"})
    html = page.content.decode()
    if allowed:
        assert page.status_code == 200 and "nothing is saved yet" in html
    else:
        assert page.status_code == 403 and "may not change the budget; Finance may" in html
