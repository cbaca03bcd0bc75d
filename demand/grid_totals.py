"""Totals of the demand grid: row totals over the horizon and per year, and column sums.

Pure: no Django. Months are "YYYY-MM" labels; values are measure -> month -> figure.
"""

from collections.abc import Iterable

Values = dict[str, dict[str, float]]


def total_columns(months: list[str]) -> list[dict]:
    """The Total column over every month, and one per calendar year when the months span two."""
    columns = [{"key": "total", "label": "Total", "months": list(months)}]
    years = sorted({m[:4] for m in months})
    if len(years) > 1:
        for year in years:
            inside = [m for m in months if m.startswith(year)]
            columns.append({"key": f"y{year}", "label": year, "months": inside})
    return columns


def row_totals(values: Values, columns: list[dict]) -> dict[str, dict[str, float]]:
    """measure -> column key -> the sum of that measure over the column's months."""
    return {
        measure: {
            column["key"]: sum(figures.get(m, 0.0) for m in column["months"]) for column in columns
        }
        for measure, figures in values.items()
        if measure not in ("actuals", "last_year")
    }


def history_total(values: Values) -> float:
    """The sum of the actuals shown before the plan."""
    return sum(values.get("actuals", {}).values())


def sum_values(rows: Iterable[Values]) -> Values:
    """The column sums of many rows: measure -> month -> sum of the rows' figures."""
    out: Values = {}
    for values in rows:
        for measure, figures in values.items():
            target = out.setdefault(measure, {})
            for month, figure in figures.items():
                target[month] = target.get(month, 0.0) + figure
    return out
