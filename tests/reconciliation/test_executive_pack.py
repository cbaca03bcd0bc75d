"""The executive pack (issue 14): plan vs budget vs last release month by month, approvals and
rejections with full names, gaps and decisions in an executive's words, a workbook that opens
ready to read."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from cycles.measures import MEASURES
from cycles.models import SignOffDecision
from cycles.stages import Stage
from reconciliation import services
from reconciliation.pack import pre_read
from reconciliation.pack_words import MEASURE_WORDS
from tests.factories import mark_released
from tests.fixtures.reconciliation import download, pdf_words
from tests.supply.plan_data import family_capacity, open_cycle, put, put_consensus

pytestmark = pytest.mark.django_db
MONTHS = ["Nov 2026", "Dec 2026"] + [f"{m} 2027" for m in (["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct"])]  # fmt: skip


@pytest.fixture
def signed(company, manager, users_by_role, user_with_role):
    """November's plan in sign-off (40 a month, 400 in Oct 2027), budget 55 units and 1,234.4
    revenue a month; October's release planned 400 for Oct 2026 and 40 a month after."""
    product, territory = company.products[1], company.territories[1]
    last = open_cycle(manager, Stage.RECONCILIATION, month=date(2026, 10, 1))
    put_consensus(last, product, territory, [400] + [40] * 11)
    family_capacity(last, product.family, [1000] * 12)
    mark_released(last)
    cycle = open_cycle(manager, Stage.SIGN_OFF)
    put_consensus(cycle, product, territory, [40] * 11 + [400])
    family_capacity(cycle, product.family, [1000] * 12)
    for month in cycle.horizon():
        put(cycle, "budget_units", product, territory, month, 55)
        put(cycle, "budget_revenue", product, territory, month, "1234.4")
    return cycle


def _decide(cycle, user, decision: str, comment: str) -> None:
    SignOffDecision.objects.create(
        cycle=cycle, move_no=cycle.move_count, decided_by=user, decision=decision, comment=comment
    )


def test_the_chart_is_plan_budget_and_last_release_month_by_month(signed, company):
    chart = pre_read(signed)["chart"]
    price = float(company.products[1].unit_price)
    assert chart["labels"] == MONTHS
    assert chart["volume"] == [40] * 11 + [400]
    assert chart["budget_units"] == [55] * 12
    # the last release planned Nov 2026-Sep 2027; it had no figure for Oct 2027
    assert chart["last_volume"] == [40] * 11 + [None]
    assert chart["revenue"] == [round(40 * price)] * 11 + [round(400 * price)]
    assert chart["budget"] == [1234] * 12
    assert chart["last_revenue"] == [round(40 * price)] * 11 + [None]
    assert chart["last_name"] == "S&OP 2026-10"


def test_the_signoff_page_draws_both_charts_from_that_data(signed, client, manager):
    client.force_login(manager)
    page = client.get(f"/cycles/{signed.pk}/sign-off/").content.decode()
    assert 'id="preread-chart"' in page and 'id="preread-units-chart"' in page
    data = page.split('id="preread-data"')[1].split("</script>")[0]
    assert '"last_volume": [40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, null]' in data


def test_the_pdf_lists_approvals_and_rejections_with_full_names_dates_and_comments(
    signed, client, manager, user_with_role, build_pack
):
    ada = user_with_role(Role.EXECUTIVE, username="ada")
    ada.first_name, ada.last_name = "Ada", "Okafor"
    ada.save()
    bo = user_with_role(Role.EXECUTIVE, username="bo")
    bo.first_name, bo.last_name = "Bo", "Lindqvist"
    bo.save()
    _decide(signed, bo, "reject", "Budget gap in Q3 not explained")
    _decide(signed, ada, "approve", "Fine once the Q3 gap is explained")
    build_pack(signed, manager)
    client.force_login(manager)
    content = download(client, f"/reconciliation/{signed.pk}/pack.pdf")
    text = pdf_words(content)
    today = f"{SignOffDecision.objects.first().decided_at:%d %b %Y}"
    rejected = text.index(f"Rejected by Bo Lindqvist on {today}")
    approved = text.index(f"Approved by Ada Okafor on {today}")
    assert rejected < approved  # oldest first
    assert "Comment: Budget gap in Q3 not explained" in text
    assert "Comment: Fine once the Q3 gap is explained" in text
    # the chart's legend and the month table: figures with thousands separators
    assert "S&OP 2026-10" in text and "Revenue, budget" in text and "1,234" in text


