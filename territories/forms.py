from django import forms
from django.contrib.auth import get_user_model

from accounts.roles import Role
from territories.models import Region, Territory


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
