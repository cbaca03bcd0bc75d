"""The engine's one entry point: monthly history in, forecasts and choices out.

Long format in (unique_id, ds, y); a month without a row is a month without
sales. Series are grouped by candidate set and backtest plan so that
statsforecast fits many series per call (that batching is what makes it fast).
"""

from dataclasses import dataclass, field, replace
from typing import Any, cast

import numpy as np
import pandas as pd

from forecasting.engine import backtest, candidates, intervals, late, select
from forecasting.engine.candidates import CandidateSet, EngineConfig
from forecasting.engine.classify import Profile, classify

FORECAST_COLUMNS = ["unique_id", "ds", "point", "lo80", "hi80", "lo95", "hi95"]
SELECTION_COLUMNS = [
    "unique_id", "demand_class", "method", "mase", "wape", "bias", "months", "reason", "scores",
]  # fmt: skip


@dataclass
class EngineResult:
    forecasts: pd.DataFrame  # FORECAST_COLUMNS, `horizon` rows per series
    selections: pd.DataFrame  # SELECTION_COLUMNS, one row per series
    # unique_id, ds, forecast: the chosen method's forecast from the series' last backtest
    # origin (series that were backtested), for the hierarchy's reconciliation backtest
    backtests: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["unique_id", "ds", "forecast"])
    )


def forecast_series(
    history: pd.DataFrame,
    *,
    config: EngineConfig | None = None,
    end: pd.Timestamp | None = None,
    stops: dict[str, pd.Timestamp] | None = None,
    reported: dict[str, pd.Timestamp] | None = None,
) -> EngineResult:
    """Forecast every series of `history`; `end` is the last month of history for all
    series (months after a series' last row then count as months without sales).

    `stops`: series known to stop selling (a discontinued product) and the first month
    without sales; the forecast is zero from that month on.
    `reported`: series whose territory has reported only up to an earlier month than
    `end`, and that month: they are forecast from it, for the same months as the others.
    """
    config = config or EngineConfig()
    behind = late.behind(reported or {}, end) if end is not None else {}
    if end is None or not behind:
        return _forecast(history, config, end, stops)
    results = []
    for own_end, part in late.parts(history, behind, end):
        lag = late.months_behind(own_end, end)
        result = _forecast(part, replace(config, horizon=config.horizon + lag), own_end, stops)
        result.forecasts = late.plan_months(result.forecasts, end, config.horizon)
        if lag:
            result.selections = late.noted(result.selections, own_end, end)
        results.append(result)
    return _joined(results)


def _joined(results: list[EngineResult]) -> EngineResult:
    forecasts = pd.concat([r.forecasts for r in results], ignore_index=True)
    selections = pd.concat([r.selections for r in results], ignore_index=True)
    joined = EngineResult(
        forecasts.sort_values(["unique_id", "ds"], ignore_index=True),
        selections.sort_values("unique_id", ignore_index=True),
    )
    tested = [r.backtests for r in results if len(r.backtests)]
    if tested:
        joined.backtests = pd.concat(tested, ignore_index=True)
    return joined


def _forecast(history: pd.DataFrame, config: EngineConfig, end, stops) -> EngineResult:
    prepared, last_month = prepare_history(history, end=end, max_history=config.max_history)
    profiles = profile_all(prepared, last_month.index)
    stopped = _stopped(profiles, last_month, stops or {})
    selections, forecasts, backtests = [], [], []
    for cset, uids in _by_candidate_set(profiles, config).items():
        uids = [u for u in uids if u not in stopped]
        if uids:
            part = prepared[prepared["unique_id"].isin(uids)]
            chosen, frame, tested = _model(part, {u: profiles[u] for u in uids}, cset, config)
            selections.extend(chosen)
            forecasts.append(frame)
            backtests.extend(tested)
    zero_uids = [
        u
        for u, p in profiles.items()
        if u in stopped or candidates.candidate_set(p.demand_class, config) is None
    ]
    selections.extend(_zero_selection(profiles[u], u, stopped.get(u)) for u in zero_uids)
    forecasts.append(_zero_forecasts(zero_uids, last_month, config.horizon))
    result = _assemble(selections, forecasts)
    if backtests:
        result.backtests = pd.concat(backtests, ignore_index=True)
    return _stop_later(result, stops or {})


