from django import forms
from django.contrib.auth import get_user_model

from accounts.roles import Role
from territories.models import Region, SalesRep, Territory
from territories.selectors import active_territories


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name"]


class TerritoryForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["code", "name", "region", "is_active"]


class AssignPlannerForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(groups__name=Role.DEMAND_PLANNER.value),
        label="Demand planner",
    )


class SalesRepForm(forms.ModelForm):
    class Meta:
        model = SalesRep
        fields = ["name", "email", "user", "is_active"]


def _territories():
    return active_territories()


class RepAssignForm(forms.Form):
    rep = forms.ModelChoiceField(
        queryset=SalesRep.objects.filter(is_active=True), label="Sales rep"
    )
    territory = forms.ModelChoiceField(queryset=_territories())
    valid_from = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label="To (last day, optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RepMoveForm(forms.Form):
    rep = forms.ModelChoiceField(
        queryset=SalesRep.objects.filter(is_active=True), label="Sales rep"
    )
    territory = forms.ModelChoiceField(queryset=_territories(), label="New territory")
    on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))


class PlannerAssignDatedForm(forms.Form):
    user = AssignPlannerForm.base_fields["user"]
    territory = forms.ModelChoiceField(queryset=_territories())
    valid_from = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label="To (last day, optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class EndAssignmentForm(forms.Form):
    valid_to = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))
