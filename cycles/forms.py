from django import forms

from cycles.models import CalendarMonth
from sop_planner.fields import MonthField, bounded_text
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


# The board's posted fields, parsed once; the services check the rules.
TEXT_LIMIT = 5000  # reasons and comments: long enough for a paragraph, refused beyond


class CycleOpenForm(forms.Form):
    month = MonthField(label="Month")


class AdvanceForm(forms.Form):
    stage = forms.CharField(label="Stage", required=False)
    reason = bounded_text("Reason", TEXT_LIMIT)


class DueDateForm(forms.Form):
    stage = forms.CharField(label="Stage")
    due = forms.DateField(
        label="Due date",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )


class SendBackForm(forms.Form):
    stage = forms.CharField(label="Stage", required=False)
    to = forms.CharField(label="To", required=False)
    reason = bounded_text("Why", TEXT_LIMIT)


class WaiveForm(forms.Form):
    stage = forms.CharField(label="Stage", required=False)
    item = forms.CharField(label="Item", required=False)
    reason = bounded_text("Reason", TEXT_LIMIT)


class PlanSubmitForm(forms.Form):
    plan = forms.CharField(label="Plan", required=False)
    territory = forms.IntegerField(label="Territory", min_value=1, required=False)


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("approve", "Approve"), ("reject", "Reject")]
    )
    comment = bounded_text("Comment", TEXT_LIMIT)

    def clean(self) -> dict:
        """A rejection names the field it lacks, so the page can mark it (the service checks too)."""
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("comment", "").strip():
            self.add_error("comment", "A rejection needs a comment saying what must change.")
        return data


class GuideForm(forms.Form):
    text = bounded_text("Guide", 20_000)
    checklist = bounded_text("Checklist", 5_000)