def _stopped(profiles, last_month: pd.Series, stops: dict) -> dict[str, pd.Timestamp]:
    """Series whose stop month is at or before their first forecast month."""
    return {
        uid: pd.Timestamp(stop)
        for uid, stop in stops.items()
        if uid in profiles and pd.Timestamp(stop) <= last_month[uid] + pd.DateOffset(months=1)
    }


def _stop_later(result: EngineResult, stops: dict) -> EngineResult:
    """Zero the forecast months from a stop that falls inside the horizon."""
    frame = result.forecasts
    for uid, stop in stops.items():
        mask = (frame["unique_id"] == uid) & (frame["ds"] >= pd.Timestamp(stop))
        frame.loc[mask, FORECAST_COLUMNS[2:]] = 0.0
    return result


def prepare_history(
    history: pd.DataFrame, *, end: pd.Timestamp | None, max_history: int
) -> tuple[pd.DataFrame, pd.Series]:
    """A full monthly grid per series from its first sale (within the cap) to its last month.

    Negative months (returns) count as zero; duplicate rows are summed.
    Returns the grid and each series' last month (all series, even without sales).
    """
    df = history[["unique_id", "ds", "y"]].copy()
    df["unique_id"] = df["unique_id"].astype(str)
    df["ds"] = pd.to_datetime(df["ds"]).dt.to_period("M").dt.to_timestamp()
    df["y"] = pd.to_numeric(df["y"], errors="coerce").fillna(0).clip(lower=0).astype(float)
    df = df.groupby(["unique_id", "ds"], as_index=False, sort=True)["y"].sum()  # type: ignore[assignment]  # as_index=False: a DataFrame (the stubs say Series)
    month = df["ds"].dt.year * 12 + df["ds"].dt.month - 1
    last = month.groupby(df["unique_id"]).max()
    if end is not None:
        last[:] = pd.Timestamp(end).year * 12 + pd.Timestamp(end).month - 1
    sold = df["y"] > 0
    first = month[sold].groupby(df.loc[sold, "unique_id"]).min()
    first = np.maximum(first, last.reindex(first.index) - max_history + 1)
    grid = _month_grid(first, last.reindex(first.index))
    grid = grid.merge(df, on=["unique_id", "ds"], how="left").fillna({"y": 0.0})
    return grid, _to_timestamps(last)


