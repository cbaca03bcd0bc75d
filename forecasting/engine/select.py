"""Choosing one method per series from its backtest scores, and saying why in words."""

import math
from dataclasses import dataclass, field, replace
from typing import cast

import pandas as pd

from forecasting.engine.classify import DemandClass, Profile

CLASS_WORDS = {
    DemandClass.SMOOTH: "smooth demand",
    DemandClass.ERRATIC: "erratic demand",
    DemandClass.INTERMITTENT: "intermittent demand",
    DemandClass.LUMPY: "lumpy demand",
    DemandClass.SHORT: "short history",
}


BENCHMARKS = frozenset({"SeasonalNaive", "Naive", "HistoricAverage"})


@dataclass(frozen=True)
class Choice:
    method: str
    ranking: tuple[str, ...]  # best first
    scores: dict[str, dict[str, float | None]]  # method -> mase, wape, bias
    benchmark_passed_over: str = ""  # a benchmark that backtested best, but not by the margin
    pool: "Pool | None" = None  # set when the choice is the pooled one of a group
    declined: "Pool | None" = None  # set when the series' own method beat the group's clearly


@dataclass(frozen=True)
class Pool:
    """The evidence of a group of series of one class backtested together."""

    size: int
    ranking: tuple[str, ...]  # best first, by mean MASE over the group
    mase: dict[str, float]  # method -> mean MASE over the group
    benchmark_passed_over: str = ""
    default_held: str = ""  # a method that backtested better, but not clearly: the default held
    far_off: dict[str, int] = field(default_factory=dict)  # method -> series scored > FAR_OFF


# A backtest MASE above this (errors ten times the history's own seasonal-naive error) is a
# forecast that ran far off, e.g. a model diverging from a fixed fit at a later origin. A few
# of them make a group's mean MASE read in the hundreds: the reason says so in words.
FAR_OFF_MASE = 10.0


def rank_all(
    scores: pd.DataFrame, preference: list[str], *, benchmark_margin: float = 0.0
) -> dict[str, Choice]:
    """Per series: lowest MASE wins; ties (to 3 decimals) go to the smaller |bias|, then to
    the method listed first (the simpler one).

    A benchmark (seasonal naive, naive) wins only when its MASE is `benchmark_margin`
    below the best model's: backtest origins train on less history than the final fit,
    which handicaps the models that estimate seasonality, never the benchmark.
    """
    table = scores.assign(
        key_mase=scores["mase"].round(3).fillna(math.inf),
        key_bias=scores["bias"].abs().fillna(math.inf),
        key_order=scores["method"].map({m: i for i, m in enumerate(preference)}),
    ).sort_values(["unique_id", "key_mase", "key_bias", "key_order"], kind="mergesort")
    choices: dict[str, Choice] = {}
    for uid, rows in table.groupby("unique_id", sort=False):
        methods = rows["method"].tolist()
        measures = zip(
            rows["mase"].tolist(), rows["wape"].tolist(), rows["bias"].tolist(), strict=True
        )
        numbers = {
            m: {"mase": _num(a), "wape": _num(w), "bias": _num(b)}
            for m, (a, w, b) in zip(methods, measures, strict=True)
        }
        choices[cast(str, uid)] = _with_margin(
            Choice(methods[0], tuple(methods), numbers), benchmark_margin
        )
    return choices


def pool_all(
    scores: pd.DataFrame,
    groups: dict[str, str],
    preference: list[str],
    *,
    benchmark_margin: float = 0.0,
    own_margin: float = 0.5,
    default: str | None = None,
    switch_margin: float = 0.1,
    switch_share: float = 0.6,
) -> dict[str, Choice]:
    """Per group of series (e.g. one demand class): the `default` method unless another
    beats it clearly over the group (mean MASE `switch_margin` lower, and lower on at least
    `switch_share` of its series, in a group of MIN_SWITCH_GROUP or more); without a default,
    the method with the lowest mean MASE. A series keeps its own best method only when that
    beats the group's choice, on the series' own backtest, by more than `own_margin`.

    One short backtest per series is noisy: averaged over a group, the same origins tell
    which method generalises, and a strong default is hard to beat by chance
    (measured in bench/forecast_bench.py --ablation).
    """
    own = rank_all(scores, preference, benchmark_margin=benchmark_margin)
    group_of = scores["unique_id"].map(groups)
    switch = (default, switch_margin, switch_share)
    choices = {}
    for _, table in scores.groupby(group_of, sort=True):
        uids = sorted(table["unique_id"].unique())
        if len(uids) == 1 and default is None:
            choices[uids[0]] = own[uids[0]]
            continue
        pool = _pool(table, preference, benchmark_margin, len(uids), switch)
        for uid in uids:
            choices[uid] = _pooled_or_own(own[uid], pool, own_margin)
    return choices


