"""Score released plans against actuals, set-based: one query per source into pandas.

A cell is (released cycle, product, territory, target month). The cells of a
target month are the plan's cells and the actuals' cells of the territories
that reported that month (a territory that reported a month reported all its
sales: a planned cell without an actual row sold 0; an actual without a plan
figure was planned at 0). Plans of territories that have not reported are not
scored yet.

The CRM pipeline frozen at a plan's release is scored as one more forecast, in
units, over the same cells: `pipeline` and `pipeline_learned` (by the CRM's and
the learned likelihoods; 0 where no open deal was expected to close). Plans
released without a frozen pipeline have NaN there and are not scored for it. A
pipeline figure for a cell neither planned nor sold is not scored: the cells stay
the plan's, so the plan's scores do not change with the CRM.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.db import connection

from cycles.calendar import add_months
from cycles.measures import MeasureCode
from cycles.models import Cycle, PlanValue
from demand.models import ReleasedPipeline, ReleasedPipelineCell
from forecasting.models import SalesActual
from products.models import Product
from reassessment import metrics
from territories.models import Territory

HORIZON = 12
HISTORY_MONTHS = 36  # history before the cycle used for the MASE scale
PLAN_COLUMNS = {
    MeasureCode.BASELINE: MeasureCode.BASELINE,
    MeasureCode.BASELINE_LOW: "low",
    MeasureCode.BASELINE_HIGH: "high",
    MeasureCode.EVENTS: MeasureCode.EVENTS,
    MeasureCode.OVERRIDE: MeasureCode.OVERRIDE,
    MeasureCode.CONSENSUS: "final",
}
KEYS = ["cycle_id", "product_id", "territory_id", "m"]
PIPELINE_COLUMNS = ["pipeline", "pipeline_learned"]


@dataclass
class ScoredCells:
    """The scored cells of some target months, one row per cell, with every layer's forecast."""

    cells: pd.DataFrame
    cycles: dict[int, date]


def month_index(values) -> np.ndarray:
    """Months as integers (year x 12 + month - 1), from dates or ISO strings."""
    stamps = pd.to_datetime(pd.Series(values), format="ISO8601")
    return (stamps.dt.year * 12 + stamps.dt.month - 1).to_numpy(dtype=np.int64)


def released_cycles_covering(months: list[date]) -> dict[int, date]:
    if not months:
        return {}
    rows = Cycle.objects.filter(
        status=Cycle.Status.RELEASED,
        month__gte=add_months(min(months), 1 - HORIZON),
        month__lte=max(months),
    ).values_list("pk", "month")
    chosen = set(months)
    return {
        pk: month
        for pk, month in rows
        if any(add_months(month, lag) in chosen for lag in range(HORIZON))
    }


def scored_cells(months: list[date]) -> ScoredCells:
    cycles = released_cycles_covering(months)
    if not cycles:
        return ScoredCells(pd.DataFrame(), {})
    first = add_months(min(cycles.values()), -HISTORY_MONTHS)
    history = _History(_actuals(first, max(months)))
    cells = _join(_plan(cycles, months), history.target(months), cycles)
    cells = cells.merge(_frozen_pipeline(cycles, months), on=KEYS, how="left")
    with_pipeline = cells["cycle_id"].isin(_cycles_frozen(cycles))
    for column in PIPELINE_COLUMNS:
        cells.loc[with_pipeline, column] = cells.loc[with_pipeline, column].fillna(0.0)
    cells = history.enrich(cells, cycles)
    return ScoredCells(_with_levels(cells), cycles)


def _fetch(sql: str, params: list, columns: list[str]) -> pd.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=columns)


def _plan(cycles: dict[int, date], months: list[date]) -> pd.DataFrame:
    number = "CAST(value AS DOUBLE PRECISION)"
    pivots = ", ".join(
        f"MAX(CASE WHEN measure = '{code}' THEN {number} END)" for code in PLAN_COLUMNS
    )
    ids, measures = list(cycles), list(PLAN_COLUMNS)
    sql = (
        f"SELECT cycle_id, product_id, territory_id, month, {pivots} "
        f"FROM {PlanValue._meta.db_table} WHERE valid_to_seq IS NULL "
        f"AND cycle_id IN ({_marks(ids)}) AND month IN ({_marks(months)}) "
        f"AND measure IN ({_marks(measures)}) "
        "GROUP BY cycle_id, product_id, territory_id, month"
    )
    frame = _fetch(
        sql,
        [*ids, *months, *measures],
        ["cycle_id", "product_id", "territory_id", "month", *PLAN_COLUMNS.values()],
    )
    frame["m"] = month_index(frame.pop("month"))
    return frame.astype({column: float for column in PLAN_COLUMNS.values()})


def _frozen_pipeline(cycles: dict[int, date], months: list[date]) -> pd.DataFrame:
    """The units of the pipelines frozen at these plans' release, per scored cell (deals
    without lines carry no units and are left out)."""
    rows = ReleasedPipelineCell.objects.filter(
        frozen__cycle_id__in=list(cycles), month__in=months, product__isnull=False
    ).values_list("frozen__cycle_id", "product_id", "territory_id", "month", "units",
                  "learned_units")  # fmt: skip
    frame = pd.DataFrame(
        list(rows), columns=["cycle_id", "product_id", "territory_id", "month", *PIPELINE_COLUMNS]
    )
    frame["m"] = month_index(frame.pop("month")) if len(frame) else np.array([], dtype=np.int64)
    frame = frame.groupby(KEYS, as_index=False)[PIPELINE_COLUMNS].sum()
    return frame.astype({**dict.fromkeys(KEYS, "int64"), **dict.fromkeys(PIPELINE_COLUMNS, float)})


