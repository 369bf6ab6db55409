"""Export of the organisation registry with a coalition's contacts: CSV, XLSX, HXL CSV."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from commonground.lib.tabular import csv_lines, write_xlsx
from commonground.organisations.exchange import COLUMNS
from commonground.organisations.models import Contact, Organisation

EXPORT_FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "hxl": "HXL CSV"}


def export_rows(
    organisations: QuerySet[Organisation], contacts: QuerySet[Contact], *, hxl: bool = False
) -> Iterator[list[Any]]:
    """One row per contact (an organisation with none gets one row), headers first."""
    yield [c.header for c in COLUMNS]
    if hxl:
        yield [c.hxl for c in COLUMNS]
    by_org: dict[int, list[Contact]] = {}
    org_ids = organisations.values_list("pk", flat=True)
    for contact in contacts.filter(organisation_id__in=org_ids).order_by("name", "id"):
        by_org.setdefault(contact.organisation_id, []).append(contact)
    for org in organisations.order_by("name_key", "id").iterator(chunk_size=2000):
        base = [
            org.name,
            org.acronym,
            org.type,
            org.level,
            "; ".join(org.sectors),
            org.website,
            org.address,
            org.city,
            org.country,
            org.latitude,
            org.longitude,
            ", ".join(org.capacities),
            ", ".join(org.resources),
            ", ".join(org.expertise),
        ]
        people: list[Contact | None] = [*by_org.get(org.pk, [])] or [None]
        for person in people:
            if person is None:
                yield [*base, "", "", "", "", "", ""]
            else:
                yield [
                    *base,
                    person.name,
                    person.role,
                    person.email,
                    person.phone,
                    person.preferred_channel,
                    person.language,
                ]


def export_response(
    organisations: QuerySet[Organisation], contacts: QuerySet[Contact], fmt: str
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    stamp = timezone.now().strftime("%Y%m%d")
    if fmt in {"csv", "hxl"}:
        response = StreamingHttpResponse(
            csv_lines(export_rows(organisations, contacts, hxl=fmt == "hxl")),
            content_type="text/csv; charset=utf-8",
        )
        suffix = "-hxl" if fmt == "hxl" else ""
        response["Content-Disposition"] = (
            f'attachment; filename="organisations-{stamp}{suffix}.csv"'
        )
        return response
    if fmt == "xlsx":
        handle = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
        write_xlsx(handle, export_rows(organisations, contacts), "Organisations")
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"organisations-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404("Unknown export format")
