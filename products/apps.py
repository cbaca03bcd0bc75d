from django.apps import AppConfig


class ProductsConfig(AppConfig):
    """Product master data: families, SKUs, unit price and unit cost.

    A home of its own: products are planned by demand, made by supply and
    priced by finance, so no one of those apps owns them.
    """

    name = "products"
