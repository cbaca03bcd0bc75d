from django.apps import AppConfig


class ForecastingConfig(AppConfig):
    """Sales history, forecast runs and the forecast engine."""

    name = "forecasting"
