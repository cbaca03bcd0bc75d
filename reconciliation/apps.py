from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:  # the user model is not importable before the app registry is ready
    from accounts.typing import User


class ReconciliationConfig(AppConfig):
    """Reconciliation: demand vs supply vs budget, the gaps and their decisions, scenarios,
    and the executive pre-read built from them.

    Its own app, apart from supply, because it reads every plan (demand, supply,
    budget) and owns rows none of them has (gap decisions, scenarios); apart
    from cycles because cycles only knows stages and gates, and learns about
    open gaps through its gate-check hook.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "reconciliation"

    def ready(self) -> None:
        from cycles.hooks import PlanEntry, on_stage_exit, register_plan_entry
        from cycles.measures import MeasureCode
        from cycles.stages import Stage
        from reconciliation import (
            budget_upload,
            gate,  # noqa: F401  (registers the reconciliation gate check)
        )
        from reconciliation.pack_services import pack_on_release
        from uploads.kinds import register_row_module

        on_stage_exit(Stage.SIGN_OFF)(pack_on_release)
        budget = (MeasureCode.BUDGET_UNITS, MeasureCode.BUDGET_REVENUE)
        register_plan_entry(budget, PlanEntry(enter=budget_enter, per_territory=True))
        register_row_module("budgets", budget_upload)


def budget_enter(
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
    """One budget figure from the generic plan API, through the budget's service (its own
    reason in the history, as on the budget page)."""
    from reconciliation.services import budget_save

    budget_save(
        actor=actor,
        cycle_id=cycle_id,
        family_id=family_id,
        cells={(measure, territory_id, month): figure},
    )
