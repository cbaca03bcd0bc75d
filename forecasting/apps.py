from django.apps import AppConfig


class ForecastingConfig(AppConfig):
    """Sales history, forecast runs and the forecast engine."""

    name = "forecasting"

    def ready(self) -> None:
        from cycles.hooks import on_stage_exit, register_actuals_reader
        from cycles.stages import Stage
        from forecasting.selectors import territories_with_actuals

        on_stage_exit(Stage.DATA_GATHERING)(start_forecast_after_data_gathering)
        register_actuals_reader(territories_with_actuals)


def start_forecast_after_data_gathering(*, cycle_id: int, actor_id: int | None) -> None:
    """Leaving data gathering recomputes the cycle's baseline forecast."""
    from forecasting.services import forecast_run_start_on_stage_exit

    forecast_run_start_on_stage_exit(cycle_id=cycle_id, actor_id=actor_id)
