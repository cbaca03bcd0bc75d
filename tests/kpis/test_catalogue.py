"""The KPI registry and the check of an administrator's choice: plain Python."""

import pytest

from kpis.catalogue import (
    KPIS,
    Direction,
    Status,
    default_choices,
    parse_choices,
    status_of,
)


def rows(**changes) -> list[dict]:
    """Every KPI as a form would post it, with some fields changed per code."""
    result = []
    for choice in default_choices():
        row = {
            "code": choice.code,
            "visible": "on",
            "position": str(choice.position),
            "threshold": str(choice.threshold),
        }
        row.update(changes.get(choice.code, {}))
        result.append(row)
    return result


def test_the_catalogue_has_every_kpi_the_issue_names():
    assert set(KPIS) == {
        "wape_lag1",
        "wape_lag3",
        "bias_lag1",
        "bias_lag3",
        "override_fva",
        "revenue_vs_budget",
        "volume_vs_budget",
        "shortage",
        "inventory_cover",
        "stages_on_time",
        "days_late",
        "quota_attainment_month",
        "quota_attainment_ytd",
        "pipeline_coverage",
    }


@pytest.mark.parametrize(
    ("code", "value", "threshold", "expected"),
    [
        ("wape_lag1", 30.0, 30.0, Status.ON_TARGET),  # lower is better, the limit itself is fine
        ("wape_lag1", 30.1, 30.0, Status.OFF_TARGET),
        ("stages_on_time", 80.0, 80.0, Status.ON_TARGET),  # higher is better
        ("stages_on_time", 79.9, 80.0, Status.OFF_TARGET),
        ("bias_lag1", -5.0, 5.0, Status.ON_TARGET),  # near zero: within +/- the threshold
        ("bias_lag1", -5.1, 5.0, Status.OFF_TARGET),
        ("bias_lag1", 5.1, 5.0, Status.OFF_TARGET),
        ("revenue_vs_budget", -2.0, -2.0, Status.ON_TARGET),
        ("revenue_vs_budget", -2.5, -2.0, Status.OFF_TARGET),
        ("days_late", None, 2.0, Status.NO_DATA),
    ],
)
def test_status_against_the_threshold(code, value, threshold, expected):
    assert status_of(KPIS[code], value, threshold) is expected


def test_targets_read_as_words():
    assert Direction.LOWER.describe(30, "%") == "at most 30 %"
    assert Direction.HIGHER.describe(-2, "%") == "at least -2 %"
    assert Direction.NEAR_ZERO.describe(5, "%") == "within ±5 %"


def test_two_kpis_may_not_share_a_position():
    _, errors = parse_choices(
        rows(days_late={"position": "0.5e1"}, wape_lag1={"position": "5", "visible": ""})
    )
    assert errors == [
        "Position 5 is given to more than one KPI: Forecast error (WAPE), lag 1, "
        "Value added by overrides, lag 1, Days late."
    ]


def test_a_complete_choice_is_accepted_and_sorted_by_position():
    choices, errors = parse_choices(
        rows(
            wape_lag1={"position": str(len(KPIS) + 1), "visible": "", "threshold": "25,5"},
            days_late={"position": "1"},
            wape_lag3={"position": str(len(KPIS) + 2)},
        )
    )
    assert errors == []
    assert [c.code for c in choices][:2] == ["days_late", "bias_lag1"]
    wape = next(c for c in choices if c.code == "wape_lag1")
    assert (wape.visible, wape.position, wape.threshold) == (False, len(KPIS) + 1, 25.5)


def test_every_error_names_the_kpi_and_the_field():
    _, errors = parse_choices(
        rows(
            wape_lag1={"threshold": "abc"},
            bias_lag1={"position": "-1"},
            shortage={"threshold": ""},
            days_late={"position": "2.5"},
        )
    )
    assert errors == [
        "Forecast error (WAPE), lag 1: target threshold: 'abc' is not a number.",
        "Bias, lag 1: position: '-1' must be a whole number of 1 or more.",
        "Shortage vs target: target threshold is missing.",
        "Days late: position: '2.5' must be a whole number of 1 or more.",
    ]


def test_unknown_duplicate_and_missing_kpis_are_refused():
    submitted = [*rows()[1:], {"code": "profit", "position": "1", "threshold": "1"}]
    submitted.append(dict(submitted[0]))
    _, errors = parse_choices(submitted)
    assert errors == [
        "There is no KPI called 'profit'.",
        "Forecast error (WAPE), lag 3: listed twice.",
        "Missing from the list: Forecast error (WAPE), lag 1.",
    ]


def test_at_least_one_kpi_stays_visible():
    hidden = {code: {"visible": ""} for code in KPIS}
    _, errors = parse_choices(rows(**hidden))
    assert errors == ["Choose at least one KPI to show on the dashboard."]


def test_huge_or_not_a_number_thresholds_are_out_of_range():
    _, errors = parse_choices(rows(shortage={"threshold": "1e9"}, days_late={"threshold": "nan"}))
    assert errors == [
        "Shortage vs target: target threshold: '1e9' is out of range.",
        "Days late: target threshold: 'nan' is out of range.",
    ]


def test_budget_kpis_say_which_plan_and_price_they_are_computed_on():
    # the sign-off pre-read compares what supply can deliver: a different figure, so the
    # tile must not read as the same "Revenue vs budget"
    assert KPIS["revenue_vs_budget"].label == "Revenue vs budget (demand plan at list price)"
    assert KPIS["volume_vs_budget"].label == "Volume vs budget (demand plan)"
    assert "pre-read" in KPIS["revenue_vs_budget"].help
