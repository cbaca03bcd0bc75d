from django import forms

from products.models import Product, ProductFamily
from sop_planner.widgets import DatePicker


class FamilyForm(forms.ModelForm):
    class Meta:
        model = ProductFamily
        fields = ["code", "name"]


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "sku",
            "name",
            "family",
            "unit_price",
            "unit_cost",
            "launch_month",
            "discontinued_month",
            "is_active",
        ]
        widgets = {
            "launch_month": DatePicker(),
            "discontinued_month": DatePicker(),
        }
