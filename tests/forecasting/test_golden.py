"""Golden files: a few series' chosen method, reason and forecast, so a change is a readable diff.

Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.
"""

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import forecast_series
from tests.forecasting import synthetic as syn

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "seasonal": lambda: syn.seasonal(48),
    "trend": lambda: syn.trending(48),
    "intermittent": lambda: syn.intermittent(48),
    "new": lambda: np.array([40.0, 55.0, 60.0, 58.0, 70.0]),
}


def render(name: str, values: np.ndarray) -> str:
    result = forecast_series(syn.series(name, values), end=syn.END)
    chosen = result.selections.iloc[0]
    lines = [
        f"# class: {chosen.demand_class}",
        f"# method: {chosen.method}",
        f"# reason: {chosen.reason}",
        "month,point,lo80,hi80,lo95,hi95",
    ]
    for row in result.forecasts.itertuples():
        numbers = ",".join(f"{v:.1f}" for v in (row.point, row.lo80, row.hi80, row.lo95, row.hi95))
        lines.append(f"{pd.Timestamp(row.ds):%Y-%m},{numbers}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_forecast_matches_its_golden_file(name):
    path = GOLDEN / f"{name}.csv"
    text = render(name, CASES[name]())
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text)
    if not path.exists():
        pytest.fail(
            f"Golden file {path.name} is missing: create it with UPDATE_GOLDEN=1 "
            f"pytest {Path(__file__).name}, review it and commit it"
        )
    assert text == path.read_text()


def test_a_missing_golden_file_fails_and_says_how_to_create_it(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "GOLDEN", tmp_path)
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)

    with pytest.raises(pytest.fail.Exception, match="missing: create it with UPDATE_GOLDEN=1"):
        test_forecast_matches_its_golden_file("new")
    assert not (tmp_path / "new.csv").exists()
