"""Supply inputs come in through the uploads pipeline: preview, rejected rows, commit, revert.

The supply page's "Import" posts its file there (a preview, then commit), so a
figure reads the same on the supply page and on the Uploads page.
"""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from accounts.roles import Role
from audit.models import AuditEvent
from cycles.stages import Stage
from sop_planner.errors import DomainError, NotAllowed
from tests.fixtures.uploads import committed, refusal, reverted, sent_back
from tests.supply.plan_data import open_cycle, values
from tests.uploads.page_imports import commit_on_page, page_import
from uploads.models import UploadBatch

pytestmark = pytest.mark.django_db

JAN = date(2027, 1, 1)
HEADER = "family,month,measure,value\n"
POINT = "decimal point, comma for thousands"


@pytest.fixture
def cycle(users_by_role, company):
    return open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)


@pytest.fixture
def planner(users_by_role):
    return users_by_role[Role.SUPPLY_PLANNER]


def inputs_file(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def send(upload, planner, content: bytes, name: str = "inputs.csv") -> UploadBatch:
    return upload(planner, content, name=name, kind="supply_inputs")


def test_supply_inputs_preview_commit_and_revert(cycle, company, planner, upload):
    family = company.families[0]
    content = inputs_file(
        f"{family.code},2027-01,capacity,120", f"{family.name},2026-11,opening_inventory,40"
    )
    batch = send(upload, planner, content)
    assert (batch.status, batch.new_count, batch.rejected_count) == ("previewed", 2, 0)
    assert values(cycle, "capacity") == {}  # a preview writes nothing
    committed(actor=planner, batch_id=batch.pk)
    assert list(values(cycle, "capacity").values()) == [Decimal(120)]
    assert list(values(cycle, "opening_inventory").values()) == [Decimal(40)]
    assert AuditEvent.objects.filter(action="upload.supply_inputs.commit").count() == 1
    again = send(upload, planner, content)
    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, 2)
    reverted(actor=planner, batch_id=batch.pk, reason="wrong file")
    assert values(cycle, "capacity") == {}  # no capacity again, not a capacity of 0


def test_a_corrected_file_replaces_only_its_cells_and_reverts_to_the_old_figure(
    cycle, company, planner, upload
):
    code = company.families[0].code
    first = send(upload, planner, inputs_file(f"{code},2027-01,capacity,100"))
    committed(actor=planner, batch_id=first.pk)
    fix = send(upload, planner, inputs_file(f"{code},2027-01,capacity,90"))
    assert (fix.new_count, fix.changed_count) == (0, 1)
    committed(actor=planner, batch_id=fix.pk)
    assert list(values(cycle, "capacity").values()) == [Decimal(90)]
    reverted(actor=planner, batch_id=fix.pk)
    assert list(values(cycle, "capacity").values()) == [Decimal(100)]


def test_an_input_changed_since_the_preview_is_not_overwritten(cycle, company, planner, upload):
    code = company.families[0].code
    late = send(upload, planner, inputs_file(f"{code},2027-01,capacity,1"))
    early = send(upload, planner, inputs_file(f"{code},2027-01,capacity,2"))
    committed(actor=planner, batch_id=early.pk)
    refused = committed(actor=planner, batch_id=late.pk)
    assert "absent when you previewed, now value 2" in sent_back(refused)
    assert list(values(cycle, "capacity").values()) == [Decimal(2)]


def test_bad_rows_are_each_named_and_nothing_is_written(cycle, company, planner, upload):
    code = company.families[0].code
    content = inputs_file(
        f"{code},2027-01,capacity,120",
        "nope,2027-13,stock,-1",
        f"{code},2027-02,capacity,1e400",
        f'{code},2027-03,capacity,"10,5"',
        f"{code},2027-01,capacity,7",
    )
    batch = send(upload, planner, content)
    found = sorted(batch.rejections.values_list("row_number", "column", "value", "reason"))
    measures = "capacity, opening_inventory, inventory_target, target_weeks, min_production"
    assert found == [
        (3, "family", "nope", "unknown product family"),
        (3, "measure", "stock", f"not a supply input (one of {measures}, max_cover)"),
        (3, "month", "2027-13", "not a month: write it as YYYY-MM"),
        (3, "value", "-1", "must be 0 or more"),
        (4, "value", "1e400", "too large (plan figures are below 100,000,000,000,000)"),
        (5, "value", "10,5", f"not a number written with a {POINT}"),
        (6, "month", "2027-01", "duplicate of row 2 (same family, measure and month)"),
    ]
    with pytest.raises(DomainError, match="4 rejected row"):
        committed(actor=planner, batch_id=batch.pk)
    assert values(cycle, "capacity") == {}


