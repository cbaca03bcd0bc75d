from django.apps import AppConfig


class CyclesConfig(AppConfig):
    """The monthly cycle, its stages, gates, sign-off and versions; the planning calendar."""

    name = "cycles"
