"""Pages to browse, post and edit needs and offers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.lib.forms import add_action_errors
from commonground.lib.text import fold
from commonground.marketplace import actions
from commonground.marketplace.access import (
    can_edit_need,
    can_edit_offer,
    get_need_for,
    get_offer_for,
    is_offer_side,
    needs_for,
    offers_for,
)
from commonground.marketplace.explain import explain
from commonground.marketplace.forms import AttachmentForm, BrowseForm, NeedForm, OfferForm
from commonground.marketplace.fulfilment import available, outstanding
from commonground.marketplace.models import (
    Attachment,
    Match,
    MatchStatus,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
)
from commonground.marketplace.taxonomy import category_label, subcategory_label

PAGE_SIZE = 25


def _search(listings: QuerySet[Any], text: str) -> QuerySet[Any]:
    """Every word, anywhere in the title or description, whatever its case and accents."""
    for word in fold(text).split()[:6]:
        listings = listings.filter(search_key__contains=word)
    return listings


@coalition_view()
def browse(request: CoalitionRequest) -> HttpResponse:
    showing = "offers" if request.GET.get("show") == "offers" else "needs"
    form = BrowseForm(request.GET or None, coalition_id=request.coalition.pk)
    listings: QuerySet[Any] = (
        offers_for(request.membership) if showing == "offers" else needs_for(request.membership)
    )
    statuses = (NeedStatus if showing == "needs" else OfferStatus).values
    status = request.GET.get("status", "")
    if status in statuses:
        listings = listings.filter(status=status)
    elif showing == "needs":
        listings = listings.filter(status__in=[NeedStatus.OPEN, NeedStatus.PARTLY_MET])
    else:
        listings = listings.filter(status=OfferStatus.OPEN)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            listings = _search(listings, data["q"])
        if data["category"]:
            listings = listings.filter(category=data["category"])
        if data["area"] is not None:
            field = "area" if showing == "needs" else "areas"
            listings = listings.filter(**{field: data["area"]})
        if data["urgency"] and showing == "needs":
            listings = listings.filter(urgency=data["urgency"])
    ordering = list(listings.model._meta.ordering or [])
    page = Paginator(listings.order_by(*ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    detail = "marketplace:need" if showing == "needs" else "marketplace:offer"
    points = {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "points": [
            {
                "title": item.title,
                "lat": item.latitude,
                "lon": item.longitude,
                "url": reverse(detail, args=[request.coalition.slug, item.pk]),
            }
            for item in page
            if item.latitude is not None and item.longitude is not None
        ],
    }
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    context = {
        "showing": showing,
        "form": form,
        "page": page,
        "query": query,
        "points": points,
        "statuses": (NeedStatus if showing == "needs" else OfferStatus).choices,
        "status": status,
        "pending_review": (
            offers_for(request.membership).filter(status=OfferStatus.IN_REVIEW).count()
            if request.membership.can(Can.MANAGE)
            else 0
        ),
    }
    template = "marketplace/_results.html" if request.htmx else "marketplace/browse.html"
    return render(request, template, context)


def _labels(listing: Need | Offer) -> dict[str, str]:
    return {
        "category": category_label(listing.category),
        "subcategory": subcategory_label(listing.subcategory) if listing.subcategory else "",
    }


def _listing_form(
    request: CoalitionRequest, form_class: type[NeedForm] | type[OfferForm], instance: Any = None
) -> Any:
    form = form_class(request.POST or None, instance=instance, coalition_id=request.coalition.pk)
    return form


def _values(form: Any) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items()}


@coalition_view(Can.POST_NEEDS)
def need_create(request: CoalitionRequest) -> HttpResponse:
    form = _listing_form(request, NeedForm)
    if request.method == "POST" and form.is_valid():
        try:
            need = actions.create_need(request.user, request.coalition, **_values(form))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Need posted. Matching offers appear here in a moment."))
            return redirect("marketplace:need", slug=request.coalition.slug, pk=need.pk)
    return render(request, "marketplace/listing_form.html", {"form": form, "kind": "need"})


@coalition_view(Can.POST_NEEDS)
def need_edit(request: CoalitionRequest, pk: int) -> HttpResponse:
    need = get_need_for(request.membership, pk)
    if not can_edit_need(request.membership, need):
        raise PermissionDenied
    form = _listing_form(request, NeedForm, need)
    if request.method == "POST" and form.is_valid():
        values = _values(form)
        need.refresh_from_db()  # the form wrote into the instance; the action compares
        try:
            actions.update_need(request.user, need, **values)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Need saved."))
            return redirect("marketplace:need", slug=request.coalition.slug, pk=need.pk)
    return render(
        request, "marketplace/listing_form.html", {"form": form, "kind": "need", "listing": need}
    )


def _suggestion_rows(matches: QuerySet[Match], other: str) -> list[dict[str, Any]]:
    return [
        {"match": match, "other": getattr(match, other), "reasons": explain(match)}
        for match in matches
    ]


@coalition_view()
def need_detail(request: CoalitionRequest, pk: int) -> HttpResponse:
    need = get_need_for(request.membership, pk)
    matches = need.matches.select_related("offer", "offer__organisation", "offer__created_by")
    suggested = matches.filter(status=MatchStatus.SUGGESTED).order_by("-score", "id")
    active = matches.exclude(status=MatchStatus.SUGGESTED).order_by("-updated_at")
    own_offers = [
        offer
        for offer in offers_for(request.membership).filter(status=OfferStatus.OPEN)
        if is_offer_side(request.membership, offer)
    ][:20]
    context = {
        "need": need,
        "labels": _labels(need),
        "outstanding": outstanding(need),
        "suggestions": _suggestion_rows(suggested, "offer"),
        "active": active,
        "can_edit": can_edit_need(request.membership, need),
        "own_offers": own_offers,
        "attachments": need.attachments.all(),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "marketplace/need.html", context)


@require_POST
@coalition_view(Can.POST_NEEDS)
def need_attach(request: CoalitionRequest, pk: int) -> HttpResponse:
    need = get_need_for(request.membership, pk)
    if not can_edit_need(request.membership, need):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_attachment(request.user, need, form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attached."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect("marketplace:need", slug=request.coalition.slug, pk=need.pk)


@coalition_view()
def attachment(request: CoalitionRequest, pk: int) -> FileResponse:
    try:
        found = Attachment.objects.select_related("need").get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    need = get_need_for(request.membership, found.need_id)  # 404 unless the need is visible
    if not found.path.exists() or need.pk != found.need_id:
        raise Http404
    return FileResponse(
        found.path.open("rb"),
        content_type=found.content_type,
        as_attachment=not found.is_image,
        filename=found.filename,
    )


@coalition_view(Can.EDIT_REGISTRY)
def offer_create(request: CoalitionRequest) -> HttpResponse:
    form = _listing_form(request, OfferForm)
    if request.method == "GET" and request.membership.organisation_id:
        form.initial["organisation"] = request.membership.organisation_id
    if request.method == "POST" and form.is_valid():
        try:
            offer = actions.create_offer(request.user, request.coalition, **_values(form))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if offer.status == OfferStatus.IN_REVIEW:
                messages.info(
                    request, _("Thank you: a focal point reviews the offer before it is listed.")
                )
            else:
                messages.success(
                    request, _("Offer posted. Needs it could serve appear here in a moment.")
                )
            return redirect("marketplace:offer", slug=request.coalition.slug, pk=offer.pk)
    return render(request, "marketplace/listing_form.html", {"form": form, "kind": "offer"})


@coalition_view(Can.EDIT_REGISTRY)
def offer_edit(request: CoalitionRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.membership, pk)
    if not can_edit_offer(request.membership, offer):
        raise PermissionDenied
    form = _listing_form(request, OfferForm, offer)
    if request.method == "POST" and form.is_valid():
        values = _values(form)
        offer.refresh_from_db()
        try:
            actions.update_offer(request.user, offer, **values)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Offer saved."))
            return redirect("marketplace:offer", slug=request.coalition.slug, pk=offer.pk)
    return render(
        request, "marketplace/listing_form.html", {"form": form, "kind": "offer", "listing": offer}
    )


@coalition_view()
def offer_detail(request: CoalitionRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.membership, pk)
    matches = offer.matches.select_related("need", "need__area", "need__created_by")
    suggested = matches.filter(status=MatchStatus.SUGGESTED).order_by("-score", "id")
    context = {
        "offer": offer,
        "labels": _labels(offer),
        "available": available(offer),
        "suggestions": _suggestion_rows(suggested, "need"),
        "active": matches.exclude(status=MatchStatus.SUGGESTED).order_by("-updated_at"),
        "can_edit": can_edit_offer(request.membership, offer),
        "offer_side": is_offer_side(request.membership, offer),
        "areas": offer.areas.all(),
    }
    return render(request, "marketplace/offer.html", context)


@require_POST
@coalition_view(Can.MANAGE)
def offer_review(request: CoalitionRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.membership, pk)
    try:
        actions.review_offer(
            request.user,
            offer,
            suitable=request.POST.get("decision") == "list",
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Review saved."))
    return redirect("marketplace:offer", slug=request.coalition.slug, pk=offer.pk)
