from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password

from accounts.roles import Role


class UserForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=[(role.value, role.value) for role in Role],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    territories = forms.ModelMultipleChoiceField(
        queryset=None,  # set per form: accounts reads territories through the registry
        required=False,
        help_text="The territories this person plans (Demand Planners).",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty to keep the current password.",
    )

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territories = apps.get_model("territories", "Territory").objects
        self.fields["territories"].queryset = territories.select_related("region")
        if self.instance.pk:
            self.initial["roles"] = list(self.instance.groups.values_list("name", flat=True))
            assignments = apps.get_model("territories", "TerritoryAssignment").objects
            planned = assignments.current().filter(user=self.instance).values("territory_id")
            self.initial["territories"] = list(territories.filter(pk__in=planned))

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if password:
            validate_password(password, self.instance)
        return password

    def clean(self):
        cleaned = super().clean()
        is_planner = Role.DEMAND_PLANNER.value in cleaned.get("roles", [])
        if cleaned.get("territories") and not is_planner:
            self.add_error("territories", "Only a Demand Planner plans territories.")
        return cleaned
