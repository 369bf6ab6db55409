from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.network.access import managed_coalitions
from commonground.network.models import CityRequest, PartnerOffer
from commonground.organisations.models import Organisation


class RequestForm(forms.ModelForm):
    class Meta:
        model = CityRequest
        fields = [
            "coalition",
            "theme",
            "kind",
            "title",
            "description",
            "amount",
            "unit",
            "needed_by",
        ]
        widgets = {"needed_by": forms.DateInput(attrs={"type": "date"})}
        labels = {"coalition": _("City coalition")}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coalition"].queryset = managed_coalitions(user)  # type: ignore[attr-defined]


class OfferForm(forms.ModelForm):
    class Meta:
        model = PartnerOffer
        fields = [
            "organisation",
            "themes",
            "kind",
            "title",
            "description",
            "amount",
            "unit",
            "available_until",
        ]
        widgets = {
            "available_until": forms.DateInput(attrs={"type": "date"}),
            "themes": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("New theme"), max_length=120)
