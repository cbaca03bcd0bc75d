"""Filtering the grid by a product at family level shows that SKU's rows (it answered 500)."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_product_filter_at_family_level_shows_the_skus_rows(demand_cycle, manager, company):
    api = APIClient()
    api.force_authenticate(manager)
    product = company.products[0]
    response = api.get(
        f"/api/demand/cycles/{demand_cycle.pk}/grid/?product_level=family&product={product.pk}"
    )
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert rows and {row["product"] for row in rows} == {product.sku}
