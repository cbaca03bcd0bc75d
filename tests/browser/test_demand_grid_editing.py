"""A planner pastes a range from Excel, undoes an edit, and round-trips the plan through Excel."""

import pytest
from django.db.models import Sum
from openpyxl import load_workbook

from cycles.models import PlanValue
from demand.models import Override
from tests.browser.waiting import wait_until
from tests.fixtures.browser import cell, open_grid, save_reason

pytestmark = pytest.mark.django_db(transaction=True)


def family_total(cycle, family, territory, month) -> float:
    return PlanValue.objects.filter(
        cycle=cycle,
        measure="consensus",
        valid_to_seq=None,
        territory=territory,
        product__family=family,
        month=month,
    ).aggregate(total=Sum("value"))["total"]


def consensus_row_ids(page, territory) -> list[str]:
    """The territory's consensus rows in the order the grid shows them.

    Rows of the previous view linger in the DOM while the grid animates them out.
    """
    suffix = f"-{territory.region_id}-{territory.pk}:consensus"
    page.wait_for_selector(f'.ag-row[row-id$="{suffix}"]')
    rows = page.eval_on_selector_all(
        f'.ag-row[row-id$="{suffix}"]',
        "rows => rows.map((r) => [Number(r.getAttribute('row-index')), r.getAttribute('row-id')])",
    )
    return [row_id.removesuffix(":consensus") for _, row_id in sorted(set(map(tuple, rows)))]


