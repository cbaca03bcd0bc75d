"""The sign-off pack workbook stores a SKU that looks like a formula as text."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from products.models import Product
from tests.fixtures.reconciliation import download

pytestmark = pytest.mark.django_db

FORMULA = "=cmd|' /C calc'!A0"


def test_a_sku_like_a_formula_is_written_to_the_pack_as_text(
    rec_cycle, company, client, finance, build_pack
):
    Product.objects.filter(pk=company.products[0].pk).update(sku=FORMULA)
    build_pack(rec_cycle, finance)
    client.force_login(finance)
    book = load_workbook(BytesIO(download(client, f"/reconciliation/{rec_cycle.pk}/pack.xlsx")))
    skus = [row[1] for row in book["Plan"].iter_rows(min_row=2) if row[1].value == FORMULA]
    assert skus and all(cell.data_type == "s" for cell in skus)
