"""Which statsforecast methods compete for which demand class, and how deep the backtest is.

Every method is statsforecast's own; here we only choose and configure them.
The default set was chosen on measured cost and accuracy (see bench/forecast_bench.py):
seasonal naive, AutoETS, AutoCES and DynamicOptimizedTheta, and their combinations, for
regular demand (AutoARIMA
costs 5-10x AutoETS for no accuracy gain on monthly S&OP data, so it is off
unless asked for), the Croston family for intermittent demand.
"""

from dataclasses import dataclass, field

from forecasting.engine.classify import DemandClass

SEASON = 12
BLEND = "Blend of ETS+CES+DOTheta mean and +SN median"


@dataclass(frozen=True)
class EngineConfig:
    horizon: int = 12
    levels: tuple[int, int] = (80, 95)
    backtest_horizon: int = 12
    backtest_windows: int = 3
    backtest_step: int = 4
    # When the history is too short for backtest_windows origins of backtest_horizon months
    # (48 months: one origin of 12 after a 36-month train), shorter backtests closer together
    # give more origins: 3 of 6 months, 3 apart (bench/forecast_bench.py --ablation).
    short_backtest_horizon: int = 6
    short_backtest_step: int = 3
    refit_backtest: bool = False  # refit at every origin: ~3x the cost of the backtest
    use_arima: bool = False
    combine: bool = True
    # Combinations that compete for regular demand as one more candidate each: the mean
    # (or the median) of their parts' forecasts and intervals. The mean of AutoETS, AutoCES
    # and DOTheta is the published strong default (M3 monthly sMAPE ~13.6, better than every
    # original entry); AutoETS + SeasonalNaive hedges a seasonal model fitted on few seasons
    # with last year's actuals (bench/forecast_bench.py --ablation).
    # A blend is the mean of other combinations (named by combination_name). The default
    # blends the mean of AutoETS, AutoCES and DOTheta with the median of those three and
    # seasonal naive (the mean of the middle two of four, which drops whichever method strays
    # furthest in a month). Held everywhere it was the best combination on M1 and M3 and
    # within 0.7% of the best on Tourism and US employment, where each of its two parts
    # lost 2% or more on one of the four (bench/forecast_bench.py --ablation).
    combinations: tuple[tuple[str, ...], ...] = (
        ("AutoETS", "AutoCES", "DOTheta"),
        ("AutoETS", "DOTheta"),
        ("AutoETS", "SeasonalNaive"),
    )
    medians: tuple[tuple[str, ...], ...] = (
        ("AutoETS", "AutoCES", "DOTheta"),
        ("AutoETS", "AutoCES", "DOTheta", "SeasonalNaive"),
    )
    blends: tuple[tuple[str, tuple[str, ...]], ...] = (
        (
            BLEND,
            (
                "Mean of AutoETS + AutoCES + DOTheta",
                "Median of AutoETS + AutoCES + DOTheta + SeasonalNaive",
            ),
        ),
    )
    benchmark_margin: float = 0.2  # seasonal naive must backtest 20% better to be chosen
    # Regular series take `default_method` unless the backtest evidence against it is strong:
    # over the series of one class forecast together (one chunk of a run), another method's
    # mean MASE must be `switch_margin` (10%) lower AND it must beat the default on at least
    # `switch_share` of those series; a series leaves the group's choice only when its own
    # best method's MASE is own_margin below it on its own backtest. A few short backtests
    # are noisy: choosing freely among them cost accuracy (issue 17).
    default_method: str | None = BLEND
    switch_margin: float = 0.1
    switch_share: float = 0.6
    pool: bool = True
    # A series' own few backtests are too noisy to leave the group's choice on, unless the
    # default blew up on them: its own best method must score 80% lower (5x better). At 50%
    # the series' own winners cost 0.2-0.6% MASE on M1, M3 and US employment; never leaving
    # (1.0) cost 0.1-0.2% on M1 and M3 (bench/forecast_bench.py --ablation).
    own_margin: float = 0.8
    max_history: int = 72  # months; older history costs time and buys no accuracy
    guard_ratio: float = 3.0  # a forecast above 3x the history's usual high is not believed
    methods: tuple[str, ...] | None = field(default=None)  # restrict the competition (bench)


@dataclass(frozen=True)
class CandidateSet:
    """The methods of one class, and the least history each backtest origin must keep."""

    name: str
    methods: tuple[str, ...]
    min_train: int
    max_backtest_horizon: int
    cheap: bool = False  # cheap methods refit at every origin (Croston's family must)