def test_gaps_and_decisions_read_in_an_executives_words(
    rec_cycle, company, client, manager, finance, build_pack
):
    services.gap_decide(
        actor=finance,
        cycle_id=rec_cycle.pk,
        gap_key=f"shortage:{company.families[0].pk}:2027-01",
        decision="adjust_supply",
        owner_id=finance.pk,
        rationale="Second shift from January",
        expected_impact="+10 units",
    )
    client.force_login(manager)
    page = client.get(f"/cycles/{rec_cycle.pk}/sign-off/").content.decode()
    gaps = page.split('id="preread-gaps"')[1].split("</ul>")[0]
    assert "in " + company.families[0].name + ", Jan 2027" in gaps
    assert "Supply plan to be changed" in gaps and "Adjust supply" not in gaps
    build_pack(rec_cycle, manager)
    text = pdf_words(download(client, f"/reconciliation/{rec_cycle.pk}/pack.pdf"))
    assert "Decision: Supply plan to be changed" in text
    assert "Reason: Second shift from January" in text
    book = load_workbook(BytesIO(download(client, f"/reconciliation/{rec_cycle.pk}/pack.xlsx")))
    what = {row[0] for row in book["Plan"].iter_rows(min_row=2, values_only=True)}
    assert "Agreed demand" in what and "Demand override" not in what
    gap = next(book["Gaps and decisions"].iter_rows(min_row=2, values_only=True))
    assert gap[1:4] == ("Supply plan to be changed", finance.get_full_name(),
                        "Second shift from January")  # fmt: skip


def test_every_measure_has_an_executives_word():
    assert set(MEASURES) <= set(MEASURE_WORDS)


def test_the_workbook_opens_ready_to_read(signed, client, manager, user_with_role, build_pack):
    ada = user_with_role(Role.EXECUTIVE, username="ada")
    _decide(signed, ada, "approve", "A long comment " * 20)
    build_pack(signed, manager)
    client.force_login(manager)
    book = load_workbook(BytesIO(download(client, f"/reconciliation/{signed.pk}/pack.xlsx")))
    assert book.sheetnames == [
        "Headline", "By month", "Gaps and decisions", "Quota vs plan", "Pipeline coverage",
        "Sign-off", "Plan",
    ]  # fmt: skip
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B2", sheet.title
        assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("1F4E78")
        assert sheet.column_dimensions["A"].width >= 10
    headline = book["Headline"]
    assert headline["B2"].number_format == "#,##0" and headline["B2"].value == 840
    by_month = book["By month"]
    assert [c.value for c in by_month["A"][1:3]] == ["Nov 2026", "Dec 2026"]
    assert (
        by_month["B2"].number_format == "#,##0" and by_month["B2"].alignment.horizontal == "right"
    )
    assert by_month._charts, "By month carries the revenue chart"
    signoff = book["Sign-off"]
    assert signoff["B2"].value == ada.get_full_name() and signoff["C2"].value == "Approved"
    assert signoff["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert signoff["D2"].alignment.wrap_text and signoff.column_dimensions["D"].width >= 60
    plan = book["Plan"]
    values = [row[4] for row in plan.iter_rows(min_row=2)]
    assert len(values) > 24 and all(cell.number_format == "#,##0.00" for cell in values)
    assert all(cell.alignment.horizontal == "right" for cell in values)