def _month_grid(first: pd.Series, last: pd.Series) -> pd.DataFrame:
    lengths = (last - first + 1).clip(lower=0).to_numpy()
    starts = np.repeat(first.to_numpy(), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    months = starts + offsets
    return pd.DataFrame(
        {
            "unique_id": np.repeat(first.index.to_numpy(), lengths),
            "ds": _to_timestamps(pd.Series(months)).to_numpy(),
        }
    )


def _to_timestamps(months: pd.Series) -> pd.Series:
    years, month0 = np.divmod(months.to_numpy().astype(int), 12)
    stamps = pd.to_datetime({"year": years, "month": month0 + 1, "day": 1})
    return pd.Series(stamps.to_numpy(), index=months.index)


def profile_all(prepared: pd.DataFrame, all_uids) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for uid, y in prepared.groupby("unique_id", sort=True)["y"]:
        profiles[cast(str, uid)] = classify(y.to_numpy())
    for uid in sorted(set(all_uids) - set(profiles)):
        profiles[uid] = classify(np.zeros(0))
    return profiles


def _by_candidate_set(profiles: dict[str, Profile], config: EngineConfig) -> dict:
    groups: dict[CandidateSet, list[str]] = {}
    for uid, profile in profiles.items():
        cset = candidates.candidate_set(profile.demand_class, config)
        if cset is not None:
            groups.setdefault(cset, []).append(uid)
    return groups


def _model(part, profiles, cset: CandidateSet, config: EngineConfig):
    """Backtest each plan group, choose per series, then fit the chosen methods once."""
    plans: dict[candidates.BacktestPlan, list[str]] = {}
    for uid, profile in profiles.items():
        plans.setdefault(candidates.backtest_plan(profile.months, cset, config), []).append(uid)
    choices, reasons, scales, tested = {}, {}, {}, []
    for plan, uids in plans.items():
        got, last = _choose(part[part["unique_id"].isin(uids)], profiles, cset, plan, config)
        tested.append(last)
        for uid, (choice, reason, scale) in got.items():
            choices[uid], reasons[uid], scales[uid] = choice, reason, scale
    frame, guarded = _final_forecasts(part, choices, cset, config)
    frame = intervals.widen(frame, scales, config.levels)
    reasons = {u: r + intervals.reason(scales[u]) for u, r in reasons.items()}
    rows = [
        _selection(uid, profiles[uid], choices[uid], reasons[uid] + guarded.get(uid, ""), cset)
        for uid in choices
    ]
    return rows, frame, tested


def _combined(cset: CandidateSet, config: EngineConfig) -> dict[str, tuple[str, ...]]:
    """The combinations competing in this candidate set: name -> the methods (or, for a
    blend, the combinations named before it) averaged."""
    if not config.combine or not cset.name.startswith("regular"):
        return {}
    named = [(select.combination_name(p), p) for p in config.combinations]
    named += [(select.combination_name(p, kind="Median"), p) for p in config.medians]
    combined: dict[str, tuple[str, ...]] = {}
    for name, parts in [*named, *config.blends]:
        if all(p in cset.methods or p in combined for p in parts):
            combined[name] = tuple(parts)
    return combined


def _base_methods(method: str, combined: dict[str, tuple[str, ...]]) -> set[str]:
    """The fitted methods a method needs: itself, or every method under its combination."""
    if method not in combined:
        return {method}
    return set().union(*(_base_methods(part, combined) for part in combined[method]))


def _choose(df, profiles, cset: CandidateSet, plan, config: EngineConfig) -> tuple[dict, Any]:
    uids = sorted(df["unique_id"].unique())
    if plan.horizon == 0 or len(cset.methods) == 1:
        method = cset.methods[-1] if plan.horizon == 0 else cset.methods[0]
        return {
            u: (
                select.Choice(method, (method,), {}),
                select.untested_reason(profiles[u], method),
                {},
            )
            for u in uids
        }, backtest.last_origin(None, {})
    levels = list(config.levels) if cset.name.startswith("regular") else None
    cv = backtest.cross_validate(
        df, cset, plan, refit=config.refit_backtest or cset.cheap, levels=levels
    )
    combined = _combined(cset, config)
    cv = backtest.add_combinations(cv, combined)
    methods = [*cset.methods, *combined]
    mase_scale = backtest.scales(df, cv[["unique_id", "cutoff"]])
    table = backtest.scores(cv, methods, mase_scale)
    groups = {u: profiles[u].demand_class.value for u in uids}
    if config.pool:
        default = config.default_method if config.default_method in methods else None
        choices = select.pool_all(
            table, groups, methods,
            benchmark_margin=config.benchmark_margin, own_margin=config.own_margin,
            default=default, switch_margin=config.switch_margin, switch_share=config.switch_share,
        )  # fmt: skip
    else:
        choices = select.rank_all(table, methods, benchmark_margin=config.benchmark_margin)
    chosen = {u: c.method for u, c in choices.items()}
    scale = intervals.factors(cv, chosen, groups, levels) if levels else {}
    return {
        u: (
            choices[u],
            select.backtest_reason(
                profiles[u], choices[u], windows=plan.windows, horizon=plan.horizon
            ),
            scale.get(u, {}),
        )
        for u in uids
    }, backtest.last_origin(cv, chosen)


def _final_forecasts(part, choices, cset: CandidateSet, config: EngineConfig):
    """Fit, per series, only its chosen method(s), batched by need; series whose forecast
    fails the guard are refitted with every candidate and take the best one that passes."""
    combined = _combined(cset, config)
    needs: dict[tuple[str, ...], list[str]] = {}
    for uid, choice in choices.items():
        wanted = _base_methods(choice.method, combined)
        needs.setdefault(tuple(m for m in cset.methods if m in wanted), []).append(uid)
    reference = _reference_peaks(part, config)
    frames: list[pd.DataFrame] = []
    wild: list[str] = []
    for methods, uids in needs.items():
        fitted = _fit(part[part["unique_id"].isin(uids)], methods, cset, config)
        picked = _pick(fitted, {u: choices[u].method for u in uids}, combined, config)
        peaks = picked.groupby("unique_id")["point"].max()
        bad = peaks.index[~(peaks <= reference.reindex(peaks.index))]
        frames.append(picked[~picked["unique_id"].isin(bad)])
        wild.extend(bad)
    guarded = {}
    if wild:
        frame, guarded = _refit_guarded(part, sorted(wild), choices, cset, config, reference)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True), guarded


