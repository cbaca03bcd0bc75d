from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    """The territory hierarchy (regions, territories) and who plans what."""

    name = "territories"
