"""A territory that has not reported its last month: its series are forecast from the
month it last reported, not with the missing month read as no sales."""

import numpy as np
import pandas as pd

from forecasting.engine import EngineConfig, forecast_series
from tests.forecasting import synthetic as syn

PREVIOUS = syn.END - pd.DateOffset(months=1)


def histories() -> pd.DataFrame:
    """'on time' and 'late' sell the same; 'late' has not reported the last month."""
    values = syn.seasonal(48)
    on_time = syn.series("on time", values)
    late = syn.series("late", values).iloc[:-1]
    return pd.concat([on_time, late], ignore_index=True)


def run(**kwargs):
    return forecast_series(histories(), config=EngineConfig(), end=syn.END, **kwargs)


def points(result, uid: str) -> pd.Series:
    rows = result.forecasts[result.forecasts["unique_id"] == uid]
    return rows.set_index("ds")["point"]


def test_a_late_series_is_forecast_for_the_same_months_as_the_others():
    result = run(reported={"late": PREVIOUS})
    late, on_time = points(result, "late"), points(result, "on time")
    assert (
        list(late.index)
        == list(on_time.index)
        == list(syn.months(12, syn.END + pd.DateOffset(months=12)))
    )


def test_a_late_series_keeps_its_level_where_reading_the_month_as_zero_dragged_it_down():
    told, untold = run(reported={"late": PREVIOUS}), run()
    on_time = points(told, "on time").sum()
    assert abs(points(told, "late").sum() / on_time - 1) < 0.05
    assert points(untold, "late").sum() < points(told, "late").sum()


def test_the_reason_says_which_month_is_missing_and_what_the_forecast_is_from():
    result = run(reported={"late": PREVIOUS})
    reasons = result.selections.set_index("unique_id")["reason"]
    assert (
        "has not reported 2026-10 yet: forecast from its history through 2026-09"
        in reasons["late"]
    )
    assert ". Its territory has not reported" in reasons["late"]  # a sentence of its own
    assert "has not reported" not in reasons["on time"]


def test_a_series_two_months_behind_says_both_months_and_still_plans_the_same_months():
    two_back = syn.END - pd.DateOffset(months=2)
    history = histories()
    history = history[~((history["unique_id"] == "late") & (history["ds"] > two_back))]
    result = forecast_series(
        history, config=EngineConfig(), end=syn.END, reported={"late": two_back}
    )
    reason = result.selections.set_index("unique_id").loc["late", "reason"]
    assert "has not reported 2026-09 to 2026-10 yet" in reason
    assert points(result, "late").index.min() == syn.END + pd.DateOffset(months=1)
    assert len(points(result, "late")) == 12


def test_a_territory_reported_up_to_date_changes_nothing():
    told, untold = run(reported={"on time": syn.END}), run()
    np.testing.assert_allclose(points(told, "on time"), points(untold, "on time"))
