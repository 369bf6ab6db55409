from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.marketplace.models import Need, NeedStatus, Offer, OfferStatus, Urgency
from commonground.marketplace.taxonomy import CATEGORY_LABELS, subcategory_choices
from commonground.organisations.models import Organisation
from commonground.places.models import Area

SUBCATEGORY_CHOICES = subcategory_choices()


class DateInput(forms.DateInput):
    input_type = "date"


class NeedForm(forms.ModelForm):
    subcategory = forms.ChoiceField(
        label=_("Subcategory"), choices=SUBCATEGORY_CHOICES, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (NeedStatus.OPEN, NeedStatus.OPEN.label),
            (NeedStatus.DRAFT, NeedStatus.DRAFT.label),
        ],
        initial=NeedStatus.OPEN,
    )

    class Meta:
        model = Need
        fields = [
            "title",
            "description",
            "category",
            "subcategory",
            "quantity",
            "unit",
            "people",
            "households",
            "area",
            "latitude",
            "longitude",
            "urgency",
            "needed_by",
            "status",
        ]
        widgets = {"needed_by": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, coalition_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            coalition_id=coalition_id
        ).order_by("level", "name")
        if self.instance.pk:
            current = self.instance.status
            choices = [
                (NeedStatus.OPEN, NeedStatus.OPEN.label),
                (NeedStatus.DRAFT, NeedStatus.DRAFT.label),
                (NeedStatus.CLOSED, NeedStatus.CLOSED.label),
                (NeedStatus.WITHDRAWN, NeedStatus.WITHDRAWN.label),
            ]
            if current not in dict(choices):
                choices.insert(0, (current, NeedStatus(current).label))
            self.fields["status"].choices = choices  # type: ignore[attr-defined]


class OfferForm(forms.ModelForm):
    subcategory = forms.ChoiceField(
        label=_("Subcategory"), choices=SUBCATEGORY_CHOICES, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(OfferStatus.OPEN, _("Publish")), (OfferStatus.DRAFT, OfferStatus.DRAFT.label)],
        initial=OfferStatus.OPEN,
    )

    class Meta:
        model = Offer
        fields = [
            "title",
            "description",
            "category",
            "subcategory",
            "organisation",
            "quantity",
            "unit",
            "latitude",
            "longitude",
            "radius_km",
            "areas",
            "available_from",
            "available_until",
            "conditions",
            "status",
        ]
        widgets = {
            "available_from": DateInput(),
            "available_until": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "areas": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args: Any, coalition_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            participations__coalition_id=coalition_id
        ).order_by("name")
        self.fields["areas"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            coalition_id=coalition_id
        ).order_by("level", "name")
        if self.instance.pk:
            current = self.instance.status
            choices = [
                (OfferStatus.OPEN, OfferStatus.OPEN.label),
                (OfferStatus.DRAFT, OfferStatus.DRAFT.label),
                (OfferStatus.CLOSED, OfferStatus.CLOSED.label),
                (OfferStatus.WITHDRAWN, OfferStatus.WITHDRAWN.label),
            ]
            if current not in dict(choices):
                choices.insert(0, (current, OfferStatus(current).label))
            self.fields["status"].choices = choices  # type: ignore[attr-defined]


class BrowseForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *CATEGORY_LABELS.items()],
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any urgency")), *Urgency.choices],
    )
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=Area.objects.none(), empty_label=_("All areas")
    )
    status = forms.CharField(required=False)

    def __init__(self, *args: Any, coalition_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            coalition_id=coalition_id
        ).order_by("level", "name")


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"))


class StepForm(forms.Form):
    status = forms.CharField(widget=forms.HiddenInput)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, min_value=0)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    people_reached = forms.IntegerField(label=_("People reached"), required=False, min_value=0)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class SettingsForm(forms.Form):
    review_offers = forms.BooleanField(
        label=_("Review offers before they are public"), required=False
    )
    public = forms.BooleanField(label=_("Show open needs and offers to everyone"), required=False)