def _reference_peaks(part: pd.DataFrame, config: EngineConfig) -> pd.Series:
    """guard_ratio x a robust peak of the history (its 90th percentile, or the mean)."""
    grouped = part.groupby("unique_id")["y"]
    robust = np.maximum(grouped.quantile(0.9), grouped.mean())
    return config.guard_ratio * robust  # type: ignore[return-value]  # np.maximum of two Series is a Series (numpy's stubs say ndarray)


def _refit_guarded(part, uids, choices, cset: CandidateSet, config: EngineConfig, reference):
    combined = _combined(cset, config)
    fitted = _fit(part[part["unique_id"].isin(uids)], cset.methods, cset, config)
    frames, notes = [], {}
    for uid, rows in fitted.groupby("unique_id", sort=True):
        first = choices[uid].method
        ranking = [m for m in choices[uid].ranking if m != first] or list(cset.methods)
        safe = _first_believable(rows, ranking, combined, config, reference[uid])
        frames.append(_pick(rows, {uid: safe}, combined, config))
        peak = _pick(rows, {uid: first}, combined, config)["point"].max()
        notes[uid] = select.guard_reason(first, peak, reference[uid] / config.guard_ratio, safe)
        choices[uid] = select.Choice(safe, choices[uid].ranking, choices[uid].scores)
    return pd.concat(frames, ignore_index=True), notes


def _first_believable(rows, ranking, combined, config: EngineConfig, limit: float) -> str:
    peaks = {
        m: _pick(rows, {rows["unique_id"].iat[0]: m}, combined, config)["point"].max()
        for m in ranking
    }
    believable = [m for m in ranking if peaks[m] <= limit]
    return believable[0] if believable else min(ranking, key=lambda m: peaks[m])


def _fit(df: pd.DataFrame, methods: tuple[str, ...], cset: CandidateSet, config: EngineConfig):
    from statsforecast import StatsForecast
    from statsforecast.models import Naive

    subset = CandidateSet(
        cset.name, methods, cset.min_train, cset.max_backtest_horizon, cset.cheap
    )
    conformal = config.horizon if cset.name.startswith("intermittent") else None
    models = candidates.build_models(subset, conformal_h=conformal)
    sf = StatsForecast(models=models, freq="MS", n_jobs=1, fallback_model=Naive())
    fc = sf.forecast(df=df, h=config.horizon, level=list(config.levels))
    return fc.reset_index() if "unique_id" not in fc.columns else fc


def _columns(fitted: pd.DataFrame, method: str, config: EngineConfig) -> pd.DataFrame:
    low, high = config.levels
    names = [
        method, f"{method}-lo-{low}", f"{method}-hi-{low}", f"{method}-lo-{high}", f"{method}-hi-{high}",
    ]  # fmt: skip
    out = fitted.reindex(columns=names)
    out.columns = FORECAST_COLUMNS[2:]
    return out


