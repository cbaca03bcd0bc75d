from django import forms

from cycles.models import CalendarMonth
from sop_planner.widgets import DatePicker


class CalendarMonthForm(forms.ModelForm):
    holidays = forms.CharField(
        required=False,
        help_text="Company holidays in this month, comma separated (YYYY-MM-DD).",
        widget=forms.TextInput(attrs={"placeholder": "2026-12-25, 2026-12-26"}),
    )

    class Meta:
        model = CalendarMonth
        fields = ["month", "holidays", "note"]
        widgets = {"month": DatePicker()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["holidays"] = ", ".join(self.instance.holidays)

    def clean_holidays(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["holidays"].split(",") if part.strip()]
