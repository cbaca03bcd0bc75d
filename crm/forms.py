"""The CRM page's forms: they parse what was typed; the services decide."""

from django import forms

from products.models import ProductFamily
from sop_planner.fields import MonthField
from territories.selectors import active_territories


class ConnectionForm(forms.Form):
    base_url = forms.URLField(label="API address", assume_scheme="https")
    token = forms.CharField(
        label="API token",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty to keep the stored token.",
    )
    enabled = forms.BooleanField(label="Sync every night at 02:30", required=False, initial=True)


class DealMapForm(forms.Form):
    territory = forms.ModelChoiceField(queryset=active_territories(), required=False)
    family = forms.ModelChoiceField(queryset=ProductFamily.objects.all(), required=False)
    remember = forms.ChoiceField(
        label="Apply to",
        required=False,
        choices=[
            ("", "this deal only"),
            ("owner", "every deal of this owner"),
            ("organization", "every deal of this organization"),
        ],
    )

    def clean(self):
        data = super().clean()
        if not data.get("territory") and not data.get("family"):
            raise forms.ValidationError("Choose a territory, a family, or both.")
        return data


class RateForm(forms.Form):
    currency = forms.RegexField(
        regex=r"^[A-Za-z]{3}$",
        error_messages={"invalid": "write the currency as its 3-letter code, e.g. USD"},
    )
    valid_from = MonthField(label="Valid from (YYYY-MM)")
    rate = forms.DecimalField(
        label="Company currency per unit",
        max_digits=14,
        decimal_places=6,
        min_value=0.000001,
    )