MIN_SWITCH_GROUP = 3


def _pool(table: pd.DataFrame, preference: list[str], margin: float, size: int, switch) -> Pool:
    mean = table.groupby("method", sort=False)[["mase", "bias"]].mean()
    summary = pd.DataFrame(
        {"unique_id": "pool", "method": mean.index, "mase": mean["mase"].to_numpy(),
         "wape": None, "bias": mean["bias"].to_numpy()}
    )  # fmt: skip
    choice = rank_all(summary, preference, benchmark_margin=margin)["pool"]
    mase = {m: v["mase"] for m, v in choice.scores.items() if v["mase"] is not None}
    far_off = table[table["mase"] > FAR_OFF_MASE].groupby("method").size()
    counts = {str(method): int(n) for method, n in far_off.items()}
    pool = Pool(size, choice.ranking, mase, choice.benchmark_passed_over, far_off=counts)
    default = switch[0]
    if default is None or default not in mase or pool.ranking[0] == default:
        return pool
    if _clearly_better(table, pool.ranking[0], default, size, switch):
        return pool
    ranking = (default, *[m for m in pool.ranking if m != default])
    return replace(pool, ranking=ranking, default_held=pool.ranking[0], benchmark_passed_over="")


def _clearly_better(table: pd.DataFrame, best: str, default: str, size: int, switch) -> bool:
    _, margin, share = switch
    by_method = table.pivot_table(index="unique_id", columns="method", values="mase")
    pair = by_method[[best, default]].dropna()
    if size < MIN_SWITCH_GROUP or pair.empty:
        return False
    wins = float((pair[best] < pair[default]).mean())
    return bool(pair[best].mean() <= (1 - margin) * pair[default].mean() and wins >= share)


def _pooled_or_own(own: Choice, pool: Pool, own_margin: float) -> Choice:
    pooled = pool.ranking[0]
    mine, theirs = own.scores[own.method]["mase"], own.scores.get(pooled, {}).get("mase")
    if own.method != pooled and (
        theirs is None or (mine is not None and mine < (1 - own_margin) * theirs)
    ):
        return replace(own, declined=pool)
    ranking = (pooled, *[m for m in own.ranking if m != pooled])
    return Choice(pooled, ranking, own.scores, pool=pool)


def _with_margin(choice: Choice, margin: float) -> Choice:
    first = choice.method
    models = [m for m in choice.ranking if m not in BENCHMARKS]
    if first not in BENCHMARKS or not models or margin <= 0:
        return choice
    best, bench = choice.scores[models[0]]["mase"], choice.scores[first]["mase"]
    if best is None or bench is None or bench <= (1 - margin) * best:
        return choice
    ranking = (models[0], *[m for m in choice.ranking if m != models[0]])
    return Choice(models[0], ranking, choice.scores, benchmark_passed_over=first)


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def combination_name(parts: tuple[str, ...], kind: str = "Mean") -> str:
    return f"{kind} of {' + '.join(parts)}"