# Every backtest origin keeps three seasons of history: fitted on two, AutoETS and Theta
# often cannot estimate the seasonality they find on the full history (measured in bench/).
REGULAR = CandidateSet("regular", ("SeasonalNaive", "AutoETS", "AutoCES", "DOTheta"), 36, 12)
REGULAR_ARIMA = CandidateSet(
    "regular+arima", ("SeasonalNaive", "AutoETS", "AutoCES", "DOTheta", "AutoARIMA"), 36, 12
)
SHORT = CandidateSet("short", ("Naive", "HistoricAverage", "AutoETS", "DOTheta"), 9, 6, cheap=True)
INTERMITTENT = CandidateSet(
    "intermittent", ("CrostonOptimized", "ADIDA", "IMAPA", "TSB"), 12, 12, cheap=True
)
NEW = CandidateSet("new", ("Naive",), 0, 0)


def candidate_set(demand_class: DemandClass, config: EngineConfig) -> CandidateSet | None:
    """None for classes that need no model (all zeros, discontinued)."""
    if demand_class in (DemandClass.SMOOTH, DemandClass.ERRATIC):
        chosen = REGULAR_ARIMA if config.use_arima else REGULAR
    elif demand_class in (DemandClass.INTERMITTENT, DemandClass.LUMPY):
        chosen = INTERMITTENT
    elif demand_class is DemandClass.SHORT:
        chosen = SHORT
    elif demand_class is DemandClass.NEW:
        chosen = NEW
    else:
        return None
    return _restricted(chosen, config)


def _restricted(chosen: CandidateSet, config: EngineConfig) -> CandidateSet:
    if not config.methods:
        return chosen
    kept = tuple(m for m in chosen.methods if m in config.methods) or chosen.methods[:1]
    return CandidateSet(
        chosen.name + "*", kept, chosen.min_train, chosen.max_backtest_horizon, chosen.cheap
    )


@dataclass(frozen=True)
class BacktestPlan:
    horizon: int
    windows: int
    step: int


def backtest_plan(months: int, candidates: CandidateSet, config: EngineConfig) -> BacktestPlan:
    """As many origins (up to the configured number) as the history allows, at the full
    backtest horizon or, when that gives more origins, at the short one."""
    full = _plan(months, candidates, config.backtest_horizon, config.backtest_step, config)
    short = _plan(
        months, candidates, config.short_backtest_horizon, config.short_backtest_step, config
    )
    return short if short.windows > full.windows else full


def _plan(
    months: int, candidates: CandidateSet, horizon: int, step: int, config: EngineConfig
) -> BacktestPlan:
    horizon = min(horizon, candidates.max_backtest_horizon, months - candidates.min_train)
    if horizon < 1:
        return BacktestPlan(0, 0, step)
    spare = months - candidates.min_train - horizon
    windows = max(1, min(config.backtest_windows, spare // step + 1))
    return BacktestPlan(horizon, windows, step if windows > 1 else 1)


def build_models(candidates: CandidateSet, *, conformal_h: int | None = None) -> list:
    """Fresh statsforecast model objects; imported here so pure callers stay light."""
    from statsforecast import models
    from statsforecast.utils import ConformalIntervals

    from forecasting.engine.ces_band import AutoCESBand

    intervals = ConformalIntervals(h=conformal_h, n_windows=2) if conformal_h else None
    factories = {
        "SeasonalNaive": lambda: models.SeasonalNaive(SEASON, alias="SeasonalNaive"),
        "AutoETS": lambda: models.AutoETS(season_length=SEASON, alias="AutoETS"),
        "DOTheta": lambda: models.DynamicOptimizedTheta(season_length=SEASON, alias="DOTheta"),
        "AutoCES": lambda: AutoCESBand(season_length=SEASON, alias="AutoCES"),
        "AutoARIMA": lambda: models.AutoARIMA(
            season_length=SEASON, approximation=True, alias="AutoARIMA"
        ),
        "Naive": lambda: models.Naive(alias="Naive"),
        "HistoricAverage": lambda: models.HistoricAverage(alias="HistoricAverage"),
        "CrostonOptimized": lambda: models.CrostonOptimized(
            alias="CrostonOptimized", prediction_intervals=intervals
        ),
        "ADIDA": lambda: models.ADIDA(alias="ADIDA", prediction_intervals=intervals),
        "IMAPA": lambda: models.IMAPA(alias="IMAPA", prediction_intervals=intervals),
        "TSB": lambda: models.TSB(0.1, 0.1, alias="TSB", prediction_intervals=intervals),
    }
    return [factories[name]() for name in candidates.methods]
