"""Writes of the KPI app: the administrator's choice of key metrics."""

from django.db import transaction

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from kpis.catalogue import Choice, parse_choices
from kpis.models import KpiSetting
from kpis.selectors import kpi_choices
from sop_planner.errors import DomainError


@transaction.atomic
def kpi_settings_save(*, actor: User, rows: list[dict]) -> list[Choice]:
    """Choose which KPIs the dashboard shows, in which order, with which thresholds.

    `rows` holds one dict per KPI (code, visible, position, threshold) as a form
    or JSON sends them; nothing is saved unless every row is valid.
    """
    ensure_allowed(actor, "kpis.define")
    choices, errors = parse_choices(rows)
    if errors:
        raise DomainError("The KPI choice was not saved.", items=errors)
    before = {c.code: _plain(c) for c in kpi_choices()}
    for choice in choices:
        KpiSetting.objects.update_or_create(
            code=choice.code,
            defaults={
                "visible": choice.visible,
                "position": choice.position,
                "threshold": choice.threshold,
                "updated_by": actor,
            },
        )
    after = {c.code: _plain(c) for c in choices}
    changed = {code for code in after if after[code] != before.get(code)}
    audit_record(
        actor=actor,
        action="kpis.define",
        before={code: before.get(code) for code in sorted(changed)},
        after={code: after[code] for code in sorted(changed)},
    )
    return choices


def _plain(choice: Choice) -> dict:
    return {"visible": choice.visible, "position": choice.position, "threshold": choice.threshold}
