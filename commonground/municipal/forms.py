from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from commonground.municipal.actions import check_document
from commonground.municipal.models import (
    AgendaItem,
    Milestone,
    MunicipalSession,
    Objective,
    Participant,
    SessionItem,
    Task,
)
from commonground.organisations.models import Contact

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionForm(forms.ModelForm):
    class Meta:
        model = MunicipalSession
        fields = ["held_on", "venue"]
        widgets = {"held_on": DATE}


class GoalForm(forms.ModelForm):
    class Meta:
        model = MunicipalSession
        fields = ["goal"]
        widgets = {
            "goal": forms.Textarea(
                attrs={
                    "rows": 3,
                    "placeholder": _(
                        "e.g. A coalition of the municipality, the lead organisation and the "
                        "city's communities that makes every neighbourhood safer from floods."
                    ),
                }
            ),
        }


class EndorsementForm(forms.ModelForm):
    document = forms.FileField(
        label=_("Endorsement document"),
        required=False,
        help_text=_("The signed letter or decision: PDF, Word, OpenDocument, PNG or JPEG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.doc,.odt,.png,.jpg,.jpeg"}),
    )

    class Meta:
        model = MunicipalSession
        fields = ["endorsement_status", "endorsement_date", "endorsement_notes"]
        widgets = {
            "endorsement_date": DATE,
            "endorsement_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload:
            try:
                check_document(upload)
            except ValidationError as error:
                raise forms.ValidationError(error.message_dict["document"]) from None
        return upload


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class ParticipantForm(forms.ModelForm):
    contact = ContactChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label=_("Registry contact"),
        help_text=_("Optional: the person in this coalition's contacts."),
    )

    class Meta:
        model = Participant
        fields = ["role", "name", "title", "contact", "confirmed"]

    def __init__(self, *args: Any, contacts: QuerySet[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["text", "agreed"]


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "responsible", "due_on", "done"]
        widgets = {"due_on": DATE}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["kind", "title", "date", "confirmed"]
        widgets = {"date": DATE}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "duration_minutes", "presenter", "confirmed"]


ITEM_FORMS: dict[str, type[forms.ModelForm]] = {
    "participants": ParticipantForm,
    "objectives": ObjectiveForm,
    "tasks": TaskForm,
    "milestones": MilestoneForm,
    "agenda": AgendaItemForm,
}


def item_form(
    section: str,
    data: Any = None,
    *,
    instance: SessionItem | None = None,
    contacts: QuerySet[Contact] | None = None,
    prefix: str | None = None,
) -> forms.ModelForm:
    """The form for one section's item; only participants need the coalition's contacts."""
    form_class = ITEM_FORMS[section]
    kwargs: dict[str, Any] = {"instance": instance, "prefix": prefix}
    if form_class is ParticipantForm:
        kwargs["contacts"] = contacts if contacts is not None else Contact.objects.none()
    return form_class(data, **kwargs)
