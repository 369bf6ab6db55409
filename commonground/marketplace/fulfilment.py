"""From a suggested match to a confirmed delivery, one step at a time.

::

    suggested ──offer──▶ offered ──accept──▶ accepted ──dispatch──▶ in delivery ──deliver──▶
    delivered ──confirm──▶ confirmed

    suggested → declined (either side)       offered → declined (the need's side)
    offered, accepted, in delivery → cancelled (the provider; accepted also the need's side)

The provider's side commits a quantity when offering; it counts against the need's outstanding
quantity until the match is declined or cancelled. Two providers committing at the same moment
cannot together commit more than is outstanding: the need's row is locked (``SELECT … FOR
UPDATE`` on PostgreSQL; SQLite serialises writers) while the sum is checked and the commitment
written. Each step notifies the other side by email once the transaction commits.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record
from commonground.coalitions.models import Membership
from commonground.jobs.queue import enqueue
from commonground.marketplace.access import is_need_side, is_offer_side
from commonground.marketplace.models import (
    COMMITTING,
    Match,
    MatchEvent,
    MatchStatus,
    Message,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
)

Side = Literal["need", "offer", "either"]
S = MatchStatus
TRANSITIONS: dict[tuple[str, str], Side] = {
    (S.SUGGESTED, S.OFFERED): "offer",
    (S.SUGGESTED, S.DECLINED): "either",
    (S.OFFERED, S.ACCEPTED): "need",
    (S.OFFERED, S.DECLINED): "need",
    (S.OFFERED, S.CANCELLED): "offer",
    (S.ACCEPTED, S.IN_DELIVERY): "offer",
    (S.ACCEPTED, S.CANCELLED): "either",
    (S.IN_DELIVERY, S.DELIVERED): "offer",
    (S.IN_DELIVERY, S.CANCELLED): "offer",
    (S.DELIVERED, S.CONFIRMED): "need",
}


def allowed_steps(membership: Membership, match: Match) -> list[str]:
    """The statuses this member may move the match to now."""
    need_side, offer_side = (
        is_need_side(membership, match.need),
        is_offer_side(membership, match.offer),
    )
    steps = []
    for (source, target), side in TRANSITIONS.items():
        if source != match.status:
            continue
        sides = {"need": need_side, "offer": offer_side, "either": need_side or offer_side}
        if sides[side]:
            steps.append(target)
    return steps


def outstanding(need: Need, excluding: Match | None = None) -> Decimal | None:
    """What is still to be committed for the need (None when it has no quantity)."""
    if need.quantity is None:
        return None
    active = Match.objects.filter(need=need, status__in=COMMITTING)
    if excluding is not None:
        active = active.exclude(pk=excluding.pk)
    committed = active.aggregate(total=Sum("committed"))["total"] or Decimal(0)
    return max(Decimal(need.quantity) - committed, Decimal(0))


def available(offer: Offer, excluding: Match | None = None) -> Decimal | None:
    if offer.quantity is None:
        return None
    active = Match.objects.filter(offer=offer, status__in=COMMITTING)
    if excluding is not None:
        active = active.exclude(pk=excluding.pk)
    committed = active.aggregate(total=Sum("committed"))["total"] or Decimal(0)
    return max(Decimal(offer.quantity) - committed, Decimal(0))


def _quantity(value: object, field: str = "quantity") -> Decimal:
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError):
        raise ValidationError({field: _("Give a number.")}) from None
    if not number.is_finite() or number <= 0:
        raise ValidationError({field: _("The quantity must be more than 0.")})
    return number


def _check_step(membership: Membership, match: Match, target: str) -> None:
    if (match.status, target) not in TRANSITIONS:
        raise ValidationError(
            _("A match that is %(status)s cannot become %(target)s.")
            % {"status": S(match.status).label, "target": S(target).label}
        )
    if target not in allowed_steps(membership, match):
        raise PermissionDenied(_("The other side of this match takes this step."))


@transaction.atomic
def step(
    actor: User,
    membership: Membership,
    match: Match,
    target: str,
    *,
    quantity: object = None,
    note: str = "",
    people_reached: int | None = None,
) -> Match:
    """Move the match to ``target`` (see the module docstring), with its quantities."""
    # Lock the need first, then the match, always in that order (no deadlocks).
    need = Need.objects.select_for_update().get(pk=match.need_id)
    match = Match.objects.select_for_update().select_related("need", "offer").get(pk=match.pk)
    _check_step(membership, match, target)
    before = match.status
    amount: Decimal | None = None
    if target == S.OFFERED:
        amount = _commit(need, match, quantity)
    elif target == S.IN_DELIVERY:
        amount = _within(match, quantity, "in_transit")
    elif target == S.DELIVERED:
        amount = _within(match, quantity, "delivered")
        match.in_transit = Decimal(0)
    elif target == S.CONFIRMED:
        if people_reached is not None and people_reached < 0:
            raise ValidationError({"people_reached": _("People reached cannot be negative.")})
        match.people_reached = people_reached
        match.thank_you = note.strip()
    match.status = target
    match.updated_at = timezone.now()
    match.save()
    MatchEvent.objects.create(
        match=match,
        from_status=before,
        to_status=target,
        quantity=amount,
        note=note.strip(),
        actor=actor,
    )
    _update_need_status(need)
    record(actor, match.coalition, f"match.{target}", match, {"status": before}, {"status": target})
    from commonground.marketplace.tasks import send_match_step

    enqueue(
        send_match_step,
        coalition=match.coalition,
        match_id=match.pk,
        actor_id=actor.pk,
        status=target,
    )
    return match


def _commit(need: Need, match: Match, quantity: object) -> Decimal | None:
    if need.status not in (NeedStatus.OPEN, NeedStatus.PARTLY_MET):
        raise ValidationError(_("This need is no longer open."))
    if match.offer.status != OfferStatus.OPEN:
        raise ValidationError(_("This offer is not open."))
    if quantity in (None, "") and need.quantity is None:
        match.committed = Decimal(0)
        return None
    amount = _quantity(quantity)
    left = outstanding(need, excluding=match)
    if left is not None and amount > left:
        raise ValidationError(
            {
                "quantity": _("Only %(left)s %(unit)s are still needed.")
                % {"left": _number(left), "unit": need.unit}
            }
        )
    spare = available(match.offer, excluding=match)
    if spare is not None and amount > spare:
        raise ValidationError(
            {
                "quantity": _("The offer has only %(left)s %(unit)s left.")
                % {"left": _number(spare), "unit": match.offer.unit}
            }
        )
    match.committed = amount
    return amount


def _within(match: Match, quantity: object, field: str) -> Decimal:
    amount = match.committed if quantity in (None, "") else _quantity(quantity)
    if match.committed and amount > match.committed:
        raise ValidationError(
            {
                "quantity": _("That is more than the %(committed)s committed.")
                % {"committed": _number(match.committed)}
            }
        )
    setattr(match, field, amount)
    return amount


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _update_need_status(need: Need) -> None:
    """Partly met once something arrived, met when deliveries cover the quantity."""
    if need.status not in (NeedStatus.OPEN, NeedStatus.PARTLY_MET, NeedStatus.MET):
        return
    done = Match.objects.filter(need=need, status__in=[S.DELIVERED, S.CONFIRMED])
    delivered = done.aggregate(total=Sum("delivered"))["total"] or Decimal(0)
    if need.quantity is None:
        status = NeedStatus.MET if done.filter(status=S.CONFIRMED).exists() else need.status
    elif delivered >= need.quantity:
        status = NeedStatus.MET
    elif delivered > 0:
        status = NeedStatus.PARTLY_MET
    else:
        status = NeedStatus.OPEN
    if status != need.status:
        need.status = status
        need.updated_at = timezone.now()
        need.save(update_fields=["status", "updated_at"])


@transaction.atomic
def propose(actor: User, membership: Membership, need: Need, offer: Offer) -> Match:
    """A provider offers to a need that was not suggested (or finds the suggestion again)."""
    if not is_offer_side(membership, offer):
        raise PermissionDenied(_("Only the provider can offer this."))
    if need.coalition_id != offer.coalition_id:
        raise ValidationError(_("The need and the offer belong to different coalitions."))
    match, _created = Match.objects.get_or_create(
        need=need, offer=offer, defaults={"coalition_id": need.coalition_id}
    )
    return match


@transaction.atomic
def post_message(actor: User, membership: Membership, match: Match, body: str) -> Message:
    if not (is_need_side(membership, match.need) or is_offer_side(membership, match.offer)):
        raise PermissionDenied(_("Only the two sides of a match write in its thread."))
    if not body.strip():
        raise ValidationError({"body": _("Write a message.")})
    message = Message.objects.create(match=match, author=actor, body=body.strip()[:5000])
    from commonground.marketplace.tasks import send_match_message

    enqueue(send_match_message, coalition=match.coalition, message_id=message.pk)
    return message
