from django.apps import AppConfig


class CarryForwardConfig(AppConfig):
    """Last month's inputs proposed to a new cycle: nothing retyped that last month knew.

    Its own app because it reads the last released cycle of every other app
    (supply inputs, the budget, promotions and launches) and owns rows none of
    them has (a proposal and whether its owner confirmed it); cycles only calls
    it through the cycle-open hook, so cycles keeps knowing nothing about supply
    or budgets.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "carryforward"
    verbose_name = "Carried forward"

    def ready(self) -> None:
        from carryforward import services  # noqa: F401  (registers the cycle-open hook)
