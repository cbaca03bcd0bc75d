"""The sign-off pack files carry the sales side (issue 18): quota vs consensus vs budget per
territory and the pipeline coverage, in the workbook and the PDF."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reconciliation.pack_pdf import pack_pdf
from reconciliation.pack_xlsx import pack_workbook
from tests.factories import mark_released
from tests.fixtures.pipeline import crm_deal
from tests.fixtures.reconciliation import pdf_words
from tests.supply.plan_data import put

pytestmark = pytest.mark.django_db
DEC = date(2026, 12, 1)


def sheet_rows(content: bytes, title: str) -> list[tuple]:
    return list(load_workbook(BytesIO(content))[title].iter_rows(min_row=2, values_only=True))


@pytest.fixture
def with_sales(rec_cycle, company, crm_stages):
    """Territory 0 plans 80 units (800.00) a month against a quota of 63, budget 700.00; one
    deal at 60% for 1,000.00 closes there in December."""
    t0, p0 = company.territories[0], company.products[0]
    for month in rec_cycle.horizon():
        put(rec_cycle, "budget_revenue", p0, t0, month, 700)
    crm_deal(crm_stages["proposal"], territory=t0, close=date(2026, 12, 10), lines=[(p0, 10, 100)])
    return rec_cycle


def test_the_workbook_has_quota_vs_plan_and_coverage_sheets_with_the_figures(with_sales, company):
    content = pack_workbook(with_sales)
    t0, t1 = company.territories[0], company.territories[1]
    quota = {row[0]: row for row in sheet_rows(content, "Quota vs plan")}
    # ten quota months in the horizon (2027-01 .. 2027-10)
    assert quota[str(t0)][1:7] == (630, 800, 0, 6300, 8000, 7000)
    assert quota[str(t0)][7] == 26.98  # (8,000 - 6,300) / 6,300, to the cent
    assert quota[str(t0)][8] == "needs a decision"
    assert quota[str(t1)][8] == "within threshold"
    coverage = {(row[0], row[1]): row for row in sheet_rows(content, "Pipeline coverage")}
    december = coverage[(t0.name, "Dec 2026")]
    assert december[2:] == (600, 0, 800, 75, "not covered")  # 60% of 1,000 against 800
    assert coverage[(company.territories[2].name, "Dec 2026")][6] == "no consensus"


def test_the_pdf_has_both_sections(with_sales, company):
    text = pdf_words(pack_pdf(with_sales))
    assert "Quota vs plan" in text and "needs a decision" in text
    assert "Pipeline coverage" in text and "75.0% not covered" in text


def test_a_plan_released_before_the_crm_says_so_in_the_workbook(with_sales):
    mark_released(with_sales)
    rows = sheet_rows(pack_workbook(with_sales), "Pipeline coverage")
    assert rows == [("No CRM pipeline was frozen at this plan's release: it was released "
                     "before the CRM.", None, None, None, None, None, None)]  # fmt: skip
