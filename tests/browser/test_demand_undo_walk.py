"""A planner's walk (issue 13): override a family, add a promotion on the same cells, see
both in the consensus with its composition, undo both, and find the cells back at the
baseline exactly."""

import pytest

from cycles.models import PlanValue
from tests.browser.waiting import wait_until
from tests.fixtures.browser import open_grid, save_reason, show

pytestmark = pytest.mark.django_db(transaction=True)


def figure(page, row_id: str, measure: str, month: str) -> str:
    selector = f'.ag-row[row-id="{row_id}:{measure}"] .ag-cell[col-id="h_{month}"]'
    return page.locator(selector).first.inner_text()


def current(cycle, measure: str) -> dict:
    rows = PlanValue.objects.filter(cycle=cycle, measure=measure, valid_to_seq=None)
    return {
        row[:3]: row[3] for row in rows.values_list("product_id", "territory_id", "month", "value")
    }


def tick(page, *measures: str) -> None:
    for name in measures:
        before = page.get_attribute("#demand-grid-app", "data-loaded")
        page.check(f"#measure-toggles input[name={name}]")
        wait_until(
            page,
            "before => document.getElementById('demand-grid-app').dataset.loaded !== before",
            arg=before,
        )


def add_promotion(page, family, territory, month: str) -> None:
    page.click("#add-event summary")
    form = "#add-event form"
    page.select_option(f"{form} select[name=kind]", "promotion")
    page.fill(f"{form} input[name=name]", "Spring feature")
    page.select_option(f"{form} select[name=family]", str(family.pk))
    page.select_option(f"{form} select[name=territory]", str(territory.pk))
    page.fill(f"{form} input[name=first_month]", month)
    page.fill(f"{form} input[name=uplift_units]", "60")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("text=saved; the consensus includes it")


def test_override_and_promotion_both_count_and_both_come_off_exactly(
    fractional_cycle, planners, login, company
):
    own, family = company.territories[0], company.families[0]
    month = f"{fractional_cycle.month:%Y-%m}"
    untouched = {m: current(fractional_cycle, m) for m in ("baseline", "override", "consensus")}
    row = f"{family.pk}-{own.region_id}-{own.pk}"
    page = login(planners[0])
    open_grid(page, own)
    assert figure(page, row, "consensus", month) == "1,001"  # 1,000.90
    page.locator(f'.ag-row[row-id="{row}:consensus"] .ag-cell[col-id="h_{month}"]').dblclick()
    page.keyboard.type("600")
    page.keyboard.press("Enter")
    save_reason(page, comment="Retailer delisting")

    add_promotion(page, family, own, month)
    page.wait_for_selector("#demand-grid-app[data-loaded]")
    show(page, territory=own.pk, territory_level="territory")
    tick(page, "events", "override")
    assert figure(page, row, "override", month) == "600"
    assert figure(page, row, "events", month) == "60"
    assert figure(page, row, "consensus", month) == "660"
    page.locator(f'.ag-row[row-id="{row}:consensus"] .ag-cell[col-id="h_{month}"]').hover()
    page.wait_for_selector(".ag-tooltip")
    assert "Baseline 1,001 · override 600 · events +60 → consensus 660" in page.inner_text(
        ".ag-tooltip"
    )

    page.keyboard.press("Control+z")
    wait_until(page, "() => document.getElementById('grid-message').textContent === 'Undone.'")
    assert figure(page, row, "consensus", month) == "1,061"  # the baseline + the promotion
    assert figure(page, row, "override", month) == ""

    page.click("#events button:has-text('Remove')")
    page.wait_for_selector("text=Event removed; the consensus no longer includes it")
    after = {m: current(fractional_cycle, m) for m in ("baseline", "override", "consensus")}
    assert after == untouched
    assert set(current(fractional_cycle, "events").values()) <= {0}
