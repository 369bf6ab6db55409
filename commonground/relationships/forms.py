from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import Coalition
from commonground.relationships.access import listed_organisations
from commonground.relationships.models import Relationship, RelationshipType

DIRECTION_CHOICES = [
    ("", _("As usual for this relationship (partnerships both ways, the rest one way)")),
    ("directed", _("One way: from → to")),
    ("mutual", _("Both ways")),
]


class RelationshipForm(forms.ModelForm):
    direction = forms.ChoiceField(label=_("Direction"), choices=DIRECTION_CHOICES, required=False)

    class Meta:
        model = Relationship
        fields = ["source", "type", "target", "direction", "strength", "notes"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "strength": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = listed_organisations(coalition).order_by("name_key", "id")
        for name in ("source", "target"):
            field = self.fields[name]
            field.queryset = organisations  # type: ignore[attr-defined]
            field.help_text = _("An organisation on this coalition's list.")
        if self.instance.pk:
            self.initial["direction"] = "directed" if self.instance.directed else "mutual"

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        direction = data.pop("direction", "")
        data["directed"] = None if not direction else direction == "directed"
        return data


class RelationshipFilterForm(forms.Form):
    label_suffix = ""
    q = forms.CharField(label=_("Search"), required=False)
    type = forms.ChoiceField(
        label=_("Relationship"),
        required=False,
        choices=[("", _("All relationships")), *RelationshipType.choices],
    )
    strength = forms.TypedChoiceField(
        label=_("Strength"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any strength")), *[(str(i), f"≥ {i}") for i in range(2, 6)]],
    )
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "One relationship per row with the columns source, target, type, strength and "
            "notes (direction optional). Organisations by name or acronym, as on this "
            "coalition's list."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".xlsx", ".txt"}:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)d MB.")
                % {"size": upload.size / 1_048_576, "limit": settings.MAX_UPLOAD_SIZE // 1_048_576}
            )
        return upload
