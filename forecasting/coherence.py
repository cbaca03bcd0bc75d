"""The write half of a run's reconciliation across the hierarchy (called by services only,
inside the transaction that completes the run): read the run's forecasts, make them add
up (forecasting.engine.coherent), store the reconciled SKU x territory months and the
record of what was chosen and why."""

import pandas as pd

from forecasting import selectors
from forecasting.engine import EngineConfig, hierarchy
from forecasting.engine.coherent import make_coherent
from forecasting.models import ForecastRun, ForecastValue

BANDS = ("lo80", "hi80", "lo95", "hi95")


def make_run_coherent(run: ForecastRun) -> dict:
    """The reconciliation record of the run (empty for a run without series)."""
    values = selectors.run_values_frame(run.pk)
    if values.empty:
        return {}
    series = sorted(
        {
            (int(p), int(t))
            for p, t in zip(values["product_id"], values["territory_id"], strict=True)
        }
    )
    result = make_coherent(
        selectors.history_frame(series=series, end=run.history_end),
        values[["unique_id", "ds", "point"]],
        selectors.run_backtests_frame(run.pk),
        selectors.family_region_of(series),
        end=pd.Timestamp(run.history_end),
        config=EngineConfig(**run.config),
        reported=selectors.last_reported(series=series, end=run.history_end),
    )
    if result.decision.method != hierarchy.BOTTOM_UP:
        _store(run, values, result.points)
    return {
        "method": result.decision.method,
        "reason": result.decision.reason,
        "scores": result.decision.scores,
        "levels": list(hierarchy.LEVELS),
        "months": result.months,
        "totals": result.totals,
    }


def _store(run: ForecastRun, values: pd.DataFrame, points: pd.DataFrame) -> None:
    """Replace the run's months by the reconciled points; each band moves with its point."""
    merged = values.merge(points.rename(columns={"point": "new"}), on=["unique_id", "ds"])
    shift = merged["new"] - merged["point"]
    for band in BANDS:
        merged[band] = (merged[band] + shift).clip(lower=0)
    merged["lo80"] = merged[["lo80", "new"]].min(axis=1)
    merged["lo95"] = merged[["lo95", "lo80"]].min(axis=1)
    merged["hi80"] = merged[["hi80", "new"]].max(axis=1)
    merged["hi95"] = merged[["hi95", "hi80"]].max(axis=1)
    ForecastValue.objects.filter(run=run).delete()
    ForecastValue.objects.bulk_create(
        (
            ForecastValue(
                run=run, chunk=row.chunk, product_id=row.product_id,
                territory_id=row.territory_id, month=row.month, point=round(row.new, 3),
                lo80=round(row.lo80, 3), hi80=round(row.hi80, 3),
                lo95=round(row.lo95, 3), hi95=round(row.hi95, 3),
            )
            for row in merged.itertuples(index=False)
        ),
        batch_size=5000,
    )  # fmt: skip
