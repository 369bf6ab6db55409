from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import User
from commonground.coalitions.models import Membership
from commonground.organisations.models import Organisation
from commonground.organisations.vocabularies import SECTOR_CHOICES, OrgLevel, OrgType
from commonground.stakeholders.access import (
    coalition_contacts,
    coalition_members,
    match_organisations,
)
from commonground.stakeholders.choices import (
    Channel,
    CoalitionRole,
    EngagementModel,
    Frequency,
    Stage,
)
from commonground.stakeholders.models import Criterion, Stakeholder

ZERO_TO_FIVE_CHOICES = [("", "—"), *((str(n), str(n)) for n in range(6))]


def _zero_to_five(label: Any, help_text: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=ZERO_TO_FIVE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=help_text,
    )


class StakeholderForm(forms.ModelForm):
    """An organisation (typed by name or acronym, suggested as you type) or a person."""

    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        help_text=_("Its name or acronym in the registry. Leave empty for a person."),
        widget=forms.TextInput(attrs={"list": "organisation-suggestions", "autocomplete": "off"}),
    )
    power = _zero_to_five(_("Power"), _("0 none to 5 decisive, for the power–interest grid"))
    interest = _zero_to_five(_("Interest"), _("0 none to 5 very high"))

    class Meta:
        model = Stakeholder
        fields = [
            "organisation",
            "person_name",
            "contact",
            "stage",
            "role",
            "engagement_model",
            "lived_experience",
            "brings",
            "wants",
            "power",
            "interest",
            "notes",
        ]
        widgets = {
            "brings": forms.Textarea(attrs={"rows": 2}),
            "wants": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "person_name": _("For a person rather than an organisation."),
            "lived_experience": _("They speak from lived experience or for a group seldom heard."),
        }

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership
        contact = self.fields["contact"]
        contact.queryset = coalition_contacts(membership).order_by("name", "id")  # type: ignore[attr-defined]
        contact.help_text = _("One of this coalition's contacts, optional.")
        if self.instance.pk:
            # Stages move on the board or the detail page, with their dated history.
            del self.fields["stage"]
            if self.instance.organisation is not None:
                self.initial["organisation"] = str(self.instance.organisation)

    def clean_organisation(self) -> Organisation | None:
        text = self.cleaned_data.get("organisation", "").strip()
        if not text:
            return None
        found = match_organisations(text)
        if not found:
            raise forms.ValidationError(
                _("No organisation in the registry is called '%(text)s'. Add it there first.")
                % {"text": text}
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several organisations match: %(names)s. Type the one you mean as shown.")
                % {"names": "; ".join(str(o) for o in found)}
            )
        return found[0]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("stage", None)
        return data


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class StakeholderFilterForm(forms.Form):
    label_suffix = ""
    q = forms.CharField(label=_("Search"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *CoalitionRole.choices]
    )
    engagement_model = forms.ChoiceField(
        label=_("Engagement"),
        required=False,
        choices=[("", _("All models")), *EngagementModel.choices],
    )
    lived_experience = forms.ChoiceField(
        label=_("Lived experience"),
        required=False,
        choices=[("", _("Anyone")), ("yes", _("Flagged")), ("no", _("Not flagged"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Organisations and people")),
            ("organisation", _("Organisations")),
            ("person", _("People")),
        ],
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *OrgType.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *OrgLevel.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *SECTOR_CHOICES]
    )
    min_power = forms.TypedChoiceField(
        label=_("Power at least"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *((str(n), str(n)) for n in range(1, 6))],
    )
    min_interest = forms.TypedChoiceField(
        label=_("Interest at least"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *((str(n), str(n)) for n in range(1, 6))],
    )


class ScoreForm(forms.Form):
    """One field per criterion: my score from 0 to 5, or blank for "not scored"."""

    def __init__(
        self, *args: Any, criteria: list[Criterion], mine: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            field = _zero_to_five(criterion.label, criterion.question)
            self.fields[f"c{criterion.pk}"] = field
            if criterion.pk in mine:
                self.initial[f"c{criterion.pk}"] = str(mine[criterion.pk])

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "position"]
        help_texts = {"weight": _("How much it counts against the others (1 is normal).")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.key:
            self.fields["name"].help_text = _("Leave empty to keep the default, translated name.")
        self.fields["position"].label = _("Order")


class CutoffForm(forms.Form):
    shortlist_cutoff = forms.DecimalField(
        label=_("Shortlist cut-off"),
        min_value=0,
        max_value=5,
        decimal_places=1,
        help_text=_("Weighted score (0–5) a stakeholder needs to be shortlisted."),
    )


class PlanForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("The member who keeps in touch; they get the weekly digest."),
    )
    next_contact = forms.DateField(
        label=_("Next contact"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = coalition_members(membership)  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name()  # type: ignore[attr-defined]


class InteractionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea({"rows": 2}))
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea({"rows": 2})
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "One stakeholder per row: an organisation from the registry (name or acronym) or a "
            "person, with stage, role and scores. Headers or HXL hashtags such as #org+name, "
            "#status+stage."
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
