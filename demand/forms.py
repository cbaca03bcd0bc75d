from django import forms

from demand.models import DemandEvent
from sop_planner.fields import MonthField, bounded_text
from territories.selectors import active_territories


class EventForm(forms.ModelForm):
    """A promotion, launch or phase-out as entered on the grid page (months as YYYY-MM)."""

    first_month = MonthField(label="First month")
    last_month = MonthField(label="Last month", required=False)
    territory = forms.ModelChoiceField(
        active_territories(), required=False, empty_label="All territories"
    )
    ramp_text = forms.CharField(required=False, label="Ramp (shares per month, e.g. 0.2, 0.6)")

    class Meta:
        model = DemandEvent
        fields = [
            "kind",
            "name",
            "family",
            "product",
            "first_month",
            "last_month",
            "uplift_percent",
            "uplift_units",
            "dip_percent",
            "like_product",
            "scale",
        ]

    # The fields only some kinds of event use (the others apply to all): the form shows these
    # for the chosen kind only, and a value left in a field of another kind is dropped.
    KIND_FIELDS = {
        "family": ("promotion", "phase_out"),
        "last_month": ("promotion",),
        "uplift_percent": ("promotion",),
        "uplift_units": ("promotion",),
        "dip_percent": ("promotion",),
        "like_product": ("launch",),
        "scale": ("launch",),
        "ramp_text": ("launch",),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, kinds in self.KIND_FIELDS.items():
            self.fields[name].kinds = " ".join(kinds)
            self.fields[name].required = False  # not sent for the other kinds

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        for name, kinds in self.KIND_FIELDS.items():
            if (kind and kind not in kinds) or data.get(name) in (None, "", []):
                data[name] = self._default(name)
        return data

    def _default(self, name: str):
        if name == "ramp_text":
            return []
        return self.fields[name].to_python(self.fields[name].initial)

    def clean_ramp_text(self) -> list[float]:
        text = self.cleaned_data["ramp_text"].strip()
        try:
            return [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(f"{text!r} is not a list of numbers.") from None


class WorkbookImportForm(forms.Form):
    """The fields posted with an edited consensus workbook."""

    reason_code = forms.CharField(label="Reason", required=False)
    comment = bounded_text("Comment", 5000)
