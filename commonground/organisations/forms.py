from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commonground.lib.text import split_tags
from commonground.organisations.models import Contact, Organisation
from commonground.organisations.vocabularies import SECTOR_CHOICES, OrgLevel, OrgType


class TagField(forms.CharField):
    """Comma-separated tags in a text box; a list in Python."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return split_tags(super().to_python(value))


class OrganisationForm(forms.ModelForm):
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=SECTOR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacities = TagField(
        label=_("Capacities"),
        required=False,
        help_text=_("Separate with commas, e.g. first aid, search and rescue"),
    )
    resources = TagField(
        label=_("Resources"),
        required=False,
        help_text=_("Separate with commas, e.g. boats, warehouse, vehicles"),
    )
    expertise = TagField(
        label=_("Expertise"),
        required=False,
        help_text=_("Separate with commas, e.g. hydrology, GIS"),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    confirm_not_duplicate = forms.BooleanField(
        label=_("Yes, this is a different organisation"), required=False
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "type",
            "level",
            "sectors",
            "website",
            "description",
            "address",
            "city",
            "country",
            "latitude",
            "longitude",
            "capacities",
            "resources",
            "expertise",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"country": _("Two-letter ISO code, e.g. ID")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The confirmation only makes sense once likely duplicates have been shown.
        self.fields["confirm_not_duplicate"].widget = forms.HiddenInput()

    def offer_duplicate_confirmation(self) -> None:
        self.fields["confirm_not_duplicate"].widget = forms.CheckboxInput()

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("confirm_not_duplicate", None)
        return data


class OrganisationFilterForm(forms.Form):
    label_suffix = ""
    q = forms.CharField(label=_("Search"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *OrgType.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *OrgLevel.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *SECTOR_CHOICES]
    )
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Whole registry")), ("coalition", _("In this coalition"))],
    )


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "preferred_channel", "language", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "One organisation per row (several rows for several contacts). Headers or HXL "
            "hashtags such as #org+name, #org+type, #sector, #contact+email."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in {".csv", ".xlsx", ".txt"}:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)d MB.")
                % {"size": upload.size / 1_048_576, "limit": settings.MAX_UPLOAD_SIZE // 1_048_576}
            )
        return upload
