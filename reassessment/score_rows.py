"""Turn scored cells into AccuracyScore and FvaScore rows (vectorised groupbys)."""

import numpy as np
import pandas as pd
from django.db import connection

from cycles.calendar import month_of
from cycles.measures import MeasureCode
from demand.models import Override, OverrideCell
from reassessment import metrics
from reassessment.models import AccuracyScore, Forecast, FvaLayer, FvaScore, Level
from reassessment.scoring import KEYS, ScoredCells, month_index

LEVEL_COLUMNS = {
    Level.COMPANY: "company_id",
    Level.REGION: "region_id",
    Level.TERRITORY: "territory_id",
    Level.FAMILY: "family_id",
}
PLAN_KEYS = ["cycle_id", "m", "lag"]


FORECAST_COLUMNS = {
    Forecast.PLAN: "final",
    Forecast.PIPELINE: "pipeline",
    Forecast.PIPELINE_LEARNED: "pipeline_learned",
}


def accuracy_rows(scored: ScoredCells) -> list[AccuracyScore]:
    """Every level's scores of the released plan, and of the pipeline frozen at its release
    (over the plans that have one; without the plan's interval, so no hit rate)."""
    rows = []
    for forecast, source in FORECAST_COLUMNS.items():
        cells = scored.cells[scored.cells[source].notna()]
        cells = cells.rename(columns={source: "forecast"})
        bounds = ["low", "high"] if forecast is Forecast.PLAN else []
        for level, column in LEVEL_COLUMNS.items():
            frame = cells[[*PLAN_KEYS, column, "forecast", "actual", "scale", *bounds]]
            by = [*PLAN_KEYS, "key"]
            groups = metrics.grouped_scores(frame.rename(columns={column: "key"}), by)
            rows += [
                _accuracy(level, record, scored, forecast) for record in groups.to_dict("records")
            ]
    return rows


def _accuracy(
    level: Level, record: dict, scored: ScoredCells, forecast: Forecast
) -> AccuracyScore:
    return AccuracyScore(
        forecast=forecast,
        cycle_id=record["cycle_id"],
        cycle_month=scored.cycles[record["cycle_id"]],
        month=month_of(record["m"]),
        lag=record["lag"],
        level=level,
        key=record["key"],
        series=record["series"],
        actual_total=record["actual_total"],
        forecast_total=record["forecast_total"],
        abs_error=record["abs_error"],
        wape=record["wape"],
        mase=record["mase"],
        bias_pct=record["bias_pct"],
        hit_rate=record["hit_rate"],
    )


STEP_COLUMNS = {
    FvaLayer.NAIVE: "naive",
    FvaLayer.BASELINE: MeasureCode.BASELINE,
    FvaLayer.EVENTS: "with_events",
    FvaLayer.FINAL: "final",
}


def fva_rows(scored: ScoredCells) -> list[FvaScore]:
    cells = scored.cells
    terms = cells[[*PLAN_KEYS, "actual"]].copy()
    for layer, column in STEP_COLUMNS.items():
        terms[layer] = (cells[column] - cells["actual"]).abs()
    sums = terms.groupby(PLAN_KEYS).agg(
        cells=("actual", "size"), actual=("actual", "sum"), **{k: (k, "sum") for k in STEP_COLUMNS}
    )
    rows = [
        _fva(scored, key, layer, 0, row.cells, row.actual, getattr(row, layer), None)
        for key, row in zip(sums.index, sums.itertuples(), strict=True)
        for layer in STEP_COLUMNS
    ]
    return rows + _overridden_rows(scored) + _layer_rows(scored) + _pipeline_rows(scored)


PIPELINE_LAYERS = {FvaLayer.PIPELINE: "pipeline", FvaLayer.PIPELINE_LEARNED: "pipeline_learned"}


def _pipeline_rows(scored: ScoredCells) -> list[FvaScore]:
    """The frozen pipeline's error over every scored cell of the plans that have one."""
    cells = scored.cells[scored.cells["pipeline"].notna()]
    rows = []
    for layer, column in PIPELINE_LAYERS.items():
        frame = pd.DataFrame(
            {
                **{k: cells[k] for k in PLAN_KEYS},
                "actual": cells["actual"],
                "after": (cells[column] - cells["actual"]).abs(),
                "before": (cells["final"] - cells["actual"]).abs(),
            }
        )
        rows += _sum_layer(scored, frame, layer, group=None)
    return rows


