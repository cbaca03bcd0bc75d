"""Supply inputs and the budget from a CSV or XLSX file: validated as a whole, named errors."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from accounts.roles import Role
from audit.models import AuditEvent
from cycles.stages import Stage
from reconciliation.services import budget_import
from sop_planner.errors import DomainError, NotAllowed
from supply.services import supply_inputs_import
from tests.supply.plan_data import open_cycle, values

JAN = date(2027, 1, 1)


@pytest.fixture
def cycle(users_by_role, company):
    return open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)


def csv(text: str) -> bytes:
    return text.strip().encode()


def test_supply_inputs_are_imported_and_a_second_import_changes_nothing(
    cycle, company, users_by_role
):
    planner, family = users_by_role[Role.SUPPLY_PLANNER], company.families[0]
    content = csv(
        f"family,month,measure,value\n{family.code},2027-01,capacity,120\n"
        f"{family.name},2026-11,opening_inventory,40"
    )
    assert (
        supply_inputs_import(actor=planner, cycle_id=cycle.pk, file_name="in.csv", content=content)
        == 2
    )
    assert sorted(values(cycle, "capacity").values()) == [Decimal(120)]
    assert (
        supply_inputs_import(actor=planner, cycle_id=cycle.pk, file_name="in.csv", content=content)
        == 0
    )
    assert AuditEvent.objects.filter(action="plan.import").count() == 2


def test_a_file_with_bad_rows_names_each_and_changes_nothing(cycle, company, users_by_role):
    content = csv(
        f"family,month,measure,value\n{company.families[0].code},2027-01,capacity,120\n"
        "nope,2027-13,stock,-1\n"
        f"{company.families[0].code},2027-02,capacity,1e400"
    )
    with pytest.raises(DomainError) as refused:
        supply_inputs_import(
            actor=users_by_role[Role.SUPPLY_PLANNER],
            cycle_id=cycle.pk,
            file_name="in.csv",
            content=content,
        )
    message = refused.value.message
    assert "in.csv was not imported, nothing changed" in message
    assert "row 3, column family: 'nope' is not a known product family" in message
    assert "row 3, column month: '2027-13' is not a month" in message
    assert "row 3, column measure: 'stock' is not a known supply input" in message
    assert "row 3, column value: '-1' must be 0 or more" in message
    assert "row 4, column value: '1e400' is too large" in message
    assert values(cycle, "capacity") == {}


def test_a_repeated_row_is_refused(cycle, company, users_by_role):
    code = company.families[0].code
    content = csv(
        f"family,month,measure,value\n{code},2027-01,capacity,1\n{code},2027-01,capacity,2"
    )
    with pytest.raises(DomainError, match="row 3 repeats an earlier row"):
        supply_inputs_import(
            actor=users_by_role[Role.SUPPLY_PLANNER],
            cycle_id=cycle.pk,
            file_name="in.csv",
            content=content,
        )


def test_finance_imports_the_budget_from_xlsx(cycle, company, users_by_role):
    book = Workbook()
    sheet = book.active
    sheet.append(["Family", "Territory", "Month", "Units", "Revenue"])
    sheet.append([company.families[1].code, company.territories[2].code, JAN, 30, 300.5])
    buffer = BytesIO()
    book.save(buffer)
    budget_import(
        actor=users_by_role[Role.FINANCE],
        cycle_id=cycle.pk,
        file_name="b.xlsx",
        content=buffer.getvalue(),
    )
    assert list(values(cycle, "budget_revenue").values()) == [Decimal("300.5")]
    assert list(values(cycle, "budget_units").values()) == [Decimal(30)]


def test_a_supply_planner_cannot_import_the_budget(cycle, company, users_by_role):
    content = csv(
        f"family,territory,month,units,revenue\n{company.families[0].code},{company.territories[0].code},2027-01,1,1"
    )
    with pytest.raises(NotAllowed):
        budget_import(
            actor=users_by_role[Role.SUPPLY_PLANNER],
            cycle_id=cycle.pk,
            file_name="b.csv",
            content=content,
        )
    assert values(cycle, "budget_units") == {}


def test_supply_inputs_are_frozen_after_supply_planning(cycle, company, users_by_role):
    type(cycle).objects.filter(pk=cycle.pk).update(stage=Stage.RECONCILIATION)
    content = csv(f"family,month,measure,value\n{company.families[0].code},2027-01,capacity,1")
    with pytest.raises(NotAllowed, match="frozen in Reconciliation"):
        supply_inputs_import(
            actor=users_by_role[Role.SUPPLY_PLANNER],
            cycle_id=cycle.pk,
            file_name="in.csv",
            content=content,
        )


def test_the_import_form_on_the_supply_page(cycle, company, users_by_role, client):
    client.force_login(users_by_role[Role.SUPPLY_PLANNER])
    upload = BytesIO(
        csv(f"family,month,measure,value\n{company.families[0].code},2027-01,capacity,9")
    )
    upload.name = "inputs.csv"
    page = client.post(
        f"/supply/{cycle.pk}/import/", {"file": upload}, follow=True
    ).content.decode()
    assert "Supply inputs imported." in page and "1 figure(s) changed" in page
