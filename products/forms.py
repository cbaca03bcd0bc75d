from django import forms

from products.models import Product, ProductFamily


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
            "launch_month": forms.DateInput(attrs={"type": "date"}),
            "discontinued_month": forms.DateInput(attrs={"type": "date"}),
        }
