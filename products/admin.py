from django.contrib import admin

from products import services
from products.models import Product, ProductFamily
from sop_planner.admin_base import ServiceAdmin


@admin.register(ProductFamily)
class FamilyAdmin(ServiceAdmin):
    list_display = ["code", "name"]
    service = services.family_save
    service_argument = "family"


@admin.register(Product)
class ProductAdmin(ServiceAdmin):
    list_display = ["sku", "name", "family", "unit_price", "unit_cost", "is_active"]
    list_filter = ["family", "is_active"]
    search_fields = ["sku", "name"]
    service = services.product_save
    service_argument = "product"