def _method_frame(fitted, method: str, combined, config: EngineConfig) -> pd.DataFrame:
    if method in combined:
        parts = [_method_frame(fitted, m, combined, config).to_numpy() for m in combined[method]]
        reduce = np.median if method.startswith("Median") else np.mean
        columns = FORECAST_COLUMNS[2:]
        return pd.DataFrame(reduce(np.stack(parts), axis=0), index=fitted.index, columns=columns)
    return _columns(fitted, method, config)


def _pick(fitted, methods: dict[str, str], combined, config: EngineConfig) -> pd.DataFrame:
    """Each series' forecast and intervals from the columns of its method."""
    out = pd.DataFrame(np.nan, index=fitted.index, columns=FORECAST_COLUMNS[2:])
    chosen = fitted["unique_id"].map(methods)
    for method in chosen.unique():
        mask = chosen == method
        out.loc[mask] = _method_frame(fitted[mask], method, combined, config).to_numpy()
    return pd.concat([fitted[["unique_id", "ds"]], out], axis=1)


def _selection(uid: str, profile: Profile, choice, reason: str, cset: CandidateSet) -> dict:
    measures = choice.scores.get(choice.method, {})
    return {
        "unique_id": uid,
        "demand_class": profile.demand_class.value,
        "method": choice.method,
        "mase": measures.get("mase"),
        "wape": measures.get("wape"),
        "bias": measures.get("bias"),
        "months": profile.months,
        "reason": reason[0].upper() + reason[1:],
        "scores": choice.scores,
    }


def _zero_selection(profile: Profile, uid: str, stop: pd.Timestamp | None = None) -> dict:
    reason = select.zero_reason(profile)
    demand_class = profile.demand_class.value
    if stop is not None:
        demand_class = "discontinued"
        reason = f"discontinued from {stop:%Y-%m} in the product master: the forecast is zero"
    return {
        "unique_id": uid,
        "demand_class": demand_class,
        "method": "Zero",
        "mase": None,
        "wape": None,
        "bias": None,
        "months": profile.months,
        "reason": reason[0].upper() + reason[1:],
        "scores": {},
    }


def _zero_forecasts(uids: list[str], last_month: pd.Series, horizon: int) -> pd.DataFrame:
    rows = [
        (uid, last_month[uid] + pd.DateOffset(months=step))
        for uid in uids
        for step in range(1, horizon + 1)
    ]
    frame = pd.DataFrame(rows, columns=["unique_id", "ds"])
    for column in FORECAST_COLUMNS[2:]:
        frame[column] = 0.0
    return frame


def _assemble(selections: list[dict], forecasts: list[pd.DataFrame]) -> EngineResult:
    frame = pd.concat([f for f in forecasts if len(f)], ignore_index=True)
    frame = frame.reindex(columns=FORECAST_COLUMNS)
    frame = _tidy_intervals(frame).sort_values(["unique_id", "ds"], ignore_index=True)
    chosen = pd.DataFrame(selections, columns=SELECTION_COLUMNS)
    chosen = chosen.sort_values("unique_id", ignore_index=True)
    return EngineResult(frame, chosen)


def _tidy_intervals(frame: pd.DataFrame) -> pd.DataFrame:
    """No negative demand; a missing interval collapses to the point; bands nest."""
    point = frame["point"].fillna(0).clip(lower=0)
    lo80 = frame["lo80"].fillna(point).clip(lower=0).clip(upper=point)
    lo95 = frame["lo95"].fillna(lo80).clip(lower=0).clip(upper=lo80)
    hi80 = frame["hi80"].fillna(point).clip(lower=point)
    hi95 = frame["hi95"].fillna(hi80).clip(lower=hi80)
    return frame.assign(point=point, lo80=lo80, hi80=hi80, lo95=lo95, hi95=hi95)