def paste(page, text: str):
    """What Excel's Ctrl+V delivers: a paste event whose clipboard holds tab-separated lines."""
    page.evaluate(
        """text => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            document.activeElement.dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        text,
    )


def test_a_range_pasted_from_excel_sets_each_cell_it_covers(
    demand_cycle, planners, login, company
):
    own = company.territories[0]
    months = [f"{m:%Y-%m}" for m in demand_cycle.horizon()[:2]]
    page = login(planners[0])
    open_grid(page, own)
    first, second = consensus_row_ids(page, own)[:2]
    cell(page, first, months[0]).click()
    paste(page, "100\t200\r\n1,300\t400\r\n")
    assert page.inner_text("#edit-level") == "4 pasted cells"
    save_reason(page)

    assert [cell(page, first, m).inner_text() for m in months] == ["100", "200"]
    assert [cell(page, second, m).inner_text() for m in months] == ["1,300", "400"]
    families = {f.pk: f for f in company.families}
    pasted = {
        (int(row.split("-")[0]), month): value
        for row, values in ((first, (100, 200)), (second, (1300, 400)))
        for month, value in zip(demand_cycle.horizon()[:2], values, strict=True)
    }
    for (family_id, month), value in pasted.items():
        assert family_total(demand_cycle, families[family_id], own, month) == value
    assert Override.objects.filter(reason__code="promotion").count() == 4


def test_a_paste_reaching_a_territory_the_planner_does_not_plan_changes_nothing(
    demand_cycle, planners, login, company
):
    other = company.territories[1]
    month = f"{demand_cycle.month:%Y-%m}"
    page = login(planners[0])
    open_grid(page, other)
    first = consensus_row_ids(page, other)[0]
    cell(page, first, month).click()
    paste(page, "100\t200")
    assert "may not edit" in page.inner_text("#grid-message")
    assert page.locator("#edit-dialog[open]").count() == 0
    assert not Override.objects.exists()


def current_plan(cycle) -> dict:
    """Every current figure of every measure, by measure and cell."""
    rows = PlanValue.objects.filter(cycle=cycle, valid_to_seq=None)
    fields = ("measure", "product_id", "territory_id", "month", "value")
    return {row[:4]: row[4] for row in rows.values_list(*fields)}


def test_ctrl_z_undoes_the_last_edit(fractional_cycle, planners, login, company):
    own, family = company.territories[0], company.families[0]
    month = f"{fractional_cycle.month:%Y-%m}"
    before = current_plan(fractional_cycle)
    page = login(planners[0])
    open_grid(page, own)
    row_id = f"{family.pk}-{own.region_id}-{own.pk}"
    original = cell(page, row_id, month).inner_text()
    cell(page, row_id, month).dblclick()
    page.keyboard.type("600")
    page.keyboard.press("Enter")
    save_reason(page, comment="Feature")
    assert cell(page, row_id, month).inner_text() == "600"

    page.keyboard.press("Control+z")
    wait_until(page, "() => document.getElementById('grid-message').textContent === 'Undone.'")
    assert cell(page, row_id, month).inner_text() == original
    assert current_plan(fractional_cycle) == before  # the baseline's decimals, no new override
    assert page.is_disabled("#undo")
    assert Override.objects.get().undone_at is not None


def exported_workbook(page, tmp_path):
    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    return load_workbook(path)


def re_import(page, tmp_path, book, reason="other", comment="Revised offline"):
    path = tmp_path / "revised.xlsx"
    book.save(path)
    page.set_input_files("#import-form input[name=file]", str(path))
    page.select_option("#import-form select[name=reason_code]", reason)
    page.fill("#import-form input[name=comment]", comment)
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("p.message[role=status]")
    return page.inner_text("p.message[role=status]")


def first_row_of(book, territory):
    sheet = book["consensus"]
    return next(
        row
        for row in sheet.iter_rows(min_row=2)
        if row[2].value == territory.name and row[3].value  # a SKU row, not a subtotal
    )


def test_an_exported_plan_edited_in_excel_comes_back_as_overrides_with_the_reason(
    demand_cycle, planners, login, company, tmp_path
):
    own = company.territories[0]
    page = login(planners[0])
    open_grid(page, own)
    book = exported_workbook(page, tmp_path)
    row = first_row_of(book, own)
    row[4].value = 777
    message = re_import(page, tmp_path, book)

    assert "Applied 1 changed cell(s)" in message
    value = PlanValue.objects.get(
        cycle=demand_cycle,
        measure="consensus",
        valid_to_seq=None,
        product__sku=row[3].value,
        territory=own,
        month=demand_cycle.horizon()[0],
    )
    assert value.value == 777
    override = Override.objects.get()
    assert (override.reason.code, override.comment) == ("other", "Revised offline")


def test_a_bad_workbook_shows_its_error_and_changes_nothing(
    demand_cycle, planners, login, company, tmp_path
):
    own = company.territories[0]
    page = login(planners[0])
    open_grid(page, own)
    book = exported_workbook(page, tmp_path)
    row = first_row_of(book, own)
    row[4].value, row[5].value = 777, "lots"
    plan_before = list(
        PlanValue.objects.filter(valid_to_seq=None).values_list("pk", "value").order_by("pk")
    )
    message = re_import(page, tmp_path, book)

    assert "not applied" in message and f"F{row[0].row}: 'lots'" in message
    assert page.locator("p.message-error[role=status]").count() == 1
    assert not Override.objects.exists()
    assert plan_before == list(
        PlanValue.objects.filter(valid_to_seq=None).values_list("pk", "value").order_by("pk")
    )


def test_a_file_that_is_no_workbook_is_refused_on_the_page(
    demand_cycle, planners, login, company, tmp_path
):
    page = login(planners[0])
    open_grid(page, company.territories[0])
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"not a workbook")
    page.set_input_files("#import-form input[name=file]", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("p.message-error[role=status]")
    assert "not a plan exported from the grid" in page.inner_text("p.message-error[role=status]")
    assert not Override.objects.exists()


def test_the_keyboard_moves_between_cells_and_typing_starts_an_edit(
    demand_cycle, planners, login, company
):
    own, family = company.territories[0], company.families[0]
    months = [f"{m:%Y-%m}" for m in demand_cycle.horizon()[:2]]
    page = login(planners[0])
    open_grid(page, own)
    row_id = f"{family.pk}-{own.region_id}-{own.pk}"
    cell(page, row_id, months[0]).click()
    page.keyboard.press("ArrowRight")
    page.keyboard.type("250")
    page.keyboard.press("Enter")
    save_reason(page, reason="customer-intelligence", comment="Keyboard")

    assert cell(page, row_id, months[1]).inner_text() == "250"
    second = demand_cycle.horizon()[1]
    assert family_total(demand_cycle, family, own, second) == 250


def test_ctrl_z_after_a_paste_restores_every_pasted_cell(demand_cycle, planners, login, company):
    own = company.territories[0]
    horizon = demand_cycle.horizon()[:2]
    before = {
        (f.pk, m): family_total(demand_cycle, f, own, m) for f in company.families for m in horizon
    }
    page = login(planners[0])
    open_grid(page, own)
    first = consensus_row_ids(page, own)[0]
    cell(page, first, f"{horizon[0]:%Y-%m}").click()
    paste(page, "100\t200\n300\t400")
    save_reason(page)
    assert Override.objects.count() == 4

    page.keyboard.press("Control+z")
    wait_until(page, "() => document.getElementById('grid-message').textContent === 'Undone.'")
    after = {
        (f.pk, m): family_total(demand_cycle, f, own, m) for f in company.families for m in horizon
    }
    assert after == before
    assert Override.objects.count() == Override.objects.exclude(undone_at=None).count() == 4
    assert not PlanValue.objects.filter(measure="override", valid_to_seq=None).exists()