def _fva(scored, key, layer, group, cells, actual, after, before) -> FvaScore:
    cycle_id, m, lag = key
    return FvaScore(
        cycle_id=cycle_id,
        cycle_month=scored.cycles[cycle_id],
        month=month_of(m),
        lag=lag,
        layer=layer,
        key=group,
        cells=int(cells),
        actual_total=float(actual),
        abs_error=float(after),
        abs_error_before=None if before is None else float(before),
    )


def _overridden_rows(scored: ScoredCells) -> list[FvaScore]:
    """All overridden cells together: baseline + events before, the final plan after."""
    cells = scored.cells[scored.cells[MeasureCode.OVERRIDE].notna()]
    frame = pd.DataFrame(
        {
            **{k: cells[k] for k in PLAN_KEYS},
            "actual": cells["actual"],
            "after": (cells["final"] - cells["actual"]).abs(),
            "before": (cells["with_events"] - cells["actual"]).abs(),
        }
    )
    return _sum_layer(scored, frame, FvaLayer.OVERRIDES, group=None)


def _layer_rows(scored: ScoredCells) -> list[FvaScore]:
    """Each override's touched cells: its consensus before and after, by person and reason."""
    touched = _override_cells(list(scored.cycles))
    if touched.empty:
        return []
    actual = scored.cells[[*KEYS, "lag", "actual"]]
    frame = touched.merge(actual, on=KEYS)
    frame["before"] = (frame["before"] - frame["actual"]).abs()
    frame["after"] = (frame["after"] - frame["actual"]).abs()
    return _sum_layer(scored, frame, FvaLayer.PERSON, group="actor_id") + _sum_layer(
        scored, frame, FvaLayer.REASON, group="reason_id"
    )


def _sum_layer(scored, frame: pd.DataFrame, layer: FvaLayer, group: str | None) -> list:
    by = PLAN_KEYS if group is None else [*PLAN_KEYS, group]
    sums = frame.groupby(by).agg(
        cells=("actual", "size"),
        actual=("actual", "sum"),
        after=("after", "sum"),
        before=("before", "sum"),
    )
    return [
        _fva(scored, key[:3], layer, key[3] if group else 0, *values)
        for key, values in zip(sums.index, sums.itertuples(index=False), strict=True)
    ]


def _override_cells(cycle_ids: list[int]) -> pd.DataFrame:
    """The cells of each override that stands: an undone one adds no value and takes none."""
    cells, overrides = OverrideCell._meta.db_table, Override._meta.db_table
    sql = (
        "SELECT o.cycle_id, c.product_id, c.territory_id, c.month, o.actor_id, o.reason_id, "
        "CAST(c.before AS DOUBLE PRECISION), CAST(c.after AS DOUBLE PRECISION) "
        f"FROM {cells} c JOIN {overrides} o ON o.id = c.override_id "
        "WHERE o.undone_at IS NULL "
        f"AND o.cycle_id IN ({', '.join(['%s'] * len(cycle_ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, cycle_ids)
        columns = [*KEYS[:3], "month", "actor_id", "reason_id", "before", "after"]
        frame = pd.DataFrame(cursor.fetchall(), columns=columns)
    frame["m"] = month_index(frame.pop("month")) if len(frame) else np.array([], dtype=np.int64)
    return frame


def tracking_updates(rows: list[AccuracyScore]) -> None:
    """Set each row's tracking signal from its aggregate's scored months so far."""
    frame = pd.DataFrame(
        {
            "lag": [r.lag for r in rows],
            "level": [r.level for r in rows],
            "key": [r.key for r in rows],
            "forecast": [r.forecast for r in rows],
            "month": [r.month for r in rows],
            "error": [r.forecast_total - r.actual_total for r in rows],
        }
    )
    signals = metrics.tracking_signals(frame, ["lag", "level", "key", "forecast"], order="month")
    for row, signal in zip(rows, signals.tolist(), strict=True):
        row.tracking_signal = signal
