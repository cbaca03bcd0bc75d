"""Form fields for the values people type: one parser per kind of value, for every form.

A month is read by sop_planner.months.read_month, a plan figure by
sop_planner.numbers.read_plan_figure ('10,500' is ten thousand five hundred), so a
page, a file and the API read the same text the same way.
"""

from django import forms
from django.core.exceptions import ValidationError

from sop_planner.months import NotAMonth, read_month
from sop_planner.numbers import read_plan_figure


class MonthField(forms.CharField):
    """A month typed as YYYY-MM; cleans to the first day of that month."""

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return read_month(text)
        except NotAMonth:
            raise ValidationError("not a month: write it as YYYY-MM") from None


class PlanFigureField(forms.CharField):
    """A plan figure (units, money, weeks): 0 or more, written with a decimal point."""

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return read_plan_figure(text)
        except ValueError as error:
            raise ValidationError(str(error).removeprefix("is ")) from None


def bounded_text(label: str, limit: int, *, required: bool = False) -> forms.CharField:
    """Free text (a reason, a comment) refused at entry beyond `limit` characters, never cut."""
    return forms.CharField(label=label, max_length=limit, required=required, strip=True)
