"""The reassessment pages: filters, table, chart data and CSV; recompute by hand."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from reassessment.services import scores_recompute
from tests.factories import mark_released

FEB = date(2026, 2, 1)


@pytest.fixture
def scored(book):
    c = book.company
    t0 = c.territories[0]
    cycle = book.released_cycle(
        date(2026, 1, 1),
        consensus={(p, t0, FEB): 110 for p in c.products[:2]},
        baseline={(p, t0, FEB): 100 for p in c.products[:2]},
    )
    book.actuals({(p, t0, FEB): 100 for p in c.products[:2]})
    scores_recompute()
    return cycle


def signed_in(client, user):
    client.force_login(user)
    return client


def test_accuracy_page_shows_each_territory_of_a_lag(client, scored, user_with_role, book):
    page = signed_in(client, user_with_role(Role.DEMAND_PLANNER)).get(
        reverse("reassessment:accuracy"), {"lag": 1, "level": "territory"}
    )
    assert page.status_code == 200
    assert book.company.territories[0].name in page.content.decode()
    assert page.context["chart"]["labels"] == ["2026-02"]


def test_accuracy_csv_has_one_line_per_score(client, scored, user_with_role):
    response = signed_in(client, user_with_role(Role.FINANCE)).get(
        reverse("reassessment:accuracy"), {"lag": 1, "format": "csv"}
    )
    lines = response.content.decode().strip().splitlines()
    assert response["Content-Type"] == "text/csv"
    assert lines[0].startswith("month,cycle_month,label")
    assert lines[1].startswith("2026-02-01,2026-01-01,Company,2,200.0,220.0,10.0")


def test_fva_page_and_csv_show_the_waterfall(client, scored, user_with_role):
    client = signed_in(client, user_with_role(Role.EXECUTIVE))
    page = client.get(reverse("reassessment:fva"), {"lag": 1})
    labels = [step["label"] for step in page.context["steps"]]
    assert labels[0] == "Seasonal naive" and labels[-1] == "Final released plan"
    csv_lines = client.get(reverse("reassessment:fva"), {"lag": 1, "format": "csv"})
    assert b"Final released plan,total,0.0,10.0," in csv_lines.content


def test_decision_page_renders_for_everyone(client, scored, user_with_role):
    page = signed_in(client, user_with_role(Role.SUPPLY_PLANNER)).get(
        reverse("reassessment:decisions")
    )
    assert page.status_code == 200


def test_a_month_scored_on_part_of_the_territories_says_so(client, scored, user_with_role, book):
    # only the first of the company's territories has February actuals
    page = signed_in(client, user_with_role(Role.EXECUTIVE)).get(
        reverse("reassessment:accuracy"), {"lag": 1}
    )
    total = len(book.company.territories)
    assert f"partial: 1 of {total} territories have actuals" in page.content.decode()


def test_a_tracking_signal_beyond_the_limit_is_marked_in_words(client, scored, user_with_role):
    from reassessment.models import AccuracyScore

    AccuracyScore.objects.filter(lag=1).update(tracking_signal=-5.0)
    page = signed_in(client, user_with_role(Role.EXECUTIVE)).get(
        reverse("reassessment:accuracy"), {"lag": 1}
    )
    assert '-5.0 <span class="alarm-text">⚠ beyond ±4</span>' in page.content.decode()


def test_planned_months_without_actuals_yet_are_named(client, scored, user_with_role, book):
    # March was planned by the February cycle but its actuals are not in
    book.released_cycle(date(2026, 2, 1))
    page = signed_in(client, user_with_role(Role.EXECUTIVE)).get(
        reverse("reassessment:accuracy"), {"lag": 1, "months": 12}
    )
    text = page.content.decode()
    assert "Not scored yet, no actuals for: 2026-03 (plan of cycle 2026-02)" in text


def test_the_accuracy_kpi_tile_says_its_month_is_partial(client, scored, user_with_role, book):
    page = signed_in(client, user_with_role(Role.EXECUTIVE)).get(reverse("home"))
    total = len(book.company.territories)
    assert (
        f"Month scored 2026-02 · partial: 1 of {total} territories have actuals"
        in page.content.decode()
    )


def test_a_small_override_step_keeps_its_sign_in_waterfall_and_table(client, book, user_with_role):
    c = book.company
    t0 = c.territories[0]
    planner = user_with_role(Role.DEMAND_PLANNER)
    big, touched = (c.products[0], t0, FEB), (c.products[1], t0, FEB)
    final = {big: 100000, touched: 103}
    cycle = book.unreleased_cycle(
        date(2026, 1, 1),
        baseline={big: 100000, touched: 100},
        consensus=final,
        override={touched: 103},
    )
    book.actuals({big: 100000, touched: 100})
    book.override(cycle, planner, "gut-feel", {touched: (100, 103)})
    mark_released(cycle)
    scores_recompute()
    page = signed_in(client, user_with_role(Role.EXECUTIVE)).get(
        reverse("reassessment:fva"), {"lag": 1}
    )
    text = page.content.decode()
    name = planner.get_full_name() or planner.username
    # 3 units worse over 100,100 of actuals: -0.003 points of the whole plan's WAPE
    assert f"<td>Overrides: {name}</td>" in text
    step = text.split(f"<td>Overrides: {name}</td>")[1].split("</tr>")[0]
    assert step.endswith('<td class="num">-0.003</td>')
    row = text.split(f"<td>{name}</td>")[1].split("</tr>")[0]
    assert '<td class="num">-3.000</td><td class="num">-0.003</td>' in row


def test_accuracy_totals_are_written_with_thousands_separators(book, client, user_with_role):
    c = book.company
    t0 = c.territories[0]
    book.released_cycle(
        date(2026, 1, 1),
        consensus={(p, t0, FEB): 1500 for p in c.products[:2]},
        baseline={(p, t0, FEB): 1400 for p in c.products[:2]},
    )
    book.actuals({(p, t0, FEB): 1200 for p in c.products[:2]})
    scores_recompute()
    page = signed_in(client, user_with_role(Role.EXECUTIVE)).get(
        reverse("reassessment:accuracy"), {"lag": 1}
    )
    body = page.content.decode()
    assert ">2,400<" in body and ">3,000<" in body


def test_filters_the_page_cannot_use_are_named_not_silently_dropped(
    client, scored, user_with_role
):
    page = signed_in(client, user_with_role(Role.EXECUTIVE)).get(
        reverse("reassessment:accuracy"), {"lag": "abc", "months": "0", "level": "galaxy"}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Ignored lag “abc”: a whole number from 0 to 11." in body
    assert "Ignored months “0”: a whole number from 1 to 120." in body
    assert "Ignored level “galaxy”: one of company, region, territory, family." in body
    assert page.context["filters"] == {"lag": 1, "months": 12, "level": "company"}
