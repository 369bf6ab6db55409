from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import Coalition, Level
from commonground.coalitions.roles import Role


class CoalitionProfileForm(forms.ModelForm):
    levels_engaged = forms.MultipleChoiceField(
        label=_("Levels engaged"),
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Coalition
        fields = [
            "name",
            "city",
            "country",
            "model",
            "status",
            "founded_on",
            "lead_organisation",
            "focal_point",
            "levels_engaged",
            "mission_what",
            "mission_why",
            "mission_measure",
            "vision",
            "power_sharing",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}),
            "mission_what": forms.Textarea(attrs={"rows": 3}),
            "mission_why": forms.Textarea(attrs={"rows": 3}),
            "mission_measure": forms.Textarea(attrs={"rows": 3}),
            "vision": forms.Textarea(attrs={"rows": 3}),
            "power_sharing": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coalition = self.instance
        from commonground.accounts.models import User
        from commonground.organisations.models import Organisation

        # Only this coalition's organisations and members are offered: no registry-wide dropdown.
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            participations__coalition=coalition
        )
        self.fields["focal_point"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__coalition=coalition
        )

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).upper()


class CoalitionCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=120)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, min_length=2)
    focal_point_email = forms.EmailField(
        label=_("Focal point's email"),
        help_text=_("They receive an invitation to join as focal point."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
