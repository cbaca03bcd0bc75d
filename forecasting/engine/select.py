"""Choosing one method per series from its backtest scores, and saying why in words."""

import math
from dataclasses import dataclass

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
    choices = {}
    for uid, rows in table.groupby("unique_id", sort=False):
        methods = rows["method"].tolist()
        measures = zip(
            rows["mase"].tolist(), rows["wape"].tolist(), rows["bias"].tolist(), strict=True
        )
        numbers = {
            m: {"mase": _num(a), "wape": _num(w), "bias": _num(b)}
            for m, (a, w, b) in zip(methods, measures, strict=True)
        }
        choices[uid] = _with_margin(Choice(methods[0], tuple(methods), numbers), benchmark_margin)
    return choices


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


def label(method: str, combined: tuple[str, ...]) -> str:
    return f"Mean of {' + '.join(combined)}" if method == "Combination" else method


def backtest_reason(
    profile: Profile, choice: Choice, *, windows: int, horizon: int, combined: tuple[str, ...]
) -> str:
    """E.g. 'smooth demand, 48 months of history: AutoETS beat DOTheta and SeasonalNaive
    on 3 rolling backtests of 12 months, MASE 0.71'."""
    chosen = label(choice.method, combined)
    others = [label(m, combined) for m in choice.ranking[1:]]
    mase = choice.scores[choice.method]["mase"]
    opening = f"{CLASS_WORDS[profile.demand_class]}, {profile.months} months of history"
    origins = f"{windows} rolling backtest{'s' if windows != 1 else ''} of {horizon} months"
    score = f"MASE {mase:.2f}" if mase is not None else "no error measurable"
    if not others:
        return f"{opening}: {chosen} on {origins}, {score}"
    if choice.benchmark_passed_over:
        bench = choice.benchmark_passed_over
        return (
            f"{opening}: {chosen} chosen on {origins}, {score}; {bench} scored "
            f"{choice.scores[bench]['mase']:.2f} but a benchmark must win by a clear margin"
        )
    return f"{opening}: {chosen} beat {_words(others)} on {origins}, {score}"


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
