"""The network's pages: requests from cities by theme, partners' offers, and the roll-up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.coalitions.models import Coalition
from commonground.lib.forms import add_action_errors
from commonground.marketplace.explain import Reason, explain
from commonground.marketplace.models import Match as MarketMatch
from commonground.marketplace.models import MatchStatus
from commonground.network import actions
from commonground.network.access import (
    can_post_offers,
    managed_coalitions,
    require_network_member,
)
from commonground.network.forms import OfferForm, RequestForm, ThemeForm
from commonground.network.models import CityRequest, PartnerOffer, Status, Theme
from commonground.network.suggest import offers_for_request, requests_for_offer


def _reasons(found: Any) -> list[Reason]:
    """The marketplace's explanation works on anything with parts and facts."""
    return explain(MarketMatch(parts=found.parts, facts=found.facts))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_network_member(request.user)
    actions.ensure_themes()
    themes = Theme.objects.annotate(
        requests=Count("cityrequest", filter=Q(cityrequest__status=Status.OPEN))
    )
    chosen = request.GET.get("theme", "")
    requests = CityRequest.objects.filter(status=Status.OPEN).select_related("coalition", "theme")
    offers = PartnerOffer.objects.filter(status=Status.OPEN).select_related("organisation")
    if chosen:
        requests = requests.filter(theme__slug=chosen)
        offers = offers.filter(themes__slug=chosen)
    # People reached by each city's marketplace: the network's roll-up.
    reached = (
        Coalition.objects.annotate(
            people=Sum(
                "marketplace_matches__people_reached",
                filter=Q(marketplace_matches__status=MatchStatus.CONFIRMED),
            ),
            deliveries=Count(
                "marketplace_matches",
                filter=Q(marketplace_matches__status=MatchStatus.CONFIRMED),
            ),
        )
        .filter(deliveries__gt=0)
        .order_by("-people")
    )
    context = {
        "themes": themes,
        "chosen": chosen,
        "requests": requests[:50],
        "offers": offers.distinct()[:50],
        "reached": reached,
        "total_reached": sum(c.people or 0 for c in reached),
        "can_ask": managed_coalitions(request.user).exists(),
        "can_offer": can_post_offers(request.user),
        "theme_form": ThemeForm(),
    }
    return render(request, "network/index.html", context)


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    require_network_member(request.user)
    actions.ensure_themes()
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            found = actions.create_request(request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("cities:request", pk=found.pk)
    return render(request, "network/form.html", {"form": form, "kind": "request"})


@login_required
def offer_create(request: HttpRequest) -> HttpResponse:
    require_network_member(request.user)
    if not can_post_offers(request.user):
        raise PermissionDenied
    actions.ensure_themes()
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        themes = list(values.pop("themes"))
        try:
            offer = actions.create_offer(request.user, themes, **values)  # type: ignore[arg-type]
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("cities:offer", pk=offer.pk)
    return render(request, "network/form.html", {"form": form, "kind": "offer"})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_network_member(request.user)
    found = get_object_or_404(CityRequest.objects.select_related("coalition", "theme"), pk=pk)
    rows = [
        {"offer": offer, "match": match, "reasons": _reasons(match)}
        for offer, match in offers_for_request(found)
    ]
    context = {
        "found": found,
        "rows": rows,
        "can_agree": managed_coalitions(request.user).filter(pk=found.coalition_id).exists(),
    }
    return render(request, "network/request.html", context)


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_network_member(request.user)
    offer = get_object_or_404(PartnerOffer.objects.select_related("organisation"), pk=pk)
    rows = [
        {"found": found, "match": match, "reasons": _reasons(match)}
        for found, match in requests_for_offer(offer)
    ]
    return render(request, "network/offer.html", {"offer": offer, "rows": rows})


@require_POST
@login_required
def request_agree(request: HttpRequest, pk: int) -> HttpResponse:
    require_network_member(request.user)
    found = get_object_or_404(CityRequest, pk=pk)
    offer_id = request.POST.get("offer", "")
    offer = PartnerOffer.objects.filter(pk=int(offer_id)).first() if offer_id.isdigit() else None
    if offer_id and offer is None:
        raise Http404
    try:
        actions.agree(request.user, found, offer)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("cities:request", pk=found.pk)


@require_POST
@login_required
def theme_add(request: HttpRequest) -> HttpResponse:
    require_network_member(request.user)
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            actions.add_theme(request.user, form.cleaned_data["name"])  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("cities:index")
