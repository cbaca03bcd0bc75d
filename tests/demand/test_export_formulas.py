"""The grid's Excel export stores a SKU that looks like a formula as text."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from products.models import Product

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","x")'


def test_a_sku_like_a_formula_is_exported_as_text(demand_cycle, company, client, manager):
    Product.objects.filter(pk=company.products[0].pk).update(sku=FORMULA)
    client.force_login(manager)
    response = client.get(f"/demand/{demand_cycle.pk}/export.xlsx")
    sheet = load_workbook(BytesIO(response.content))["consensus"]
    skus = [row[3] for row in sheet.iter_rows(min_row=2) if row[3].value == FORMULA]
    assert skus and all(cell.data_type == "s" for cell in skus)
