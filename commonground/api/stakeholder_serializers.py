"""Serializers of the stakeholder map's endpoints. They validate and shape; actions write."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commonground.accounts.models import User
from commonground.organisations.models import Contact, Organisation
from commonground.organisations.vocabularies import SECTOR_CHOICES, OrgLevel, OrgType
from commonground.stakeholders.choices import (
    Channel,
    CoalitionRole,
    EngagementModel,
    Frequency,
    Stage,
)
from commonground.stakeholders.models import (
    Criterion,
    EngagementPlan,
    Interaction,
    StageChange,
    Stakeholder,
)

from .serializers import UserBriefSerializer


class StakeholderSerializer(serializers.ModelSerializer):
    """A stakeholder: an `organisation` from the registry, or a person (`person_name`)."""

    name = serializers.CharField(read_only=True)
    kind = serializers.SerializerMethodField(help_text=_("organisation or person"))
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("An organisation in the shared registry (id)."),
    )
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.none(),
        allow_null=True,
        required=False,
        help_text=_("One of this coalition's contacts (id)."),
    )
    stage = serializers.ChoiceField(
        choices=Stage.choices,
        default=Stage.IDENTIFIED,
        help_text=_("The starting stage; later moves go through the stage endpoint."),
    )
    coalition_role = serializers.ChoiceField(
        source="role", choices=CoalitionRole.choices, required=False, allow_blank=True
    )
    engagement_model = serializers.ChoiceField(
        choices=EngagementModel.choices, required=False, allow_blank=True
    )
    power = serializers.IntegerField(min_value=0, max_value=5, allow_null=True, required=False)
    interest = serializers.IntegerField(min_value=0, max_value=5, allow_null=True, required=False)
    next_contact = serializers.SerializerMethodField()

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "name",
            "kind",
            "organisation",
            "person_name",
            "contact",
            "stage",
            "coalition_role",
            "engagement_model",
            "lived_experience",
            "brings",
            "wants",
            "power",
            "interest",
            "notes",
            "next_contact",
            "stage_changed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "stage_changed_at", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coalition = self.context.get("coalition")
        if coalition is not None:
            self.fields["contact"].queryset = Contact.objects.filter(  # type: ignore[attr-defined]
                coalition=coalition
            )

    def get_kind(self, stakeholder: Stakeholder) -> str:
        return "person" if stakeholder.is_person else "organisation"

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_next_contact(self, stakeholder: Stakeholder) -> str | None:
        try:
            plan = stakeholder.plan
        except EngagementPlan.DoesNotExist:
            return None
        if plan.next_contact is None:
            return None
        return plan.next_contact.isoformat()


class StakeholderUpdateSerializer(StakeholderSerializer):
    """Changes to a stakeholder; the stage moves through the stage endpoint."""

    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)


class StageChangeSerializer(serializers.ModelSerializer):
    changed_by = UserBriefSerializer(read_only=True)
    # Plain strings (stage codes, as in `stage`): one enum per choice set keeps the schema tidy.
    from_stage = serializers.CharField(
        read_only=True, help_text=_("The stage before (a stage code); empty for the first entry.")
    )
    to_stage = serializers.CharField(read_only=True, help_text=_("The stage after (a stage code)."))

    class Meta:
        model = StageChange
        fields = ["from_stage", "to_stage", "changed_by", "changed_at", "note"]
        read_only_fields = fields


class StageMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CriterionSpreadSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    weight = serializers.DecimalField(max_digits=4, decimal_places=1)
    scorers = serializers.IntegerField(allow_null=True)
    mean = serializers.FloatField(allow_null=True)
    minimum = serializers.FloatField(allow_null=True)
    maximum = serializers.FloatField(allow_null=True)
    std_dev = serializers.FloatField(allow_null=True)
    high_disagreement = serializers.BooleanField()


class ScoreValueSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    value = serializers.IntegerField(min_value=0, max_value=5, allow_null=True)


class ScoreSetSerializer(serializers.Serializer):
    scorer = UserBriefSerializer()
    scores = ScoreValueSerializer(many=True)


class ScoresSerializer(serializers.Serializer):
    """Every member's score set, the weighted score and the disagreement per criterion."""

    weighted = serializers.FloatField(allow_null=True, help_text=_("0–5, None when unscored"))
    scorers = serializers.IntegerField()
    criteria = CriterionSpreadSerializer(many=True)
    score_sets = ScoreSetSerializer(many=True)


