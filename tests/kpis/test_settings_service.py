"""The administrator chooses the company's key metrics: validated, all or nothing, audited."""

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from kpis.catalogue import KPIS, default_choices
from kpis.models import KpiSetting
from kpis.selectors import kpi_choices
from kpis.services import kpi_settings_save
from sop_planner.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def rows(**changes) -> list[dict]:
    result = []
    for c in default_choices():
        row = {"code": c.code, "visible": True, "position": c.position, "threshold": c.threshold}
        row.update(changes.get(c.code, {}))
        result.append(row)
    return result


@pytest.fixture
def admin(user_with_role):
    return user_with_role(Role.TECHNICAL_OPERATIONS_ADVISOR)


def test_the_administrator_hides_reorders_and_sets_a_threshold(admin):
    kpi_settings_save(
        actor=admin,
        rows=rows(
            wape_lag1={"visible": False, "position": len(KPIS) + 1},
            days_late={"position": 1, "threshold": 0},
            wape_lag3={"position": 11},
        ),
    )
    choices = kpi_choices()
    assert choices[0].code == "days_late" and choices[0].threshold == 0
    assert not next(c for c in choices if c.code == "wape_lag1").visible
    event = AuditEvent.objects.get(action="kpis.define")
    assert event.actor == admin
    assert set(event.after) == {"wape_lag1", "wape_lag3", "days_late"}
    assert event.before["days_late"] == {"visible": True, "position": 11, "threshold": 2.0}


def test_a_bad_row_saves_nothing_and_says_which_field(admin):
    with pytest.raises(DomainError) as refused:
        kpi_settings_save(
            actor=admin, rows=rows(days_late={"threshold": 1}, shortage={"threshold": "lots"})
        )
    assert refused.value.items == ["Shortage vs target: target threshold: 'lots' is not a number."]
    assert not KpiSetting.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.TECHNICAL_OPERATIONS_ADVISOR])
def test_only_the_administrator_defines_kpis(user_with_role, role):
    with pytest.raises(NotAllowed):
        kpi_settings_save(actor=user_with_role(role), rows=rows())
    assert KpiSetting.objects.count() == 0


def test_saving_the_same_choice_again_records_no_change(admin):
    kpi_settings_save(actor=admin, rows=rows())
    kpi_settings_save(actor=admin, rows=rows())
    assert KpiSetting.objects.count() == len(KPIS)
    assert AuditEvent.objects.filter(action="kpis.define").last().after == {}
