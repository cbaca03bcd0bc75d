"""The History and version CSVs run no formula in Excel, whatever a user typed."""

import csv
import io

import pytest

from audit.services import audit_record
from cycles.plan_services import plan_value_set
from cycles.stages import Stage
from territories.models import Territory

pytestmark = pytest.mark.django_db

DDE = "=cmd|' /C calc'!A0"


def _rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_a_reason_written_as_a_formula_comes_out_of_the_history_csv_as_text(
    client, manager, cycle
):
    audit_record(actor=manager, action="cycle.note", obj=cycle, reason=DDE, cycle_id=cycle.pk)
    client.force_login(manager)
    rows = _rows(client.get(f"/cycles/history/?cycle={cycle.pk}&format=csv"))
    assert [row["why"] for row in rows if row["action"] == "cycle.note"] == ["'" + DDE]


def test_a_territory_code_like_a_formula_comes_out_of_the_version_csv_as_text(
    client, manager, cycle, walk, planners, company, built_csv
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    Territory.objects.filter(pk=company.territories[0].pk).update(code="-1+2;=3")
    plan_value_set(
        actor=planners[0],
        cycle_id=cycle.pk,
        measure="override",
        product_id=company.products[0].pk,
        territory_id=company.territories[0].pk,
        month=cycle.horizon()[1],
        value=42,
        expected_row_version=0,
    )
    client.force_login(manager)
    text = built_csv(client, cycle.pk, "now")
    assert "\"'-1+2;'=3\"" in text  # Excel set to ';' cuts at the ';': that piece is text too
    assert [row["territory"] for row in csv.DictReader(io.StringIO(text))] == ["'-1+2;'=3"]
