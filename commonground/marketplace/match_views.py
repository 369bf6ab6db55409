"""Pages for a match's fulfilment and thread, the marketplace dashboard and its settings."""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.lib.forms import add_action_errors
from commonground.marketplace import actions, fulfilment
from commonground.marketplace.access import (
    get_match_for,
    get_need_for,
    get_offer_for,
    matches_for,
    needs_for,
    offers_for,
)
from commonground.marketplace.explain import explain
from commonground.marketplace.forms import MessageForm, SettingsForm, StepForm
from commonground.marketplace.models import (
    Match,
    MatchEvent,
    MatchStatus,
    NeedStatus,
    OfferStatus,
)

# What the button for each step says, from the point of view of whoever takes it.
STEP_LABELS = {
    MatchStatus.OFFERED: lambda: _("Commit to this need"),
    MatchStatus.ACCEPTED: lambda: _("Accept"),
    MatchStatus.IN_DELIVERY: lambda: _("Dispatched"),
    MatchStatus.DELIVERED: lambda: _("Delivered"),
    MatchStatus.CONFIRMED: lambda: _("Confirm and thank"),
    MatchStatus.DECLINED: lambda: _("Decline"),
    MatchStatus.CANCELLED: lambda: _("Cancel"),
}
ASKS_QUANTITY = {MatchStatus.OFFERED, MatchStatus.IN_DELIVERY, MatchStatus.DELIVERED}


def _match_context(request: CoalitionRequest, match: Match) -> dict[str, Any]:
    steps = [
        {
            "status": target,
            "label": STEP_LABELS[MatchStatus(target)](),
            "quantity": target in ASKS_QUANTITY,
            "people": target == MatchStatus.CONFIRMED,
            "danger": target in (MatchStatus.DECLINED, MatchStatus.CANCELLED),
        }
        for target in fulfilment.allowed_steps(request.membership, match)
    ]
    return {
        "match": match,
        "reasons": explain(match),
        "steps": steps,
        "outstanding": fulfilment.outstanding(match.need),
        "available": fulfilment.available(match.offer),
        "events": match.events.select_related("actor"),
        "thread": match.messages.select_related("author"),
        "message_form": MessageForm(),
    }


@coalition_view()
def match_detail(request: CoalitionRequest, pk: int) -> HttpResponse:
    match = get_match_for(request.membership, pk)
    return render(request, "marketplace/match.html", _match_context(request, match))


@require_POST
@coalition_view()
def match_step(request: CoalitionRequest, pk: int) -> HttpResponse:
    match = get_match_for(request.membership, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the quantity."))
        return redirect("marketplace:match", slug=request.coalition.slug, pk=match.pk)
    data = form.cleaned_data
    try:
        fulfilment.step(
            request.user,
            request.membership,
            match,
            data["status"],
            quantity=data["quantity"],
            note=data["note"] or "",
            people_reached=data["people_reached"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: the other side is told by email."))
    return redirect("marketplace:match", slug=request.coalition.slug, pk=match.pk)


@require_POST
@coalition_view()
def match_message(request: CoalitionRequest, pk: int) -> HttpResponse:
    match = get_match_for(request.membership, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            fulfilment.post_message(
                request.user, request.membership, match, form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
    return redirect("marketplace:match", slug=request.coalition.slug, pk=match.pk)


@require_POST
@coalition_view(Can.EDIT_REGISTRY)
def propose(request: CoalitionRequest, pk: int) -> HttpResponse:
    """A provider offers one of their offers to a need (suggested or not)."""
    need = get_need_for(request.membership, pk)
    try:
        offer = get_offer_for(request.membership, int(request.POST.get("offer", "0") or 0))
        match = fulfilment.propose(request.user, request.membership, need, offer)
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("marketplace:need", slug=request.coalition.slug, pk=need.pk)
    except PermissionDenied:
        raise
    return redirect("marketplace:match", slug=request.coalition.slug, pk=match.pk)


def _median_days(durations: list[timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 86400, 1)


@coalition_view()
def dashboard(request: CoalitionRequest) -> HttpResponse:
    membership = request.membership
    needs = needs_for(membership)
    open_needs = needs.filter(status__in=[NeedStatus.OPEN, NeedStatus.PARTLY_MET])
    unmatched = (
        open_needs.annotate(
            active=Count(
                "matches",
                filter=~Q(
                    matches__status__in=[
                        MatchStatus.SUGGESTED,
                        MatchStatus.DECLINED,
                        MatchStatus.CANCELLED,
                    ]
                ),
            )
        )
        .filter(active=0)
        .order_by("-urgency", "needed_by", "id")
    )
    unclaimed = (
        offers_for(membership)
        .filter(status=OfferStatus.OPEN)
        .annotate(
            active=Count(
                "matches",
                filter=Q(
                    matches__status__in=[
                        MatchStatus.OFFERED,
                        MatchStatus.ACCEPTED,
                        MatchStatus.IN_DELIVERY,
                        MatchStatus.DELIVERED,
                        MatchStatus.CONFIRMED,
                    ]
                ),
            )
        )
        .filter(active=0)
        .order_by("-created_at")
    )
    # Time to match: from posting a need to the first commitment to it.
    first_offers = (
        MatchEvent.objects.filter(
            match__coalition_id=membership.coalition_id, to_status=MatchStatus.OFFERED
        )
        .values("match__need_id", "match__need__created_at")
        .annotate(first=Min("created_at"))
    )
    durations = [row["first"] - row["match__need__created_at"] for row in first_offers]
    confirmed = Match.objects.filter(
        coalition_id=membership.coalition_id, status=MatchStatus.CONFIRMED
    )
    totals = confirmed.aggregate(people=Sum("people_reached"), count=Count("id"))
    context = {
        "unmatched": unmatched[:10],
        "unmatched_count": unmatched.count(),
        "unclaimed": unclaimed[:10],
        "unclaimed_count": unclaimed.count(),
        "open_count": open_needs.count(),
        "median_days": _median_days(durations),
        "people_reached": totals["people"] or 0,
        "confirmed_count": totals["count"],
        "my_matches": matches_for(membership)
        .exclude(status__in=[MatchStatus.SUGGESTED, MatchStatus.DECLINED, MatchStatus.CANCELLED])
        .order_by("-updated_at")[:10],
        "since": timezone.now() - timedelta(days=30),
    }
    return render(request, "marketplace/dashboard.html", context)


@coalition_view(Can.MANAGE)
def market_settings(request: CoalitionRequest) -> HttpResponse:
    current = actions.settings_for(request.coalition)
    form = SettingsForm(
        request.POST or None,
        initial={"review_offers": current.review_offers, "public": current.public},
    )
    if request.method == "POST" and form.is_valid():
        actions.update_settings(request.user, request.coalition, **form.cleaned_data)
        messages.success(request, _("Marketplace settings saved."))
        return redirect("marketplace:settings", slug=request.coalition.slug)
    in_review = offers_for(request.membership).filter(status=OfferStatus.IN_REVIEW)
    return render(request, "marketplace/settings.html", {"form": form, "in_review": in_review})