def _cycles_frozen(cycles: dict[int, date]) -> list[int]:
    frozen = ReleasedPipeline.objects.filter(cycle_id__in=list(cycles))
    return list(frozen.values_list("cycle_id", flat=True))


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _actuals(first: date, last: date) -> pd.DataFrame:
    sql = (
        "SELECT product_id, territory_id, period, CAST(units AS DOUBLE PRECISION) "
        f"FROM {SalesActual._meta.db_table} WHERE period >= %s AND period <= %s"
    )
    frame = _fetch(sql, [first, last], ["product_id", "territory_id", "period", "actual"])
    frame["m"] = month_index(frame.pop("period"))
    return frame


class _History:
    """Actuals as a dense series x month matrix (NaN = no record), for scales and naive."""

    def __init__(self, actuals: pd.DataFrame) -> None:
        self.actuals = actuals
        self.pairs = pd.MultiIndex.from_frame(
            actuals[["product_id", "territory_id"]].drop_duplicates()
        )
        self.first = int(actuals["m"].min()) if len(actuals) else 0
        width = int(actuals["m"].max()) - self.first + 1 if len(actuals) else 0
        self.matrix = np.full((len(self.pairs), width), np.nan)
        rows = self._rows(actuals)
        self.matrix[rows, actuals["m"].to_numpy() - self.first] = actuals["actual"].to_numpy()

    def _rows(self, frame: pd.DataFrame) -> np.ndarray:
        keys = pd.MultiIndex.from_frame(frame[["product_id", "territory_id"]])
        return self.pairs.get_indexer(keys)

    def target(self, months: list[date]) -> pd.DataFrame:
        return self.actuals[np.isin(self.actuals["m"], month_index(months))]

    def enrich(self, cells: pd.DataFrame, cycles: dict[int, date]) -> pd.DataFrame:
        """Add each cell's MASE scale and its seasonal-naive forecast."""
        rows = self._rows(cells)
        cells["scale"] = np.nan
        cells["naive"] = np.nan
        for cycle_id, month in cycles.items():
            mine = (cells["cycle_id"] == cycle_id).to_numpy()
            cells.loc[mine, ["scale", "naive"]] = self._cycle_terms(
                rows[mine], cells.loc[mine, "m"].to_numpy(), int(month_index([month])[0])
            )
        cells["naive"] = cells["naive"].fillna(0.0)
        return cells

    def _cycle_terms(self, rows: np.ndarray, targets: np.ndarray, cycle: int) -> np.ndarray:
        end = max(cycle - self.first, 0)
        window = self.matrix[:, max(end - HISTORY_MONTHS, 0) : end]
        scale = metrics.naive_scale(window)
        last = window[:, -1] if window.shape[1] else np.full(len(self.matrix), np.nan)
        known = rows >= 0
        terms = np.full((len(rows), 2), np.nan)
        terms[known, 0] = scale[rows[known]]
        terms[known, 1] = self._seasonal_naive(rows[known], targets[known], last)
        return terms

    def _seasonal_naive(self, rows: np.ndarray, targets: np.ndarray, last: np.ndarray):
        """Same month a year before (always before the cycle), else the last month before it."""
        columns = targets - metrics.SEASON - self.first
        inside = (columns >= 0) & (columns < self.matrix.shape[1])
        values = np.full(len(rows), np.nan)
        values[inside] = self.matrix[rows[inside], columns[inside]]
        return np.where(np.isnan(values), last[rows], values)


def _join(plan: pd.DataFrame, actuals: pd.DataFrame, cycles: dict[int, date]) -> pd.DataFrame:
    covering = pd.DataFrame(
        [
            (cycle_id, m)
            for cycle_id, month in cycles.items()
            for m in month_index([add_months(month, lag) for lag in range(HORIZON)])
        ],
        columns=["cycle_id", "m"],
    )
    actual_cells = actuals.merge(covering, on="m")
    cells = plan.merge(actual_cells, on=KEYS, how="outer")
    reported = actuals[["territory_id", "m"]].drop_duplicates()
    cells = cells.merge(reported, on=["territory_id", "m"])
    cells["actual"] = cells["actual"].fillna(0.0)
    cells["final"] = cells["final"].fillna(0.0)
    cells[MeasureCode.BASELINE] = cells[MeasureCode.BASELINE].fillna(0.0)
    cells[MeasureCode.EVENTS] = cells[MeasureCode.EVENTS].fillna(0.0)
    start = {cycle_id: int(month_index([month])[0]) for cycle_id, month in cycles.items()}
    cells["lag"] = cells["m"] - cells["cycle_id"].map(start)
    return cells.reset_index(drop=True)


def _with_levels(cells: pd.DataFrame) -> pd.DataFrame:
    regions = dict(Territory.objects.values_list("pk", "region_id"))
    families = dict(Product.objects.values_list("pk", "family_id"))
    cells["region_id"] = cells["territory_id"].map(regions).astype("int64")
    cells["family_id"] = cells["product_id"].map(families).astype("int64")
    cells["company_id"] = 0
    cells["with_events"] = (cells[MeasureCode.BASELINE] + cells[MeasureCode.EVENTS]).clip(
        lower=0.0
    )
    return cells
