from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:  # the user model is not importable before the app registry is ready
    from accounts.typing import User


class SupplyConfig(AppConfig):
    """Supply planning: what the company can make against the frozen consensus demand.

    Its own app because supply has its own inputs (capacity, inventory, targets),
    its own engine (projection.py) and its own screens, and nothing in cycles,
    demand or forecasting is about making things. Its figures live in the
    cycles plan-value store like every other measure.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "supply"

    def ready(self) -> None:
        from cycles import hooks
        from supply import input_upload
        from supply.selectors import INPUT_MEASURES, family_anchors
        from uploads.kinds import register_row_module

        hooks.register_family_anchors(family_anchors)
        register_row_module("supply_inputs", input_upload)
        hooks.register_plan_entry(
            INPUT_MEASURES, hooks.PlanEntry(enter=supply_input_enter, per_territory=False)
        )


def supply_input_enter(
    *,
    actor: User,
    cycle_id: int,
    family_id: int,
    measure: str,
    territory_id: int,
    month: date,
    figure: tuple[object, int],
    reason: str,
) -> None:
    """One supply input from the generic plan API, through the supply grid's service."""
    from supply.services import supply_inputs_save

    supply_inputs_save(
        actor=actor,
        cycle_id=cycle_id,
        family_id=family_id,
        cells={(measure, month): figure},
        reason=reason,
    )
