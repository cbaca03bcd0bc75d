"""The forecast engine: pure pandas + statsforecast, no Django.

from forecasting.engine import EngineConfig, forecast_series
result = forecast_series(history)  # history: unique_id, ds, y (monthly)
result.forecasts   # unique_id, ds, point, lo80, hi80, lo95, hi95
result.selections  # unique_id, demand_class, method, mase, wape, bias, months, reason, scores
"""

from forecasting.engine.candidates import EngineConfig
from forecasting.engine.run import EngineResult, forecast_series

__all__ = ["EngineConfig", "EngineResult", "forecast_series"]
