"""The reconciliation page's posted fields, parsed once; the services check the rules."""

from django import forms

from reconciliation.models import GapDecision, Scenario
from sop_planner.fields import MonthField, bounded_text

TEXT_LIMIT = 5000  # rationales, descriptions, reasons: a few paragraphs, refused beyond
IMPACT_LIMIT = GapDecision._meta.get_field("expected_impact").max_length
NAME_LIMIT = Scenario._meta.get_field("name").max_length


class GapDecisionForm(forms.Form):
    gap_key = forms.CharField(label="Gap", required=False)  # many: the view reads the list
    decision = forms.CharField(label="Decision", required=False)
    owner = forms.IntegerField(label="Owner", required=False, min_value=1)
    rationale = forms.CharField(
        label="Rationale", required=False, strip=False, max_length=TEXT_LIMIT
    )
    expected_impact = forms.CharField(
        label="Expected impact", required=False, strip=False, max_length=IMPACT_LIMIT
    )


class ScenarioForm(forms.Form):
    name = bounded_text("Name", NAME_LIMIT)
    description = bounded_text("Description", TEXT_LIMIT)


class ScenarioChangeForm(forms.Form):
    kind = forms.CharField(label="Change", required=False)
    family = forms.IntegerField(label="Family", min_value=1, required=False)
    month_from = MonthField(label="From")
    month_to = MonthField(label="To")
    percent = forms.CharField(label="Percent")  # "10", "-5" or "10%": the service reads it


class PromotionRemovalForm(forms.Form):
    event = forms.IntegerField(label="Promotion", min_value=1)


class PromoteForm(forms.Form):
    reason = bounded_text("Reason", TEXT_LIMIT)
