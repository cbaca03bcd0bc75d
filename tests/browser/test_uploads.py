"""An analyst uploads last month's actuals, sees what is wrong, fixes it and commits;
the cycle's data-gathering gate then finds every territory complete."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from cycles.calendar import month_start
from cycles.services import cycle_open
from forecasting.models import SalesActual
from tests.browser.menu import menu_go
from tests.fixtures.uploads import LAST, LAST_MONTH

# Files are read and written by a worker; the page follows it and reloads when done.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]


def _csv(company, product: str) -> bytes:
    lines = ["period,product,territory,units"]
    lines += [f"{LAST},{company.products[0].sku},{t.code},10" for t in company.territories[:2]]
    lines.append(f"{LAST},{product},{company.territories[2].code},4")
    return "\n".join(lines).encode()


def _send(page, content: bytes) -> None:
    page.goto("/uploads/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "crm-export.csv", "mimeType": "text/csv", "buffer": content}],
    )
    page.click("main button[type=submit]")
    page.wait_for_selector("#preview", timeout=30_000)


def _others_on_time(company, late) -> None:
    """Last month's actuals are in for every territory but the late one (another SKU)."""
    for territory in company.territories:
        if territory != late:
            SalesActual.objects.create(
                product=company.products[5],
                territory=territory,
                period=LAST_MONTH,
                units=Decimal(1),
                revenue=Decimal(10),
            )


def test_analyst_fixes_a_rejected_row_reuploads_and_commits_and_the_gate_clears(
    login, user_with_role, users_by_role, company, settings, tmp_path, celery_worker
):
    settings.MEDIA_ROOT = tmp_path
    late = company.territories[2]
    _others_on_time(company, late)
    cycle_open(actor=users_by_role[Role.SALES_OPS_MANAGER], month=month_start(date.today()))
    page = login(user_with_role(Role.SALES_OPS_ANALYST))
    page.goto("/cycles/")
    assert page.inner_text("#cycle-stage") == "Data gathering"
    missing = f"Territory {late.name} has no actuals for {LAST}"
    assert page.inner_text("#open-items") == missing
    assert f"Upload actuals for {LAST}" in page.inner_text("#pending")

    menu_go(page, "Uploads")
    _send(page, _csv(company, "SKU-TYPO"))
    assert page.inner_text("#count-rejected") == "1"
    rejection = page.inner_text("#rejections")
    assert "4" in rejection and "SKU-TYPO" in rejection and "unknown SKU" in rejection
    assert page.is_visible("#download-rejected")
    assert SalesActual.objects.count() == len(company.territories) - 1

    _send(page, _csv(company, company.products[1].sku))
    assert page.inner_text("#count-new") == "3"
    assert page.inner_text("#count-rejected") == "0"
    page.click("#commit")
    page.wait_for_selector("#committed", timeout=30_000)
    assert "3 rows written" in page.inner_text("#committed")
    assert SalesActual.objects.count() == len(company.territories) + 2

    page.goto("/uploads/")
    history = page.inner_text("#upload-history")
    assert "committed" in history and "ready to commit" in history

    page.goto("/cycles/")
    assert page.inner_text("#open-items") == "None: the gate is clear."
    assert "Upload actuals" not in page.inner_text("#pending")


def test_analyst_sees_how_figures_were_read_and_switches_to_a_decimal_comma(
    login, user_with_role, company, settings, tmp_path, celery_worker
):
    """A ',' export of European figures: "1,5" is refused with a decimal point; one click
    reads the whole file again with a decimal comma, and the commit writes 1.5 units."""
    settings.MEDIA_ROOT = tmp_path
    sku, code = company.products[0].sku, company.territories[0].code
    content = f'period,product,territory,units\n{LAST},{sku},{code},"1,5"\n'.encode()
    page = login(user_with_role(Role.SALES_OPS_ANALYST))
    _send(page, content)
    assert page.inner_text("#count-rejected") == "1"
    assert "with a decimal point, comma for thousands" in page.inner_text("#number-convention")
    page.click("#switch-convention button")
    page.wait_for_selector("#commit", timeout=30_000)  # once the worker has read it again
    assert "with a decimal comma, dot for thousands (your choice" in page.inner_text(
        "#number-convention"
    )
    assert (page.inner_text("#count-rejected"), page.inner_text("#count-new")) == ("0", "1")
    page.click("#commit")
    page.wait_for_selector("#committed", timeout=30_000)
    assert SalesActual.objects.get().units == Decimal("1.5")
