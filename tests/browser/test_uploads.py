"""An analyst uploads last month's actuals, sees what is wrong, fixes it and commits."""

import pytest

from accounts.roles import Role
from forecasting.models import SalesActual
from tests.browser.menu import menu_go
from tests.uploads.conftest import LAST

pytestmark = pytest.mark.django_db(transaction=True)


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
    page.wait_for_selector("#preview")


def test_analyst_fixes_a_rejected_row_reuploads_and_commits(
    login, user_with_role, company, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = login(user_with_role(Role.SALES_OPS_ANALYST))
    menu_go(page, "Uploads")
    _send(page, _csv(company, "SKU-TYPO"))
    assert page.inner_text("#count-rejected") == "1"
    rejection = page.inner_text("#rejections")
    assert "4" in rejection and "SKU-TYPO" in rejection and "unknown SKU" in rejection
    assert page.is_visible("#download-rejected")
    assert not SalesActual.objects.exists()

    _send(page, _csv(company, company.products[1].sku))
    assert page.inner_text("#count-new") == "3"
    assert page.inner_text("#count-rejected") == "0"
    page.click("#commit")
    page.wait_for_selector("#committed")
    assert "3 row(s) written" in page.inner_text("#committed")
    assert SalesActual.objects.count() == 3

    page.goto("/uploads/")
    history = page.inner_text("#upload-history")
    assert "committed" in history and "ready to commit" in history
