from django.apps import AppConfig


class SupplyConfig(AppConfig):
    """Supply planning: what the company can make against the frozen consensus demand.

    Its own app because supply has its own inputs (capacity, inventory, targets),
    its own engine (projection.py) and its own screens, and nothing in cycles,
    demand or forecasting is about making things. Its figures live in the
    cycles plan-value store like every other measure.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "supply"
