"""The reconciliation page's posted fields, parsed once; the services check the rules."""

from django import forms


class GapDecisionForm(forms.Form):
    gap_key = forms.CharField(label="Gap")
    decision = forms.CharField(label="Decision", required=False)
    owner = forms.IntegerField(label="Owner", required=False, min_value=1)
    rationale = forms.CharField(label="Rationale", required=False, strip=False)
    expected_impact = forms.CharField(label="Expected impact", required=False, strip=False)