def backtest_reason(profile: Profile, choice: Choice, *, windows: int, horizon: int) -> str:
    """E.g. 'smooth demand, 48 months of history: AutoETS beat DOTheta and SeasonalNaive
    on 3 rolling backtests of 12 months, MASE 0.71'."""
    chosen, others = choice.method, list(choice.ranking[1:])
    mase = choice.scores[choice.method]["mase"]
    opening = f"{CLASS_WORDS[profile.demand_class]}, {profile.months} months of history"
    origins = f"{windows} rolling backtest{'s' if windows != 1 else ''} of {horizon} months"
    score = f"MASE {mase:.2f}" if mase is not None else "no error measurable"
    if choice.pool is not None:
        return _pooled_reason(profile, choice, opening, origins, score)
    if not others:
        return f"{opening}: {chosen} on {origins}, {score}"
    if choice.benchmark_passed_over:
        bench = choice.benchmark_passed_over
        return (
            f"{opening}: {chosen} chosen on {origins}, {score}; {bench} scored "
            f"{choice.scores[bench]['mase']:.2f} but a benchmark must win by a clear margin"
        )
    text = f"{opening}: {chosen} beat {_words(others)} on {origins}, {score}"
    if choice.declined is not None:
        group = choice.declined
        favoured = group.ranking[0]
        favoured_mase = group.mase.get(favoured, math.nan)
        if group.size == 1:
            text += f"; the default, {favoured}, scored {favoured_mase:.2f} here: clearly worse"
        else:
            text += (
                f"; the {group.size} series of {CLASS_WORDS[profile.demand_class]} backtested "
                f"together favoured {favoured} (mean MASE {_group_mase(group, favoured)}),"
                f" but here {chosen} was clearly better"
            )
    return text


def _pooled_reason(profile: Profile, choice: Choice, opening: str, origins: str, score: str):
    """E.g. 'smooth demand, 48 months of history: Mean of AutoETS + SeasonalNaive had the
    lowest mean MASE (0.93) over the 92 smooth series backtested together on 3 rolling
    backtests of 6 months, ahead of AutoETS (0.95), ...; on this series MASE 0.71'."""
    pool = choice.pool
    assert pool is not None, "called for a pooled choice only"
    others = [f"{m} ({_group_mase(pool, m)})" for m in pool.ranking[1:] if m in pool.mase]
    group_mase = _group_mase(pool, choice.method)
    group = f"the {pool.size} series of {CLASS_WORDS[profile.demand_class]} backtested together"
    if pool.default_held:
        held = pool.default_held
        text = (
            f"{opening}: {choice.method} is the default; over {group} on {origins} its mean "
            f"MASE was {group_mase}, and {held} ({_group_mase(pool, held)}) was not clearly "
            "better (another method must beat the default clearly, on average and on most series)"
        )
    else:
        text = f"{opening}: {choice.method} had the lowest mean MASE ({group_mase}) over {group} on {origins}"
        if others:
            text += f", ahead of {_words(others)}"
    if pool.benchmark_passed_over:
        text += f" ({pool.benchmark_passed_over} is a benchmark and must win by a clear margin)"
    own_best = min(
        (m for m, v in choice.scores.items() if v["mase"] is not None),
        key=lambda m: choice.scores[m]["mase"],  # type: ignore[arg-type,return-value]  # None filtered out above
        default=choice.method,
    )
    text += f"; on this series {score}"
    if own_best != choice.method:
        text += (
            f" ({own_best} scored {choice.scores[own_best]['mase']:.2f} here, "
            "not clearly enough better to leave the group's choice)"
        )
    return text


def _group_mase(pool: Pool, method: str) -> str:
    """A method's mean MASE over the group, and how many of its series ran far off."""
    text = f"{pool.mase.get(method, math.nan):.2f}"
    far_off = pool.far_off.get(method, 0)
    if far_off:
        text += f", from forecasts far off on {far_off} of the {pool.size} series"
    return text


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def untested_reason(profile: Profile, method: str) -> str:
    if profile.demand_class is DemandClass.NEW:
        return (
            f"new, {profile.months} month{'s' if profile.months != 1 else ''} of history: "
            f"too short to backtest, so the forecast holds the last month's level ({method})"
        )
    return (
        f"{CLASS_WORDS.get(profile.demand_class, profile.demand_class.value)}, "
        f"{profile.months} months of history: too short to backtest, so {method} is used"
    )


def zero_reason(profile: Profile) -> str:
    if profile.demand_class is DemandClass.ALL_ZERO:
        return "no sales in the history: the forecast is zero"
    return (
        f"no sales in the last {profile.trailing_zeros} months after {profile.months - profile.trailing_zeros}"
        " months of sales: treated as discontinued, the forecast is zero"
    )


def guard_reason(method: str, peak: float, history_peak: float, safe: str) -> str:
    return (
        f"; {method}'s forecast (peak {peak:,.0f}) was far above anything in the history "
        f"(usually up to {history_peak:,.0f}), so {safe} is used instead"
    )
