"""Writes to a coalition's criteria, members' score sets and the shortlist cut-off."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record, snapshot
from commonground.coalitions.models import Coalition
from commonground.stakeholders.choices import DEFAULT_CRITERIA
from commonground.stakeholders.models import Criterion, Score, Stakeholder, StakeholderSettings

CRITERION_FIELDS = ["name", "description", "weight", "position"]


def ensure_default_criteria(actor: User | None, coalition: Coalition) -> list[Criterion]:
    """The coalition's criteria, creating the seven defaults the first time they are needed."""
    existing = list(Criterion.objects.filter(coalition=coalition).order_by("position", "id"))
    return existing or _create_defaults(actor, coalition)


@transaction.atomic
def _create_defaults(actor: User | None, coalition: Coalition) -> list[Criterion]:
    # Lock the coalition row so two first visits do not both create the defaults.
    Coalition.objects.select_for_update().filter(pk=coalition.pk).first()
    existing = list(Criterion.objects.filter(coalition=coalition).order_by("position", "id"))
    if existing:
        return existing
    created = Criterion.objects.bulk_create(
        [
            Criterion(coalition=coalition, key=key, position=index)
            for index, (key, _label, _question) in enumerate(DEFAULT_CRITERIA)
        ]
    )
    record(
        actor,
        coalition,
        "criteria.defaults",
        coalition,
        after={"criteria": [key for key, _l, _q in DEFAULT_CRITERIA]},
    )
    return list(Criterion.objects.filter(coalition=coalition).order_by("position", "id")) or created


def _clean_criterion(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(CRITERION_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    cleaned = dict(values)
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
    if "weight" in cleaned:
        try:
            cleaned["weight"] = Decimal(str(cleaned["weight"]))
        except InvalidOperation:
            raise ValidationError({"weight": _("Enter a number from 0 to 10.")}) from None
    return cleaned


@transaction.atomic
def create_criterion(actor: User, coalition: Coalition, **values: Any) -> Criterion:
    cleaned = _clean_criterion(values)
    if not cleaned.get("name"):
        raise ValidationError({"name": _("Give the criterion a name.")})
    if "position" not in cleaned:
        last = Criterion.objects.filter(coalition=coalition).aggregate(n=Max("position"))["n"]
        cleaned["position"] = 0 if last is None else last + 1
    criterion = Criterion(coalition=coalition, **cleaned)
    criterion.full_clean(exclude=["coalition"])
    criterion.save()
    record(
        actor, coalition, "criterion.create", criterion, after=snapshot(criterion, CRITERION_FIELDS)
    )
    return criterion


@transaction.atomic
def update_criterion(actor: User, criterion: Criterion, **values: Any) -> Criterion:
    cleaned = _clean_criterion(values)
    if "name" in cleaned and not cleaned["name"] and not criterion.key:
        raise ValidationError({"name": _("Give the criterion a name.")})
    before = snapshot(criterion, CRITERION_FIELDS)
    for name, value in cleaned.items():
        setattr(criterion, name, value)
    criterion.full_clean(exclude=["coalition"])
    criterion.save(update_fields=list(cleaned))
    record(
        actor,
        criterion.coalition,
        "criterion.update",
        criterion,
        before,
        snapshot(criterion, CRITERION_FIELDS),
    )
    return criterion


@transaction.atomic
def delete_criterion(actor: User, criterion: Criterion) -> None:
    """Remove a criterion and every score given on it."""
    record(
        actor,
        criterion.coalition,
        "criterion.delete",
        criterion,
        before={**snapshot(criterion, CRITERION_FIELDS), "key": criterion.key},
    )
    criterion.delete()


@transaction.atomic
def set_scores(
    actor: User, stakeholder: Stakeholder, values: Mapping[int, int | None]
) -> dict[int, int]:
    """Replace ``actor``'s score set for ``stakeholder``: {criterion id: 0–5, or None to clear}.

    Criteria of other coalitions are refused; criteria not named keep their score.
    """
    allowed = set(
        Criterion.objects.filter(coalition_id=stakeholder.coalition_id).values_list("pk", flat=True)
    )
    errors: dict[str, list[str]] = {}
    for criterion, value in values.items():
        if criterion not in allowed:
            errors[str(criterion)] = [_("Unknown criterion.")]
        elif value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5
        ):
            errors[str(criterion)] = [_("Give a whole number from 0 to 5.")]
    if errors:
        raise ValidationError(errors)
    mine = Score.objects.filter(stakeholder=stakeholder, scorer=actor)
    before = {s.criterion_id: s.value for s in mine}
    now = timezone.now()
    cleared = [c for c, v in values.items() if v is None and c in before]
    if cleared:
        mine.filter(criterion_id__in=cleared).delete()
    for criterion, value in values.items():
        if value is None:
            continue
        if criterion in before:
            if before[criterion] != value:
                mine.filter(criterion_id=criterion).update(value=value, scored_at=now)
        else:
            Score.objects.create(
                stakeholder=stakeholder,
                criterion_id=criterion,
                scorer=actor,
                value=value,
                scored_at=now,
            )
    after = {**before, **{c: v for c, v in values.items() if v is not None}}
    for criterion in cleared:
        after.pop(criterion, None)
    if after != before:
        record(
            actor,
            stakeholder.coalition,
            "stakeholder.score",
            stakeholder,
            {str(k): v for k, v in before.items()},
            {str(k): v for k, v in after.items()},
        )
    return after


@transaction.atomic
def set_shortlist_cutoff(actor: User, coalition: Coalition, cutoff: Any) -> StakeholderSettings:
    try:
        value = Decimal(str(cutoff)).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise ValidationError({"shortlist_cutoff": _("Enter a number from 0 to 5.")}) from None
    found, _created = StakeholderSettings.objects.get_or_create(coalition=coalition)
    before = snapshot(found, ["shortlist_cutoff"])
    found.shortlist_cutoff = value
    found.full_clean(exclude=["coalition"])
    found.save(update_fields=["shortlist_cutoff"])
    record(
        actor,
        coalition,
        "stakeholders.cutoff",
        coalition,
        before,
        snapshot(found, ["shortlist_cutoff"]),
    )
    return found
