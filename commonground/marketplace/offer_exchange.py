"""Offers in from CSV, XLSX or HXL-tagged CSV: the columns of the offers export, all or none.

Columns (header, or HXL hashtag): ``title`` ``#item+name`` (required), ``description``
``#description``, ``category`` ``#sector``, ``subcategory`` ``#subsector``, ``organisation``
``#org+name`` (name or acronym of an organisation on the coalition's list), ``quantity``
``#item+num``, ``unit`` ``#item+unit``, ``latitude`` ``#geo+lat``, ``longitude`` ``#geo+lon``,
``radius_km`` ``#geo+radius_km``, ``areas`` ``#adm2+code`` (P-codes or names, separated by
spaces, commas or semicolons), ``available_from`` ``#date+start``, ``available_until``
``#date+end``, ``conditions``. Other columns (``id``, ``status``, ``committed``) are ignored,
so an export can be edited and imported into another coalition.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.analysis.matching import CATEGORIES
from commonground.coalitions.audit import record
from commonground.coalitions.models import Coalition
from commonground.jobs.queue import enqueue
from commonground.lib.tabular import RowError, TableImportError
from commonground.lib.text import fold
from commonground.marketplace.actions import search_key, settings_for
from commonground.marketplace.exchange import (
    OFFER_EXPORT_TAGS,
    Resolver,
    Sheet,
    _coordinate,
    _date,
    _decimal,
)
from commonground.marketplace.models import Offer, OfferStatus
from commonground.organisations.models import Organisation
from commonground.places.models import Area

IMPORTED = [
    "title",
    "description",
    "category",
    "subcategory",
    "organisation",
    "quantity",
    "unit",
    "latitude",
    "longitude",
    "radius_km",
    "areas",
    "available_from",
    "available_until",
    "conditions",
]


def offer_mapping(sheet: Sheet) -> dict[str, str]:
    """Column → field, by hashtag when the file has them, else by the export's header names."""
    tags = {tag: field for field, tag in OFFER_EXPORT_TAGS.items() if field in IMPORTED}
    mapping: dict[str, str] = {}
    for index, header in enumerate(sheet.headers):
        tag = sheet.hashtags[index].strip().lower() if sheet.hashtags else ""
        key = re.sub(r"[^a-z0-9]+", "_", fold(header)).strip("_")
        field = tags.get(tag) if tag else (key if key in IMPORTED else None)
        if field and field not in mapping.values():
            mapping[header] = field
    return mapping


def _radius(text: str) -> float:
    return float(_decimal(text))


def parse_offers(sheet: Sheet, coalition: Coalition) -> list[dict[str, Any]]:
    mapping = offer_mapping(sheet)
    if "title" not in mapping.values():
        raise TableImportError(
            [RowError(None, None, _("missing column: add a 'title' column (or #item+name)"))]
        )
    resolver = Resolver(list(Area.objects.filter(coalition=coalition)))
    listed = Organisation.objects.filter(participations__coalition=coalition)
    organisations: dict[str, Organisation] = {}
    for listed_one in listed:
        organisations.setdefault(fold(listed_one.name), listed_one)
        if listed_one.acronym:
            organisations.setdefault(fold(listed_one.acronym), listed_one)

    def organisation(text: str) -> Organisation:
        found = organisations.get(fold(text.strip()))
        if found is None:
            raise ValueError(_("no organisation with this name or acronym on the coalition's list"))
        return found

    def areas(text: str) -> list[Area]:
        return [resolver.area(part) for part in re.split(r"[;,\s]+", text.strip()) if part]

    converters: dict[str, Any] = {
        "category": resolver.category,
        "subcategory": resolver.subcategory,
        "organisation": organisation,
        "quantity": _decimal,
        "latitude": lambda t: _coordinate(t, 90),
        "longitude": lambda t: _coordinate(t, 180),
        "radius_km": _radius,
        "areas": areas,
        "available_from": _date,
        "available_until": _date,
    }
    errors: list[RowError] = []
    offers: list[dict[str, Any]] = []
    for number, cells in sheet.rows:
        values: dict[str, Any] = {}
        for column, field in mapping.items():
            text = (cells.get(column) or "").strip()
            if not text:
                continue
            try:
                values[field] = converters.get(field, str)(text)
            except ValueError as error:
                errors.append(RowError(number, column, str(error)))
        if not values.get("title"):
            if any((cells.get(c) or "").strip() for c in mapping):
                errors.append(RowError(number, None, _("the offer has no title")))
            continue
        values.setdefault("category", "other")
        problems = []
        if values.get("subcategory") and values["subcategory"] not in CATEGORIES.get(
            values["category"], ()
        ):
            problems.append(_("the subcategory belongs to another category"))
        if (values.get("latitude") is None) != (values.get("longitude") is None):
            problems.append(_("give both latitude and longitude"))
        if values.get("radius_km") and values.get("latitude") is None:
            problems.append(_("a radius needs the location it is from"))
        start, end = values.get("available_from"), values.get("available_until")
        if start and end and end < start:
            problems.append(_("the end comes before the start"))
        errors.extend(RowError(number, None, problem) for problem in problems)
        values["title"] = str(values["title"])[:200]
        offers.append(values)
    if errors:
        raise TableImportError(errors)
    if not offers:
        raise TableImportError([RowError(None, None, _("the file has no offers to import"))])
    return offers


@transaction.atomic
def import_offers(actor: User | None, coalition: Coalition, sheet: Sheet) -> list[Offer]:
    """All the sheet's offers, or none; they wait for review when the coalition reviews offers."""
    rows = parse_offers(sheet, coalition)
    status = OfferStatus.IN_REVIEW if settings_for(coalition).review_offers else OfferStatus.OPEN
    created = []
    for values in rows:
        served = values.pop("areas", [])
        offer = Offer(coalition=coalition, created_by=actor, status=status, **values)
        offer.search_key = search_key(offer)
        offer.save()
        offer.areas.set(served)
        created.append(offer)
    record(actor, coalition, "offer.import", coalition, after={"offers": len(created)})
    from commonground.marketplace.tasks import rematch

    enqueue(rematch, coalition=coalition, coalition_id=coalition.pk)
    return created
