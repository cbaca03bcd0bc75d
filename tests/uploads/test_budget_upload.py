"""Finance's budget comes in through the same upload, preview, commit and revert."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from cycles.stages import Stage
from sop_planner.errors import DomainError, NotAllowed
from tests.fixtures.uploads import budget_file, committed, refusal, reverted, sent_back
from tests.supply.plan_data import open_cycle, values
from uploads.columns import KINDS
from uploads.models import UploadBatch
from uploads.templates_files import template

pytestmark = pytest.mark.django_db

JAN, FEB = date(2027, 1, 1), date(2027, 2, 1)


@pytest.fixture
def cycle(users_by_role, company):
    return open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.RECONCILIATION)


@pytest.fixture
def finance(users_by_role):
    return users_by_role[Role.FINANCE]


def test_a_budget_file_previews_commits_and_reverts(cycle, company, finance, upload):
    family, territory = company.families[0].code, company.territories[0].code
    content = budget_file(
        f"{family},{territory},2027-01,100,250.5", f"{family},{territory},2027-02,80,200"
    )
    batch = upload(finance, content, name="budget.csv", kind="budgets")
    assert batch.status == UploadBatch.Status.PREVIEWED
    assert (batch.new_count, batch.changed_count, batch.rejected_count) == (2, 0, 0)
    assert batch.periods == ["2027-01", "2027-02"]
    assert values(cycle, "budget_units") == {}
    committed(actor=finance, batch_id=batch.pk)
    units = values(cycle, "budget_units")
    assert sorted(units.values()) == [Decimal(80), Decimal(100)]
    assert sorted(values(cycle, "budget_revenue").values()) == [Decimal(200), Decimal("250.5")]
    assert AuditEvent.objects.filter(action="upload.budgets.commit").count() == 1
    assert AuditEvent.objects.filter(action="plan.import").count() == 1
    again = upload(finance, content, name="budget.csv", kind="budgets")
    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, 2)
    assert again.changes_nothing
    reverted(actor=finance, batch_id=batch.pk, reason="wrong version")
    assert values(cycle, "budget_units") == {}  # no budget again, not a budget of 0
    assert values(cycle, "budget_revenue") == {}


def test_a_corrected_budget_replaces_only_its_cells(cycle, company, finance, upload):
    family, territory = company.families[0].code, company.territories[0].code
    first = budget_file(
        f"{family},{territory},2027-01,100,250", f"{family},{territory},2027-02,80,200"
    )
    committed(actor=finance, batch_id=upload(finance, first, name="b.csv", kind="budgets").pk)
    fix = upload(
        finance, budget_file(f"{family},{territory},2027-02,90,210"), name="b.csv", kind="budgets"
    )
    assert (fix.new_count, fix.changed_count) == (0, 1)
    committed(actor=finance, batch_id=fix.pk)
    assert sorted(values(cycle, "budget_units").values()) == [Decimal(90), Decimal(100)]
    reverted(actor=finance, batch_id=fix.pk)
    assert sorted(values(cycle, "budget_units").values()) == [Decimal(80), Decimal(100)]


def test_a_budget_changed_since_the_preview_is_not_overwritten(cycle, company, finance, upload):
    family, territory = company.families[0].code, company.territories[0].code
    late = upload(
        finance, budget_file(f"{family},{territory},2027-01,1,1"), name="b.csv", kind="budgets"
    )
    early = upload(
        finance, budget_file(f"{family},{territory},2027-01,2,2"), name="b.csv", kind="budgets"
    )
    committed(actor=finance, batch_id=early.pk)
    refused = committed(actor=finance, batch_id=late.pk)
    assert "absent when you previewed, now units 2, revenue 2" in sent_back(refused)
    assert list(values(cycle, "budget_units").values()) == [Decimal(2)]


def test_hostile_budget_rows_are_each_named_and_nothing_is_written(
    cycle, company, finance, upload
):
    family, territory = company.families[0].code, company.territories[0].code
    content = budget_file(
        f"{family},{territory},2027-01,100,250",
        f"nofamily,{territory},2027-01,1,1",
        f"{family},nowhere,2027-01,1,1",
        f"{family},{territory},January,1,1",
        f"{family},{territory},2031-01,1,1",
        f"{family},{territory},2027-02,-5,1",
        f"{family},{territory},2027-02,1,lots",
        f"{family},{territory},2027-01,3,3",
        f",{territory},2027-03,1,1",
        f"{family},{territory},2027-03,,1",
        f"{family},{territory},2027-13,1,1",
        f"=cmd|' /C calc'!A0,{territory},2027-03,1,1",
    )
    batch = upload(finance, content, name="budget.csv", kind="budgets")
    horizon = cycle.horizon()
    outside = f"outside the horizon of {cycle} ({horizon[0]:%Y-%m} to {horizon[-1]:%Y-%m})"
    found = sorted(batch.rejections.values_list("row_number", "column", "value", "reason"))
    assert found == [
        (3, "family", "nofamily", "unknown product family"),
        (4, "territory", "nowhere", "unknown territory"),
        (5, "month", "January", "not a month: write it as YYYY-MM"),
        (6, "month", "2031-01", outside),
        (7, "units", "-5", "must be 0 or more"),
        (8, "revenue", "lots", "not a number written with a decimal point, comma for thousands"),
        (9, "month", "2027-01", "duplicate of row 2 (same family, territory and month)"),
        (10, "family", "", "the family is missing"),
        (11, "units", "", "the units figure is missing"),
        (12, "month", "2027-13", "not a month: write it as YYYY-MM"),
        (13, "family", "=cmd|' /C calc'!A0", "unknown product family"),
    ]
    assert (batch.new_count, batch.rejected_count) == (1, 11)
    with pytest.raises(DomainError, match="11 rejected row"):
        committed(actor=finance, batch_id=batch.pk)
    assert values(cycle, "budget_units") == {}


def test_a_budget_needs_an_open_cycle(company, finance, upload):
    family, territory = company.families[0].code, company.territories[0].code
    batch = upload(
        finance, budget_file(f"{family},{territory},2027-01,1,1"), name="b.csv", kind="budgets"
    )
    assert "no open cycle" in refusal(batch)


def test_budget_files_in_european_format_and_xlsx(cycle, company, finance, upload):
    family, territory = company.families[1].code, company.territories[2].code
    content = (
        f"Family;Territory;Month;Units;Revenue\n{family};{territory};2027-01;1.200;3.000,50\n"
    )
    batch = upload(finance, content.encode("cp1252"), name="b.csv", kind="budgets")
    committed(actor=finance, batch_id=batch.pk)
    assert list(values(cycle, "budget_units").values()) == [Decimal(1200)]
    assert list(values(cycle, "budget_revenue").values()) == [Decimal("3000.5")]


def test_the_budget_template_reads_back_as_a_budget_upload(cycle, company, finance, upload):
    content, _ = template(KINDS["budgets"], "xlsx")
    batch = upload(finance, content, name="budget-template.xlsx", kind="budgets")
    assert batch.status == UploadBatch.Status.PREVIEWED
    problems = set(batch.rejections.values_list("column", "reason"))
    assert problems <= {("family", "unknown product family"), ("territory", "unknown territory")}
    csv_text, _ = template(KINDS["budgets"], "csv")
    assert csv_text.splitlines()[0] == "family,territory,month,units,revenue"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_budget_uploads_follow_the_permission_table(users_by_role, company, cycle, upload, role):
    family, territory = company.families[0].code, company.territories[0].code
    content = budget_file(f"{family},{territory},2027-01,1,1")
    if role is Role.FINANCE:
        upload(users_by_role[role], content, name="b.csv", kind="budgets")
    else:
        with pytest.raises(NotAllowed):
            upload(users_by_role[role], content, name="b.csv", kind="budgets")


def _queries_to_commit_and_revert(cycle, company, finance, upload, months: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [
        f"{family.code},{territory.code},{month:%Y-%m},100,250"
        for family in company.families
        for territory in company.territories
        for month in cycle.horizon()[:months]
    ]
    batch = upload(finance, budget_file(*rows), name=f"b{months}.csv", kind="budgets")
    with CaptureQueriesContext(connection) as queries:
        committed(actor=finance, batch_id=batch.pk)
        reverted(actor=finance, batch_id=batch.pk)
    assert len(values(cycle, "budget_units")) == 0  # committed, then reverted whole
    return len(queries)


def test_a_budget_commit_reads_the_stored_budget_once_however_many_rows_it_has(
    cycle, company, finance, upload
):
    """Once per row made a 1,000-row commit hold the (embedded SQLite) database for seconds."""
    small = _queries_to_commit_and_revert(cycle, company, finance, upload, months=1)
    large = _queries_to_commit_and_revert(cycle, company, finance, upload, months=12)
    assert large == small