class MyScoresSerializer(serializers.Serializer):
    """Your own score set: a value 0–5 per criterion, or null to clear it."""

    scores = ScoreValueSerializer(many=True)


class StakeholderDetailSerializer(StakeholderSerializer):
    history = StageChangeSerializer(many=True, read_only=True, source="stage_changes.all")

    class Meta(StakeholderSerializer.Meta):
        fields = [*StakeholderSerializer.Meta.fields, "history"]


class StakeholderFilterSerializer(serializers.Serializer):
    """Query parameters of the stakeholder list (the list page's filters)."""

    q = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Name (accents ignored) or exact acronym.")
    )
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, allow_blank=True)
    coalition_role = serializers.ChoiceField(
        choices=CoalitionRole.choices, required=False, allow_blank=True
    )
    engagement_model = serializers.ChoiceField(
        choices=EngagementModel.choices, required=False, allow_blank=True
    )
    lived_experience = serializers.BooleanField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(
        choices=[("organisation", "organisation"), ("person", "person")],
        required=False,
        allow_blank=True,
    )
    type = serializers.ChoiceField(choices=OrgType.choices, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=OrgLevel.choices, required=False, allow_blank=True)
    sector = serializers.ChoiceField(choices=SECTOR_CHOICES, required=False, allow_blank=True)
    min_power = serializers.IntegerField(min_value=0, max_value=5, required=False)
    min_interest = serializers.IntegerField(min_value=0, max_value=5, required=False)
    owner = serializers.IntegerField(required=False, help_text=_("Plan owner (user id)."))

    def params(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data["role"] = data.pop("coalition_role", "")
        return data


class CriterionSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    question = serializers.CharField(read_only=True)
    weight = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=10, required=False
    )

    class Meta:
        model = Criterion
        fields = ["id", "key", "label", "name", "question", "description", "weight", "position"]
        read_only_fields = ["id", "key"]


class PlanSerializer(serializers.ModelSerializer):
    channels = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text=_("Channel codes: meeting, email, phone, whatsapp, social, newsletter."),
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        allow_null=True,
        required=False,
        help_text=_("A member of this coalition (user id)."),
    )

    class Meta:
        model = EngagementPlan
        fields = ["stakeholder", "channels", "frequency", "owner", "next_contact", "notes"]
        read_only_fields = ["stakeholder"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coalition = self.context.get("coalition")
        if coalition is not None:
            self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                memberships__coalition=coalition
            )


class InteractionSerializer(serializers.ModelSerializer):
    logged_by = UserBriefSerializer(read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices)

    class Meta:
        model = Interaction
        fields = [
            "id",
            "stakeholder",
            "date",
            "channel",
            "summary",
            "outcome",
            "next_step",
            "logged_by",
            "created_at",
        ]
        read_only_fields = ["id", "stakeholder", "logged_by", "created_at"]
        extra_kwargs = {"date": {"required": False}}


class DuePlanSerializer(serializers.ModelSerializer):
    stakeholder_name = serializers.CharField(source="stakeholder.name", read_only=True)
    owner = UserBriefSerializer(read_only=True)

    class Meta:
        model = EngagementPlan
        fields = ["stakeholder", "stakeholder_name", "next_contact", "owner", "channels"]
        read_only_fields = fields


class DueFilterSerializer(serializers.Serializer):
    due = serializers.ChoiceField(
        choices=[("overdue", _("before today")), ("upcoming", _("in the next 14 days"))],
        required=False,
        allow_blank=True,
        help_text=_("Leave out for both."),
    )


class ShortlistRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    stakeholder = serializers.IntegerField()
    name = serializers.CharField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    weighted = serializers.FloatField()
    scorers = serializers.IntegerField()
    shortlisted = serializers.BooleanField()
    disputed = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Criteria the scorers disagree on (ids).")
    )


class SettingsSerializer(serializers.Serializer):
    shortlist_cutoff = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=0, max_value=5
    )


class AnalysisSerializer(serializers.Serializer):
    """Stakeholder ids by power–interest quadrant and salience class, and diversity."""

    quadrants = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
    unplaced = serializers.ListField(child=serializers.IntegerField())
    salience = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
    diversity = serializers.DictField()
