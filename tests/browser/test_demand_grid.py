"""A planner edits a family total in the grid with a reason, sees the SKUs change, submits."""

import pytest
from django.db.models import Sum

from cycles.models import PlanValue
from tests.browser.waiting import wait_until
from tests.fixtures.browser import cell, show

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_planner_edits_a_family_total_and_submits(demand_cycle, planners, login, company):
    own, other = company.territories[0], company.territories[1]
    family, month = company.families[0], f"{demand_cycle.month:%Y-%m}"
    page = login(planners[0])
    page.goto("/demand/")
    page.wait_for_selector("#demand-grid-app[data-loaded]")
    show(page, territory=own.pk, territory_level="territory")
    row_id = f"{family.pk}-{own.region_id}-{own.pk}"
    cell(page, row_id, month).dblclick()
    page.keyboard.type("600")
    page.keyboard.press("Enter")
    page.wait_for_selector("#edit-dialog[open]")
    page.select_option("#edit-form select[name=reason_code]", "promotion")
    page.fill("#edit-form input[name=comment]", "Retailer feature")
    page.click("#edit-save")
    page.wait_for_selector("#grid-message.message-success")
    assert cell(page, row_id, month).inner_text() == "600"

    show(page, family=family.pk, product_level="sku")
    sku = company.products[2]  # baseline 30 of the family's 60: half the new total
    assert (
        cell(page, f"{family.pk}-{sku.pk}-{own.region_id}-{own.pk}", month).inner_text() == "300"
    )
    total = PlanValue.objects.filter(
        cycle=demand_cycle,
        measure="consensus",
        valid_to_seq=None,
        territory=own,
        product__family=family,
        month=demand_cycle.month,
    ).aggregate(total=Sum("value"))["total"]
    assert total == 600

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.click(f'.submit-territory[data-territory="{own.pk}"]')
    page.wait_for_selector("li.submitted")
    assert questions[0].startswith(f"Submit the demand plan of {own.name}?")
    assert "submitted by" in page.inner_text("#submissions")

    page = login(planners[1])
    page.goto("/demand/")
    page.wait_for_selector("#demand-grid-app[data-loaded]")
    show(page, territory=own.pk, territory_level="territory")
    target = cell(page, row_id, month)
    target.dblclick()
    page.wait_for_timeout(300)
    assert page.locator("#edit-dialog[open]").count() == 0
    assert page.locator(f'.submit-territory[data-territory="{other.pk}"]').count() == 1


def test_a_family_opens_into_its_skus_in_place_and_closes_again(
    demand_cycle, planners, login, company
):
    own, family = company.territories[0], company.families[0]
    month = f"{demand_cycle.month:%Y-%m}"
    page = login(planners[0])
    page.goto("/demand/")
    page.wait_for_selector("#demand-grid-app[data-loaded]")
    show(page, territory=own.pk, territory_level="territory")
    parent = f"{family.pk}-{own.region_id}-{own.pk}"
    toggle = page.locator(f'.ag-row[row-id^="{parent}:"] button.toggle[data-axis=product]').first
    toggle.click()

    skus = [p for p in company.products if p.family_id == family.pk]
    children = [f"{parent}/product-{family.pk}-{sku.pk}-{own.region_id}-{own.pk}" for sku in skus]
    for child, sku in zip(children, skus, strict=True):
        page.wait_for_selector(f'.ag-row[row-id="{child}:consensus"]')
        assert sku.sku in page.inner_text(f'.ag-row[row-id="{child}:actuals"] [col-id=product]')
    figures = [int(cell(page, child, month).inner_text().replace(",", "")) for child in children]
    assert sum(figures) == int(cell(page, parent, month).inner_text().replace(",", ""))

    page.locator(f'.ag-row[row-id^="{parent}:"] button.toggle[data-axis=product]').first.click()
    wait_until(
        page, "prefix => !document.querySelector(`.ag-row[row-id^='${prefix}']`)", arg=parent + "/"
    )
    assert page.locator(f'.ag-row[row-id^="{parent}:"] button.toggle').first.inner_text() == "+"


def test_an_edit_under_an_opened_region_updates_the_region_total(
    demand_cycle, planners, login, company
):
    own, family = company.territories[0], company.families[0]
    month = f"{demand_cycle.month:%Y-%m}"
    page = login(planners[0])
    page.goto("/demand/")
    page.wait_for_selector("#demand-grid-app[data-loaded]")
    show(page, family=family.pk)
    parent = f"{family.pk}-{own.region_id}"
    page.locator(f'.ag-row[row-id^="{parent}:"] button.toggle[data-axis=place]').first.click()
    siblings = [t for t in company.territories if t.region_id == own.region_id]
    children = [f"{parent}/place-{family.pk}-{own.region_id}-{t.pk}" for t in siblings]
    page.wait_for_selector(f'.ag-row[row-id="{children[0]}:consensus"]')

    cell(page, children[0], month).dblclick()
    page.keyboard.type("500")
    page.keyboard.press("Enter")
    page.wait_for_selector("#edit-dialog[open]")
    page.select_option("#edit-form select[name=reason_code]", "promotion")
    page.click("#edit-save")
    page.wait_for_selector("#grid-message.message-success")

    figures = [int(cell(page, child, month).inner_text().replace(",", "")) for child in children]
    assert figures[0] == 500
    assert sum(figures) == int(cell(page, parent, month).inner_text().replace(",", ""))


def on_screen(page, locator) -> bool:
    """The cell lies inside the grid's visible width (not scrolled out of view)."""
    grid, box = page.locator("#plan-grid").bounding_box(), locator.bounding_box()
    return (
        box is not None
        and grid["x"] <= box["x"]
        and box["x"] + box["width"] <= (grid["x"] + grid["width"])
    )


def test_the_last_actuals_show_next_to_the_first_plan_month(demand_cycle, manager, login, company):
    family, region = company.families[0], company.territories[0].region_id
    page = login(manager)
    page.goto(f"/demand/{demand_cycle.pk}/")
    page.wait_for_selector("#demand-grid-app[data-loaded]")
    page.wait_for_timeout(300)  # the grid scrolls once its columns are laid out
    row = f"{family.pk}-{region}"
    # Closed, the history group is the last 12 months' sum, right before the plan.
    actual = page.locator(f'.ag-row[row-id="{row}:actuals"] .ag-cell[col-id="a_total"]').first
    plan = cell(page, row, f"{demand_cycle.month:%Y-%m}")
    assert on_screen(page, actual) and actual.inner_text() == "10"
    assert on_screen(page, plan) and plan.inner_text() != ""
    assert "actual-month" in actual.get_attribute("class")
    assert page.locator(".ag-header-group-cell", has_text="Actuals").is_visible()

    actual.dblclick()
    page.wait_for_timeout(300)
    assert page.locator("#edit-dialog[open]").count() == 0
    assert actual.inner_text() == "10"

    before = page.get_attribute("#demand-grid-app", "data-loaded")
    page.check("#measure-toggles input[name=events]")
    wait_until(
        page,
        "before => document.getElementById('demand-grid-app').dataset.loaded !== before",
        arg=before,
    )
    page.wait_for_timeout(300)
    assert on_screen(page, actual) and on_screen(page, plan)
