"""Series whose territory has not reported the last months yet.

A month without a row is a month without sales, except where the whole territory has not
reported that month: read as zero, its last month dragged every forecast of the territory
down (the demo's late territory had the run's worst series). Those series are forecast from
the last month their territory reported, over as many more months as it is behind, and
keep the same forecast months as every other series. Pure pandas, no Django.
"""

import pandas as pd

Month = pd.Timestamp


def behind(reported: dict[str, Month], end: Month) -> dict[str, Month]:
    """The series (of `reported`: series -> last month reported) that end before `end`."""
    return {uid: Month(month) for uid, month in reported.items() if Month(month) < end}


def months_behind(own_end: Month, end: Month) -> int:
    """How many months `end` is after `own_end` (0 for the same month)."""
    return (end.year - own_end.year) * 12 + end.month - own_end.month


def parts(history: pd.DataFrame, late: dict[str, Month], end: Month):
    """(last month, its series' history) for the series up to date and for each month that
    late series end on: the on-time ones first."""
    ends = history["unique_id"].astype(str).map(late).fillna(end)
    for own_end in sorted(set(ends), reverse=True):
        yield Month(own_end), history[(ends == own_end).to_numpy()]


def plan_months(forecasts: pd.DataFrame, end: Month, horizon: int) -> pd.DataFrame:
    """The forecast months after `end` only (a late series' first months are reported
    months of the other territories, not months to plan)."""
    last = end + pd.DateOffset(months=horizon)
    return forecasts[(forecasts["ds"] > end) & (forecasts["ds"] <= last)]


def noted(selections: pd.DataFrame, own_end: Month, end: Month) -> pd.DataFrame:
    """The reasons of series forecast from an earlier month, saying so in words."""
    missing = f"{own_end + pd.DateOffset(months=1):%Y-%m}"
    if months_behind(own_end, end) > 1:
        missing += f" to {end:%Y-%m}"
    note = (
        f"Its territory has not reported {missing} yet: forecast from its history through"
        f" {own_end:%Y-%m}, not with those months read as no sales."
    )
    return selections.assign(reason=selections["reason"].str.rstrip(".") + ". " + note)
