"""Writes of product master data: check the role, save, audit."""

from django.db import transaction

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audited_save
from products.models import PRODUCT_FIELDS, Product, ProductFamily

FAMILY_FIELDS = ["code", "name"]
PRICE_FIELDS = ("unit_price", "unit_cost")


@transaction.atomic
def family_save(*, actor: User, family: ProductFamily, reason: str = "") -> ProductFamily:
    ensure_allowed(actor, "products.edit")
    return audited_save(
        actor=actor, instance=family, fields=FAMILY_FIELDS, action="family.save", reason=reason
    )


@transaction.atomic
def product_save(*, actor: User, product: Product, reason: str = "") -> Product:
    """Save a SKU. A new SKU needs product rights (its first list price comes
    with it); changing the price or cost of an existing one needs pricing rights."""
    if product.pk is None or _other_fields_changed(product):
        ensure_allowed(actor, "products.edit")
    if product.pk is not None and _prices_changed(product):
        ensure_allowed(actor, "prices.edit")
    return audited_save(
        actor=actor,
        instance=product,
        fields=list(PRODUCT_FIELDS),
        action="product.save",
        reason=reason,
        product_id=product.pk,
    )


def _stored(product: Product) -> Product | None:
    return Product.objects.filter(pk=product.pk).first()


def _prices_changed(product: Product) -> bool:
    stored = _stored(product)
    return stored is None or any(
        getattr(stored, name) != getattr(product, name) for name in PRICE_FIELDS
    )


def _other_fields_changed(product: Product) -> bool:
    stored = _stored(product)
    others = [name for name in PRODUCT_FIELDS if name not in PRICE_FIELDS]
    return stored is None or any(
        getattr(stored, name) != getattr(product, name) for name in others
    )
