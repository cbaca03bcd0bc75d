"""The demo seed opens this month's cycle through the cycle service, once."""

from datetime import date

import pytest

from audit.models import AuditEvent
from cycles import gates
from cycles.models import Cycle
from demo.services import demo_company_load


@pytest.mark.django_db
def test_the_demo_opens_one_cycle_in_data_gathering_with_due_dates_and_work_to_do():
    demo_company_load(today=date(2026, 11, 17), series=24)
    demo_company_load(today=date(2026, 11, 17), series=24)
    cycle = Cycle.objects.get(status=Cycle.Status.OPEN)
    assert (cycle.month, cycle.stage, cycle.owner.username) == (
        date(2026, 11, 1),
        "data_gathering",
        "manager",
    )
    assert set(cycle.stage_due) == {
        "data_gathering",
        "demand_planning",
        "supply_planning",
        "reconciliation",
        "sign_off",
    }
    assert AuditEvent.objects.filter(action="cycle.open").count() == 1
    assert gates.open_items(cycle) == ["Territory Baltic has no actuals for 2026-10"]
