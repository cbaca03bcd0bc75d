from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from audit.models import AuditEvent
from products import services
from products.models import Product
from sop_planner.errors import NotAllowed

pytestmark = pytest.mark.django_db


def test_specialist_changes_a_price_and_the_audit_keeps_before_and_after(users_by_role, company):
    product = company.products[0]
    product.unit_price = Decimal("11.25")
    services.product_save(
        actor=users_by_role[Role.SALES_PLANNING_SPECIALIST], product=product, reason="list 2027"
    )
    event = AuditEvent.objects.get(action="product.save")
    assert (event.before["unit_price"], event.after["unit_price"]) == ("10.00", "11.25")
    assert event.product_id == product.pk


def test_specialist_cannot_rename_a_product(users_by_role, company):
    product = company.products[0]
    product.name = "Renamed"
    with pytest.raises(NotAllowed, match="may not change products and families"):
        services.product_save(actor=users_by_role[Role.SALES_PLANNING_SPECIALIST], product=product)
    assert Product.objects.get(pk=product.pk).name != "Renamed"


def test_analyst_cannot_change_a_price(users_by_role, company):
    product = company.products[0]
    product.unit_cost = Decimal("1.00")
    with pytest.raises(NotAllowed, match="may not change prices; Sales Planning Specialist"):
        services.product_save(actor=users_by_role[Role.SALES_OPS_ANALYST], product=product)
    assert Product.objects.get(pk=product.pk).unit_cost == Decimal("6.00")


def test_analyst_creates_a_sku_with_its_first_list_price(users_by_role, company):
    product = Product(
        sku="NEW-1",
        name="Launch",
        family=company.families[0],
        unit_price=Decimal("4.00"),
        unit_cost=Decimal("2.00"),
    )
    services.product_save(actor=users_by_role[Role.SALES_OPS_ANALYST], product=product)
    assert Product.objects.get(sku="NEW-1").unit_price == Decimal("4.00")


def test_discontinuation_before_launch_is_refused(users_by_role, company):
    from datetime import date

    product = company.products[2]
    product.launch_month, product.discontinued_month = date(2026, 5, 1), date(2026, 3, 1)
    with pytest.raises(ValidationError):
        services.product_save(actor=users_by_role[Role.SALES_OPS_ANALYST], product=product)
    assert Product.objects.get(pk=product.pk).launch_month is None
