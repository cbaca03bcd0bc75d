"""KPI figures of cycles read from the plan store and the stage versions."""

from datetime import date

import pytest

from cycles.models import Cycle
from kpis.catalogue import Status
from kpis.models import KpiSetting
from kpis.selectors import cycle_figures, dashboard, kpi_choices, trend_cycles
from tests.factories import CycleFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 10)


def test_a_released_cycles_figures_by_hand(released):
    figures = cycle_figures([released], today=TODAY)[released.pk]
    # consensus 150 units, 1,500 revenue; budget 200 units, 1,200 revenue
    assert figures["volume_vs_budget"] == pytest.approx(-25.0)
    assert figures["revenue_vs_budget"] == pytest.approx(25.0)
    # shortage 3 of 150 units of demand; inventory 30 against a target of 40
    assert figures["shortage"] == pytest.approx(2.0)
    assert figures["inventory_cover"] == pytest.approx(-25.0)
    # 3 of 5 stages on time; 2 + 3 days late
    assert figures["stages_on_time"] == pytest.approx(60.0)
    assert figures["days_late"] == 3.0  # the worst slip


def test_a_cycle_without_plan_or_moves_has_no_figures(company):
    cycle = Cycle.objects.create(month=date(2026, 6, 1), owner=UserFactory())
    figures = cycle_figures([cycle], today=date(2026, 6, 1))[cycle.pk]
    assert figures == {
        "revenue_vs_budget": None,
        "volume_vs_budget": None,
        "shortage": None,
        "inventory_cover": None,
        "stages_on_time": None,
        "days_late": None,
        "quota_attainment_month": None,
        "quota_attainment_ytd": None,
        "pipeline_coverage": None,
    }


def test_the_trend_is_the_last_twelve_cycles_oldest_first(company):
    owner = UserFactory()
    for offset in range(14):  # the last one (2026-06) is the one in progress
        month = date(2025 + (offset + 3) // 12, (offset + 3) % 12 + 1, 1)
        CycleFactory(month=month, owner=owner, released=offset < 13)
    months = [c.month for c in trend_cycles(date(2026, 5, 20))]
    assert months[0] == date(2025, 6, 1) and months[-1] == date(2026, 5, 1) and len(months) == 12


def test_the_dashboard_follows_the_companys_choice(released):
    Cycle.objects.create(month=date(2026, 6, 1), owner=UserFactory())
    KpiSetting.objects.create(code="days_late", visible=True, position=1, threshold=2)
    KpiSetting.objects.create(code="wape_lag1", visible=False, position=2, threshold=30)
    tiles = dashboard(today=TODAY)
    assert tiles[0].kpi.code == "days_late"
    assert "wape_lag1" not in [t.kpi.code for t in tiles]
    days_late = tiles[0]
    # June is open without due dates yet: the tile shows May, the latest cycle with a figure
    assert [(p.label, p.value) for p in days_late.points] == [("2026-05", 3.0), ("2026-06", None)]
    assert days_late.current.label == "2026-05"
    assert days_late.status is Status.OFF_TARGET and days_late.target_text == "at most 2 days"


def test_without_any_choice_every_kpi_shows_in_catalogue_order(db):
    choices = kpi_choices()
    assert all(c.visible for c in choices) and choices[0].code == "wape_lag1"
    assert [t.status for t in dashboard(today=TODAY)] == [Status.NO_DATA] * len(choices)


def test_a_figure_of_a_cycle_still_open_is_marked_in_progress(released, client):
    from accounts.roles import Role

    # June is open and its data gathering was due on the 5th: the figure is provisional
    Cycle.objects.create(
        month=date(2026, 6, 1), owner=UserFactory(), stage_due={"data_gathering": "2026-06-05"}
    )
    tiles = {t.kpi.code: t for t in dashboard(today=TODAY)}
    days_late = tiles["days_late"]
    assert days_late.current.label == "2026-06" and days_late.current.value == 5.0
    assert days_late.current.caption == "2026-06, in progress"
    assert [p.caption for p in days_late.points] == ["2026-05", "2026-06, in progress"]
    # figures of the released May cycle are not provisional
    assert tiles["volume_vs_budget"].current.caption == "2026-05"

    user = UserFactory.with_role(Role.EXECUTIVE)
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Cycle 2026-06, in progress" in page


def test_a_stage_counts_as_closed_when_the_cycle_left_it_not_when_a_baseline_loaded(
    users_by_role, company
):
    """The baseline load takes a version mid-stage; data gathering left before it takes none."""
    from accounts.roles import Role
    from cycles import services
    from kpis.selectors import _stage_closings
    from tests.fixtures.cycles import MONTH as NOVEMBER
    from tests.fixtures.cycles import add_actuals, baseline_from_run

    manager = users_by_role[Role.SALES_OPS_MANAGER]
    add_actuals(company, date(2026, 10, 1))
    cycle = services.cycle_open(actor=manager, month=NOVEMBER)
    cycle = services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage="data_gathering")
    cycle = baseline_from_run(cycle, company, manager)
    assert set(_stage_closings([cycle.pk])[cycle.pk]) == {"data_gathering"}
