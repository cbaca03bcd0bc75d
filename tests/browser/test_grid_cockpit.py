"""The demand grid as a cockpit: it fits the window, edits by keyboard, explains its cells."""

import os

import pytest
from django.db.models import Sum

from cycles.models import PlanValue
from tests.browser.waiting import wait_until
from tests.fixtures.browser import cell, show

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("GRID_SCREENSHOTS")  # a folder: save what the tests saw


@pytest.fixture
def sized(browser, live_server):
    """A page of the given window size."""
    contexts = []

    def open_page(width: int, height: int):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(30_000)  # a busy machine: several suites share it
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def log_in(page, user):
    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("#whoami")
    page.goto("/demand/")
    page.wait_for_selector("#demand-grid-app[data-loaded]")


def snapshot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, name), full_page=False)


def horizontal_overflow(page) -> int:
    """How many pixels of the grid's centre columns are hidden sideways."""
    return page.evaluate(
        """() => { const v = document.querySelector('#plan-grid .ag-body-horizontal-scroll-viewport');
                   return v.scrollWidth - v.clientWidth; }"""
    )


def test_twelve_months_and_the_totals_fit_at_1440(sized, demand_cycle, manager):
    page = sized(1440, 900)
    log_in(page, manager)
    snapshot(page, "grid-1440.png")
    headers = page.eval_on_selector_all(
        "#plan-grid .ag-header-cell[col-id]", "cells => cells.map(c => c.getAttribute('col-id'))"
    )
    months = [h for h in headers if h.startswith("h_")]
    assert len(set(months)) == 12
    assert {"t_total", "t_y2026", "t_y2027"} <= set(headers)
    assert horizontal_overflow(page) <= 0
    frame = page.eval_on_selector("#grid-frame", "f => f.getBoundingClientRect().bottom")
    assert 880 <= frame <= 900  # the grid and its panel reach the bottom of the window


def test_the_grid_follows_the_window_at_1024(sized, demand_cycle, manager):
    page = sized(1024, 768)
    log_in(page, manager)
    snapshot(page, "grid-1024.png")
    height = page.eval_on_selector("#grid-frame", "f => f.getBoundingClientRect().height")
    page.set_viewport_size({"width": 1024, "height": 1200})
    wait_until(
        page,
        "h => document.getElementById('grid-frame').getBoundingClientRect().height > h + 100",
        arg=height,
    )
    grown = page.eval_on_selector("#grid-frame", "f => f.getBoundingClientRect().height")
    assert grown > height + 100, (height, grown)


def test_a_row_total_is_the_sum_of_its_months(sized, demand_cycle, manager, company):
    page = sized(1440, 900)
    log_in(page, manager)
    family, region = company.families[0], company.territories[0].region_id
    row = page.locator(f'.ag-row[row-id="{family.pk}-{region}:consensus"]').first
    total = PlanValue.objects.filter(
        cycle=demand_cycle,
        measure="consensus",
        valid_to_seq=None,
        product__family=family,
        territory__region_id=region,
    ).aggregate(total=Sum("value"))["total"]
    shown = row.locator('.ag-cell[col-id="t_total"]').inner_text()
    assert shown == f"{round(total):,}"


def test_a_planner_edits_with_the_keyboard_and_the_panel_follows(
    sized, demand_cycle, planners, company
):
    own, family = company.territories[0], company.families[0]
    month = f"{demand_cycle.month:%Y-%m}"
    page = sized(1440, 900)
    log_in(page, planners[0])
    show(page, territory=own.pk, territory_level="territory")
    row_id = f"{family.pk}-{own.region_id}-{own.pk}"
    cell(page, row_id, month).click()
    wait_until(page, "() => document.getElementById('side-panel').dataset.refreshed")
    assert "consensus" in page.inner_text("#composition")
    before = page.get_attribute("#side-panel", "data-refreshed")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("700")
    page.keyboard.press("Enter")
    snapshot(page, "grid-typed.png")
    page.wait_for_selector("#edit-dialog[open]")
    page.keyboard.type("Promotion")  # the reason list has the focus
    page.keyboard.press("Tab")
    page.keyboard.type("Retailer feature")
    page.keyboard.press("Enter")
    page.wait_for_selector("#grid-message.message-success")
    second = sorted(demand_cycle.horizon())[1]
    assert cell(page, row_id, f"{second:%Y-%m}").inner_text() == "700"
    wait_until(
        page,
        "b => document.getElementById('side-panel').dataset.refreshed !== b",
        arg=before,
    )
    history = page.inner_text("#override-history")
    assert "set to 700 because of promotion" in history and "Retailer feature" in history
    assert "overrides make it 700" in page.inner_text("#composition")
    marked = cell(page, row_id, f"{second:%Y-%m}")
    assert "overridden" in marked.get_attribute("class")
    snapshot(page, "grid-after-edit.png")

    before = page.get_attribute("#side-panel", "data-refreshed")
    page.keyboard.press("Control+z")
    page.wait_for_selector("#grid-message.message-success")
    wait_until(
        page,
        "b => document.getElementById('side-panel').dataset.refreshed !== b",
        arg=before,
    )
    assert cell(page, row_id, f"{second:%Y-%m}").inner_text() == "60"
    assert page.inner_text("#composition").endswith("consensus 60.")


def test_a_range_selection_shows_its_sum_average_and_count(sized, demand_cycle, manager, company):
    page = sized(1440, 900)
    log_in(page, manager)
    family, region = company.families[0], company.territories[0].region_id
    months = [f"{m:%Y-%m}" for m in sorted(demand_cycle.horizon())[:3]]
    row_id = f"{family.pk}-{region}"
    figures = [int(cell(page, row_id, m).inner_text().replace(",", "")) for m in months]
    cell(page, row_id, months[0]).click()
    wait_until(
        page, "() => document.getElementById('range-stats').textContent.endsWith('Count 1')"
    )
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    total = sum(figures)
    expected = f"Sum {total:,} · Average {round(total / 3):,} · Count 3"
    try:
        wait_until(
            page, "t => document.getElementById('range-stats').textContent === t", arg=expected
        )
    finally:
        snapshot(page, "grid-range.png")
    assert page.inner_text("#range-stats") == expected
    assert page.locator("#plan-grid .in-range").count() == 3

    page.evaluate(
        """() => document.addEventListener("copy", (e) => {
            window.copied = e.clipboardData.getData("text/plain"); })"""
    )
    page.keyboard.press("Control+c")
    wait_until(page, "() => window.copied !== undefined")
    assert page.evaluate("() => window.copied") == "\t".join(str(f) for f in figures)
