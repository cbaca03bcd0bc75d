"""Products, territories and prices come in through the same upload, preview, commit and revert."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from products.models import Product
from sop_planner.errors import NotAllowed
from territories.models import Territory
from tests.fixtures.uploads import committed, reverted
from uploads.models import UploadBatch
from uploads.services import upload_validate

pytestmark = pytest.mark.django_db


def test_prices_file_changes_prices_and_revert_restores_them(company, user_with_role, upload):
    specialist = user_with_role(Role.SALES_PLANNING_SPECIALIST)
    sku = company.products[0].sku
    content = f"SKU,Unit Price,unit cost\n{sku},12.50,6.00\n{company.products[1].sku},10.00,6.00\n"
    batch = upload(specialist, content.encode(), name="prices.csv", kind="prices")
    assert (batch.new_count, batch.changed_count, batch.unchanged_count) == (0, 1, 1)
    committed(actor=specialist, batch_id=batch.pk)
    assert Product.objects.get(sku=sku).unit_price == Decimal("12.50")
    assert AuditEvent.objects.filter(action="prices.upload").count() == 1
    reverted(actor=specialist, batch_id=batch.pk)
    assert Product.objects.get(sku=sku).unit_price == Decimal("10.00")


def test_products_file_adds_a_product_and_rejects_bad_rows(company, user_with_role, upload):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    family = company.families[0].code
    content = (
        "sku,name,family,unit_price,unit_cost,launch_month\n"
        f"NEW-1,New thing,{family},3.00,1.00,2026-01\n"
        "NEW-2,Other,nofamily,3.00,1.00,\n"
        f"NEW-3,Third,{family},-1,1.00,\n"
    )
    batch = upload(analyst, content.encode(), name="products.csv", kind="products")
    reasons = sorted(batch.rejections.values_list("row_number", "column", "reason"))
    assert reasons == [
        (3, "family", "unknown product family code"),
        (
            4,
            "unit_price",
            "not a price (a number, 0 or more, at most 2 decimals, with a decimal point, comma "
            "for thousands)",
        ),
    ]
    committed(actor=analyst, batch_id=batch.pk, accept_partial=True)
    created = Product.objects.get(sku="NEW-1")
    assert created.family == company.families[0] and str(created.launch_month) == "2026-01-01"
    reverted(actor=analyst, batch_id=batch.pk)
    assert not Product.objects.filter(sku="NEW-1").exists()


def test_territories_file_renames_and_adds(company, user_with_role, upload):
    manager = user_with_role(Role.SALES_OPS_MANAGER)
    region = company.regions[0].code
    code = company.territories[0].code
    content = f"code,name,region,active\n{code},Renamed,{region},yes\nnew-t,New T,{region},no\n"
    batch = upload(manager, content.encode(), name="t.csv", kind="territories")
    assert (batch.new_count, batch.changed_count) == (1, 1)
    committed(actor=manager, batch_id=batch.pk)
    assert Territory.objects.get(code=code).name == "Renamed"
    assert not Territory.objects.get(code="new-t").is_active


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("products", {Role.SALES_OPS_ANALYST, Role.TECHNICAL_OPERATIONS_ADVISOR}),
        ("territories", {Role.SALES_OPS_MANAGER, Role.TECHNICAL_OPERATIONS_ADVISOR}),
        ("prices", {Role.SALES_PLANNING_SPECIALIST, Role.TECHNICAL_OPERATIONS_ADVISOR}),
    ],
)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_master_data_uploads_follow_the_permission_table(
    users_by_role, company, upload, kind, allowed, role
):
    content = {
        "products": b"sku,name,family,unit_price,unit_cost\nX,X,f,1,1\n",
        "territories": b"code,name,region\nx,X,r\n",
        "prices": b"sku,unit_price\nX,1\n",
    }[kind]
    if role in allowed:
        upload(users_by_role[role], content, kind=kind)
    else:
        with pytest.raises(NotAllowed):
            upload(users_by_role[role], content, kind=kind)


def test_a_products_file_validated_again_after_a_worker_crash_keeps_each_change_once(
    company, user_with_role, upload
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    family = company.families[0].code
    content = f"sku,name,family,unit_price,unit_cost\nNEW-1,New,{family},3.00,1.00\n"
    batch = upload(analyst, content.encode(), name="products.csv", kind="products")
    UploadBatch.objects.filter(pk=batch.pk).update(status=UploadBatch.Status.VALIDATING)
    again = upload_validate(batch_id=batch.pk)  # redelivered after the worker died
    assert (again.status, again.new_count) == (UploadBatch.Status.PREVIEWED, 1)
    assert again.changes.count() == 1
    assert committed(actor=analyst, batch_id=batch.pk).rows_written == 1
    assert Product.objects.filter(sku="NEW-1").count() == 1
