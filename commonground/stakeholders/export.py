"""Export of the stakeholder map with stages and scores: CSV, XLSX, HXL CSV; contacts as vCard."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from commonground.lib.tabular import csv_lines, write_xlsx
from commonground.organisations.models import Contact
from commonground.stakeholders.analysis import score_table
from commonground.stakeholders.exchange import COLUMNS, criterion_header, criterion_tag
from commonground.stakeholders.models import Stakeholder
from commonground.stakeholders.vcard import VCard, vcard_for_contact, vcard_for_person


def _number(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def export_rows(
    coalition_id: int, stakeholders: QuerySet[Stakeholder], *, hxl: bool = False
) -> Iterator[list[Any]]:
    """Headers (and hashtags), then one row per stakeholder with its scores' means."""
    table = score_table(coalition_id)
    yield [c.header for c in COLUMNS] + [criterion_header(c) for c in table.criteria]
    if hxl:
        yield [c.hxl for c in COLUMNS] + [criterion_tag(c) for c in table.criteria]
    qs = stakeholders.select_related("organisation", "plan__owner").order_by("id")
    for s in qs.iterator(chunk_size=2000):
        org = s.organisation
        plan = getattr(s, "plan", None)
        found = table.aggregates.get(s.pk)
        yield [
            org.name if org else "",
            org.acronym if org else "",
            "" if org else s.person_name,
            org.type if org else "",
            org.level if org else "",
            "; ".join(org.sectors) if org else "",
            s.stage,
            s.stage_changed_at.date().isoformat(),
            s.role,
            s.engagement_model,
            "yes" if s.lived_experience else "no",
            s.brings,
            s.wants,
            "" if s.power is None else s.power,
            "" if s.interest is None else s.interest,
            s.notes,
            plan.owner.email if plan and plan.owner else "",
            plan.next_contact.isoformat() if plan and plan.next_contact else "",
            _number(found.weighted if found else None),
            found.scorers if found else 0,
        ] + [_number(found.mean(c.pk) if found else None) for c in table.criteria]


def export_response(
    coalition_id: int, stakeholders: QuerySet[Stakeholder], fmt: str
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    stamp = timezone.now().strftime("%Y%m%d")
    if fmt in {"csv", "hxl"}:
        response = StreamingHttpResponse(
            csv_lines(export_rows(coalition_id, stakeholders, hxl=fmt == "hxl")),
            content_type="text/csv; charset=utf-8",
        )
        suffix = "-hxl" if fmt == "hxl" else ""
        response["Content-Disposition"] = f'attachment; filename="stakeholders-{stamp}{suffix}.csv"'
        return response
    if fmt == "xlsx":
        handle = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
        write_xlsx(handle, export_rows(coalition_id, stakeholders), "Stakeholders")
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"stakeholders-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404("Unknown export format")


def vcards(stakeholders: QuerySet[Stakeholder], contacts: QuerySet[Contact]) -> Iterator[VCard]:
    """A card for each of the coalition's contacts at a stakeholder organisation, and for
    each person on the map (with their contact's details when one is linked)."""
    linked: set[int] = set()
    people = stakeholders.filter(organisation__isnull=True).select_related("contact__organisation")
    for person in people.order_by("person_key", "id"):
        if person.contact_id is not None:
            linked.add(person.contact_id)
        yield vcard_for_person(person)
    org_ids = stakeholders.filter(organisation__isnull=False).values("organisation_id")
    at_orgs = contacts.filter(organisation_id__in=org_ids).select_related("organisation")
    for contact in at_orgs.order_by("name", "id"):
        if contact.pk not in linked:
            yield vcard_for_contact(contact)


def vcard_response(cards: Iterator[VCard], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (card.serialise() for card in cards), content_type="text/vcard; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