def test_supply_inputs_from_xlsx_with_months_as_dates(cycle, company, planner, upload):
    book = Workbook()
    book.active.append(["Family", "Month", "Measure", "Value"])
    book.active.append([company.families[1].code, JAN, "capacity", 30.5])
    buffer = BytesIO()
    book.save(buffer)
    batch = send(upload, planner, buffer.getvalue(), name="inputs.xlsx")
    assert batch.rejected_count == 0, list(batch.rejections.values_list("reason", flat=True))
    committed(actor=planner, batch_id=batch.pk)
    assert list(values(cycle, "capacity").values()) == [Decimal("30.5")]


def test_supply_inputs_are_frozen_after_supply_planning(cycle, company, planner, upload):
    type(cycle).objects.filter(pk=cycle.pk).update(stage=Stage.RECONCILIATION)
    content = inputs_file(f"{company.families[0].code},2027-01,capacity,1")
    batch = send(upload, planner, content)
    assert "frozen in Reconciliation" in refusal(batch)
    assert values(cycle, "capacity") == {}


def test_a_preview_taken_in_supply_planning_cannot_be_committed_after_it(
    cycle, company, planner, upload
):
    batch = send(upload, planner, inputs_file(f"{company.families[0].code},2027-01,capacity,1"))
    type(cycle).objects.filter(pk=cycle.pk).update(stage=Stage.RECONCILIATION)
    assert "frozen in Reconciliation" in sent_back(committed(actor=planner, batch_id=batch.pk))
    assert values(cycle, "capacity") == {}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_supply_input_uploads_follow_the_permission_table(
    users_by_role, company, cycle, upload, role
):
    content = inputs_file(f"{company.families[0].code},2027-01,capacity,1")
    user = users_by_role[role]
    if role is Role.SUPPLY_PLANNER:
        send(upload, user, content)
    else:
        with pytest.raises(NotAllowed):
            send(upload, user, content)


def test_the_supply_page_import_previews_then_commits(cycle, company, planner, client):
    content = inputs_file(f'{company.families[0].code},2027-01,capacity,"10,500"')
    page, batch = page_import(client, planner, f"/supply/{cycle.pk}/import/", content)
    assert page.request["PATH_INFO"] == f"/uploads/{batch.pk}/"
    assert "then check the preview and commit" in page.content.decode()
    assert values(cycle, "capacity") == {}
    commit_on_page(client, batch)
    assert list(values(cycle, "capacity").values()) == [Decimal(10500)]


def test_the_supply_page_import_names_a_bad_row_on_the_preview(cycle, company, planner, client):
    content = inputs_file(f"{company.families[0].code},2027-01,capacity,lots")
    page, batch = page_import(client, planner, f"/supply/{cycle.pk}/import/", content)
    body = page.content.decode()
    assert f"not a number written with a {POINT}" in body and "lots" in body
    assert "1 rejected row" in commit_on_page(client, batch)
    assert values(cycle, "capacity") == {}


def test_the_supply_page_of_another_cycle_refuses_the_import(cycle, company, planner, client):
    content = inputs_file(f"{company.families[0].code},2027-01,capacity,1")
    page, batch = page_import(client, planner, f"/supply/{cycle.pk + 1}/import/", content)
    assert "this cycle is not open" in page.content.decode()
    assert batch is None


def _queries_to_commit_and_revert(cycle, company, planner, upload, months: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [
        f"{family.code},{month:%Y-%m},{measure},{value}"
        for family in company.families
        for month in cycle.horizon()[:months]
        for measure, value in (("capacity", 120), ("min_production", 10))
    ]
    batch = send(upload, planner, inputs_file(*rows), name=f"inputs{months}.csv")
    with CaptureQueriesContext(connection) as queries:
        committed(actor=planner, batch_id=batch.pk)
        reverted(actor=planner, batch_id=batch.pk)
    assert values(cycle, "capacity") == {}  # committed, then reverted whole
    return len(queries)


def test_a_supply_inputs_commit_reads_the_stored_figures_once_however_many_rows(
    cycle, company, planner, upload
):
    small = _queries_to_commit_and_revert(cycle, company, planner, upload, months=1)
    large = _queries_to_commit_and_revert(cycle, company, planner, upload, months=12)
    assert large == small
