from django import forms
from django.utils import timezone

from quotas.models import QuotaGapDecision


class ProposeForm(forms.Form):
    fiscal_year = forms.IntegerField(min_value=2000, max_value=2100, label="Fiscal year")
    stretch = forms.CharField(
        max_length=20,
        initial="1.05",
        label="Stretch factor",
        help_text="1.05 asks 5% more than the released plan.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = timezone.localdate().year + 1


class QuotaGapDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=QuotaGapDecision.Decision.choices)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
