"""The forecast run page's posted fields, parsed once; the services check the rules."""

from django import forms


class RunStartForm(forms.Form):
    cycle = forms.IntegerField(label="Cycle", min_value=1)
