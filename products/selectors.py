"""Reads of product master data."""

from django.db.models import Count, QuerySet

from products.models import Product, ProductFamily


def families_with_counts() -> QuerySet[ProductFamily]:
    return ProductFamily.objects.annotate(product_count=Count("products"))


def products_list(*, family_code: str | None = None, search: str = "") -> QuerySet[Product]:
    products = Product.objects.select_related("family")
    if family_code:
        products = products.filter(family__code=family_code)
    if search:
        products = products.filter(sku__icontains=search) | products.filter(name__icontains=search)
    return products
