"""The marketplace seen by anyone, when the coalition says so: open needs and offers only.

No names of people, no threads, no drafts or offers in review; the coalition's focal point
turns it on in the marketplace settings.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from commonground.coalitions.models import Coalition
from commonground.lib.text import fold
from commonground.marketplace.models import MarketSettings, Need, NeedStatus, Offer, OfferStatus
from commonground.marketplace.taxonomy import CATEGORY_LABELS

PAGE_SIZE = 25


def public_marketplace(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = get_object_or_404(Coalition, slug=slug)
    if not MarketSettings.objects.filter(coalition=coalition, public=True).exists():
        raise Http404
    showing = "offers" if request.GET.get("show") == "offers" else "needs"
    listings: QuerySet[Any]
    if showing == "needs":
        listings = Need.objects.filter(
            coalition=coalition, status__in=[NeedStatus.OPEN, NeedStatus.PARTLY_MET]
        ).select_related("area")
    else:
        listings = Offer.objects.filter(
            coalition=coalition, status=OfferStatus.OPEN
        ).select_related("organisation")
    category = request.GET.get("category", "")
    if category in CATEGORY_LABELS:
        listings = listings.filter(category=category)
    for word in fold(request.GET.get("q", "")).split()[:6]:
        listings = listings.filter(search_key__contains=word)
    ordering = list(listings.model._meta.ordering or [])
    page = Paginator(listings.order_by(*ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "coalition": coalition,
        "showing": showing,
        "page": page,
        "categories": CATEGORY_LABELS,
        "category": category,
        "q": request.GET.get("q", ""),
        "query": f"show={showing}&category={category}",
    }
    return render(request, "marketplace/public.html", context)
