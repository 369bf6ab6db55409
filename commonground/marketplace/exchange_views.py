"""Import needs in two steps (upload, then check the columns) and export needs and offers."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.lib.tabular import TableImportError, csv_lines, write_xlsx
from commonground.marketplace.access import needs_for, offers_for
from commonground.marketplace.exchange import (
    FIELDS,
    export_offer_rows,
    export_rows,
    guess_mapping,
    read_sheet,
)
from commonground.marketplace.forms import AttachmentForm
from commonground.marketplace.imports import import_needs
from commonground.marketplace.models import COMMITTING, MatchStatus
from commonground.marketplace.offer_exchange import import_offers

FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "description": gettext_lazy("Description"),
    "category": gettext_lazy("Category"),
    "subcategory": gettext_lazy("Subcategory"),
    "quantity": gettext_lazy("Quantity"),
    "unit": gettext_lazy("Unit"),
    "people": gettext_lazy("People to benefit"),
    "households": gettext_lazy("Households to benefit"),
    "area": gettext_lazy("Community or area (P-code or name)"),
    "latitude": gettext_lazy("Latitude"),
    "longitude": gettext_lazy("Longitude"),
    "urgency": gettext_lazy("Urgency"),
    "needed_by": gettext_lazy("Needed by"),
}
EXPORTS = {"csv": "CSV", "xlsx": "XLSX", "hxl": "HXL CSV"}


def _upload_folder(coalition_id: int) -> Path:
    folder = Path(settings.DATA_DIR) / "uploads" / "needs" / str(coalition_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@coalition_view(Can.POST_NEEDS)
def need_import(request: CoalitionRequest) -> HttpResponse:
    """Step 1: upload. The file is kept for step 2 under a random name."""
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(settings.MAX_UPLOAD_SIZE + 1)
        try:
            read_sheet(data, upload.name or "", settings.MAX_UPLOAD_SIZE)
        except TableImportError as error:
            for problem in error.errors[:20]:
                form.add_error("file", str(problem))
        else:
            token = secrets.token_hex(16)
            suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
            (_upload_folder(request.coalition.pk) / f"{token}{suffix}").write_bytes(data)
            query = urlencode({"file": f"{token}{suffix}", "name": upload.name or ""})
            return redirect(f"{request.path}map/?{query}")
    return render(request, "marketplace/import.html", {"form": form})


def _stored(request: CoalitionRequest) -> Path | None:
    """The file uploaded in step 1, or None (gone, or never there)."""
    name = request.GET.get("file") or request.POST.get("file") or ""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = _upload_folder(request.coalition.pk) / name
    return path if path.is_file() else None


@coalition_view(Can.EDIT_REGISTRY)
def offer_import(request: CoalitionRequest) -> HttpResponse:
    """Offers from the offers export's columns: one step, all rows or none."""
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(settings.MAX_UPLOAD_SIZE + 1)
        try:
            sheet = read_sheet(data, upload.name or "", settings.MAX_UPLOAD_SIZE)
            offers = import_offers(request.user, request.coalition, sheet)
        except TableImportError as error:
            for problem in error.errors[:30]:
                form.add_error("file", str(problem))
        else:
            messages.success(
                request,
                _("%(count)s offers imported; needs they could serve are found in the background.")
                % {"count": len(offers)},
            )
            return redirect(
                reverse("marketplace:browse", args=[request.coalition.slug]) + "?show=offers"
            )
    return render(request, "marketplace/import_offers.html", {"form": form})


@coalition_view(Can.POST_NEEDS)
def need_import_map(request: CoalitionRequest) -> HttpResponse:
    """Step 2: which column is which field, with a few values of each; then import."""
    path = _stored(request)
    if path is None:
        messages.info(request, _("Choose the file to import first."))
        return redirect("marketplace:need_import", slug=request.coalition.slug)
    sheet = read_sheet(path.read_bytes(), path.name, settings.MAX_UPLOAD_SIZE)
    if request.method == "POST":
        mapping = {
            column: request.POST.get(f"col-{index}", "")
            for index, column in enumerate(sheet.headers)
        }
        mapping = {column: field for column, field in mapping.items() if field in FIELDS}
    else:
        mapping = guess_mapping(sheet)
    errors: list[str] = []
    if request.method == "POST":
        status = "draft" if request.POST.get("status") == "draft" else "open"
        try:
            needs = import_needs(request.user, request.coalition, sheet, mapping, status=status)
        except TableImportError as error:
            errors = [str(problem) for problem in error.errors[:50]]
        else:
            path.unlink(missing_ok=True)
            messages.success(
                request,
                _("%(count)s needs imported; matching offers are found in the background.")
                % {"count": len(needs)},
            )
            return redirect("marketplace:browse", slug=request.coalition.slug)
    columns = [
        {
            "index": index,
            "header": header,
            "field": mapping.get(header, ""),
            "samples": [cells.get(header, "") for _n, cells in sheet.rows[:3]],
        }
        for index, header in enumerate(sheet.headers)
    ]
    context = {
        "columns": columns,
        "fields": FIELD_LABELS,
        "file": path.name,
        "name": request.GET.get("name", ""),
        "rows": len(sheet.rows),
        "errors": errors,
    }
    return render(request, "marketplace/import_map.html", context)


def _download(rows: Any, fmt: str, name: str) -> HttpResponse | StreamingHttpResponse:
    """Rows as an XLSX file, or streamed as CSV (with the HXL row when asked)."""
    if fmt == "xlsx":
        import io

        buffer = io.BytesIO()
        write_xlsx(buffer, rows, title=name.split("-")[0])
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    streaming = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    suffix = "-hxl" if fmt == "hxl" else ""
    streaming["Content-Disposition"] = f'attachment; filename="{name}{suffix}.csv"'
    return streaming


@coalition_view()
def offer_export(request: CoalitionRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in EXPORTS:
        raise Http404
    offers = (
        offers_for(request.membership)
        .annotate(
            committed_total=Sum("matches__committed", filter=Q(matches__status__in=COMMITTING))
        )
        .prefetch_related("areas")
        .order_by("id")
    )
    rows = export_offer_rows(offers, hxl=fmt == "hxl")
    return _download(rows, fmt, f"offers-{request.coalition.slug}")


@coalition_view()
def need_export(request: CoalitionRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in EXPORTS:
        raise Http404
    delivered = Q(matches__status__in=[MatchStatus.DELIVERED, MatchStatus.CONFIRMED])
    needs = (
        needs_for(request.membership)
        .annotate(
            committed_total=Sum("matches__committed", filter=Q(matches__status__in=COMMITTING)),
            delivered_total=Sum("matches__delivered", filter=delivered),
            reached_total=Sum("matches__people_reached", filter=delivered),
        )
        .order_by("id")
    )
    rows: Any = export_rows(needs.iterator(chunk_size=500), hxl=fmt == "hxl")
    return _download(rows, fmt, f"needs-{request.coalition.slug}")
