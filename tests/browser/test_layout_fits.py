"""What people notice at a glance, at 1440 x 900 and 1024 x 768: the top bar on one line,
History without sideways scrolling, the event form showing only its kind's fields."""

from datetime import date

import pytest

from accounts.roles import Role
from audit.services import audit_record
from cycles.models import Cycle
from tests.browser.waiting import wait_until
from tests.fixtures.home import scored  # noqa: F401  (fixture)

SIZES = [(1440, 900), (1024, 768)]
ONE_LINE = """() => {
  const items = [...document.querySelectorAll('header.topbar nav > ul > li')];
  const boxes = items.map(li => li.getBoundingClientRect());
  const oneLine = Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom));
  return {oneLine, overflow: document.documentElement.scrollWidth - window.innerWidth,
          wrapped: items.filter(li => li.getBoundingClientRect().height > 60).length};
}"""
NO_SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_top_bar_fits_on_one_line(width, height, login, users_by_role):
    widest = users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]  # every menu group
    widest.first_name, widest.last_name = "Maximilian", "Longername-Smith"
    widest.save()
    for user in (widest, users_by_role[Role.SALES_OPS_MANAGER]):
        page = login(user)
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/")
        assert page.evaluate(ONE_LINE) == {"oneLine": True, "overflow": 0, "wrapped": 0}
        page.click("#main-menu details > summary >> nth=-1")  # a drop-down still opens
        assert page.locator("#main-menu details[open] li").count() >= 1


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_history_wraps_long_text_without_sideways_scrolling(
    width, height, login, users_by_role, company
):
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    manager.first_name, manager.last_name = "Maria", "Manager"
    manager.save()
    cycle = Cycle.objects.create(month=date(2026, 11, 1), owner=manager)
    audit_record(
        actor=manager,
        action="cycle.comment",
        obj=cycle,
        after={"note": "x" * 300, "territories": [t.name for t in company.territories] * 5},
        reason="Because-" + "a-very-long-unbroken-reason-" * 12,
        cycle_id=cycle.pk,
    )
    page = login(manager)
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/cycles/history/")
    assert page.evaluate(NO_SIDEWAYS) == 0
    table = page.locator("#audit").bounding_box()
    assert table["x"] + table["width"] <= width
    assert "Maria Manager" in page.inner_text("#audit tbody tr >> nth=0")


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_event_form_shows_only_the_fields_of_the_chosen_kind(
    width, height, demand_cycle, manager, login
):
    page = login(manager)
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/demand/")
    page.click("#add-event summary")
    page.select_option("#event-form select[name=kind]", "launch")
    wait_until(page, "() => !document.querySelector('#id_like_product').closest('p').hidden")
    assert page.is_visible("#id_like_product") and page.is_visible("#id_scale")
    assert not page.is_visible("#id_uplift_percent") and not page.is_visible("#id_dip_percent")
    page.select_option("#event-form select[name=kind]", "promotion")
    assert page.is_visible("#id_uplift_percent") and not page.is_visible("#id_like_product")
    assert page.is_visible("#id_name") and page.is_visible("#id_first_month")
    assert page.evaluate(NO_SIDEWAYS) == 0


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_planner_home_shows_their_territories_accuracy_without_sideways_scrolling(
    width,
    height,
    scored,  # noqa: F811  (fixture)
    user_with_role,
    login,
):
    mine, _ = scored
    page = login(user_with_role(Role.DEMAND_PLANNER, territories=[mine]))
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    table = page.inner_text("#my-accuracy")
    assert mine.name in table and mine.region.name in table and "15.3 %" in table
    assert page.evaluate(NO_SIDEWAYS) == 0
