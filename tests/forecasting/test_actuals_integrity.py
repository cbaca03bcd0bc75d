"""The actuals' references to products and territories hold without per-row foreign keys.

On PostgreSQL triggers check them (migration forecasting 0003): raw SQL is
refused just as a foreign key would refuse it.
"""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from forecasting.models import SalesActual

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PERIOD = date(2026, 1, 1)


def _insert(product_id: int, territory_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO forecasting_salesactual (product_id, territory_id, period, units, revenue)"
            " VALUES (%s, %s, %s, 1, 1)",
            [product_id, territory_id, PERIOD],
        )


def _refused(statement, *params) -> None:
    refused = pytest.raises(IntegrityError, match=r"does not exist|still has sales actuals")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def test_an_insert_naming_an_unknown_product_or_territory_is_refused(company):
    product, territory = company.products[0].pk, company.territories[0].pk
    with pytest.raises(IntegrityError, match="product 987654"), transaction.atomic():
        _insert(987654, territory)
    with pytest.raises(IntegrityError, match="territory 987654"), transaction.atomic():
        _insert(product, 987654)
    _insert(product, territory)
    assert SalesActual.objects.count() == 1


def test_an_update_moving_a_row_to_an_unknown_product_or_territory_is_refused(company):
    _insert(company.products[0].pk, company.territories[0].pk)
    table = "forecasting_salesactual"
    _refused(f"UPDATE {table} SET product_id = %s", 987654)
    _refused(f"UPDATE {table} SET territory_id = %s", 987654)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET product_id = %s", [company.products[1].pk])
    assert SalesActual.objects.get().product_id == company.products[1].pk


def test_a_product_or_territory_with_actuals_cannot_be_deleted_or_renumbered(company):
    used, unused = company.products[0], company.products[1]
    _insert(used.pk, company.territories[0].pk)
    _refused("DELETE FROM products_product WHERE id = %s", used.pk)
    _refused("DELETE FROM territories_territory WHERE id = %s", company.territories[0].pk)
    _refused("UPDATE products_product SET id = %s WHERE id = %s", 987654, used.pk)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM products_product WHERE id = %s", [unused.pk])
    assert SalesActual.objects.count() == 1
