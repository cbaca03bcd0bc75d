from django import forms

from products.models import PRODUCT_FIELDS, Product, ProductFamily
from sop_planner.widgets import DatePicker


class FamilyForm(forms.ModelForm):
    class Meta:
        model = ProductFamily
        fields = ["code", "name"]


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        widgets = {
            "launch_month": DatePicker(),
            "discontinued_month": DatePicker(),
        }
