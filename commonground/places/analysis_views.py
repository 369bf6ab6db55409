"""Pages for exposure analyses: start one, follow it, read the ranking, download it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commonground.coalitions.access import CoalitionRequest, coalition_view, require
from commonground.coalitions.roles import Can
from commonground.lib.forms import add_action_errors
from commonground.places import actions
from commonground.places.access import get_run_for, runs_for
from commonground.places.forms import AnalysisForm

DOWNLOADS = {"csv": "CSV", "hxl": "HXL CSV", "geojson": "GeoJSON", "gpkg": "GeoPackage"}
COLUMN_LABELS = {
    "rank": gettext_lazy("Rank"),
    "area": gettext_lazy("Area"),
    "area_code": gettext_lazy("P-code"),
    "hazard_class": gettext_lazy("Hazard class"),
    "exposure_class": gettext_lazy("Kind"),
    "exposed": gettext_lazy("Exposed"),
    "total": gettext_lazy("Total"),
    "exposed_share": gettext_lazy("Share exposed"),
    "count": gettext_lazy("Count"),
    "length_m": gettext_lazy("Length (m)"),
    "area_m2": gettext_lazy("Area (m²)"),
    "population": gettext_lazy("Population"),
    "exposed_population": gettext_lazy("People exposed"),
    "exposed_population_share": gettext_lazy("Share of people exposed"),
}


@coalition_view()
def analyses(request: CoalitionRequest) -> HttpResponse:
    form = AnalysisForm(request.POST or None, coalition_id=request.coalition.pk)
    if request.method == "POST":
        require(request.membership, Can.EDIT_REGISTRY)
        if form.is_valid():
            try:
                run = actions.start_exposure_run(
                    request.user, request.coalition, **form.cleaned_data
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return redirect("places:analysis", slug=request.coalition.slug, pk=run.pk)
    runs = runs_for(request.membership)[:50]
    return render(request, "places/analyses.html", {"form": form, "runs": runs})


def _sort_key(value: object) -> tuple[int, float, str]:
    """Numbers by value, anything else by its text (numbers first)."""
    if isinstance(value, int | float):
        return (0, float(value), "")
    return (1, 0.0, str(value))


def sorted_rows(records: list[dict[str, Any]], sort: str, descending: bool) -> list[dict[str, Any]]:
    """Rows sorted by one column; rows without a value in it come last, in their order."""
    rows = list(records)
    if rows and sort in rows[0]:
        present = [r for r in rows if r.get(sort) is not None]
        missing = [r for r in rows if r.get(sort) is None]
        present.sort(key=lambda r: _sort_key(r[sort]), reverse=descending)
        rows = present + missing
    return rows


def _display(column: str, value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if column.endswith("_share"):
            return f"{value:.0%}"
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _shown(records: list[dict[str, object]]) -> list[str]:
    """The columns worth showing: those with a value somewhere."""
    if not records:
        return []
    return [c for c in records[0] if any(row.get(c) not in (None, "") for row in records)]


def _rows(records: list[dict[str, object]], columns: list[str]) -> list[list[str]]:
    return [[_display(c, row.get(c)) for c in columns] for row in records]


@coalition_view()
def analysis(request: CoalitionRequest, pk: int) -> HttpResponse:
    run = get_run_for(request.membership, pk)
    sort = request.GET.get("sort", "rank")
    descending = request.GET.get("dir") == "desc"
    columns = _shown(run.shares)
    detail_columns = _shown(run.result)
    context = {
        "run": run,
        "columns": [(c, COLUMN_LABELS.get(c, c)) for c in columns],
        "share_rows": _rows(sorted_rows(run.shares, sort, descending), columns),
        "detail_columns": [COLUMN_LABELS.get(c, c) for c in detail_columns],
        "detail_rows": _rows(run.result, detail_columns),
        "sort": sort,
        "descending": descending,
        "downloads": DOWNLOADS,
    }
    template = "places/_analysis_status.html" if request.htmx else "places/analysis.html"
    return render(request, template, context)


@require_POST
@coalition_view(Can.EDIT_REGISTRY)
def analysis_rerun(request: CoalitionRequest, pk: int) -> HttpResponse:
    run = get_run_for(request.membership, pk)
    try:
        again = actions.rerun(request.user, run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("places:analysis", slug=request.coalition.slug, pk=run.pk)
    messages.success(request, _("The analysis runs again on the layers as they are now."))
    return redirect("places:analysis", slug=request.coalition.slug, pk=again.pk)


@coalition_view()
def analysis_download(request: CoalitionRequest, pk: int, fmt: str) -> FileResponse:
    import pandas as pd

    from commonground.analysis.export import with_area_geometry
    from commonground.analysis.summary import with_totals
    from commonground.places.runs import areas_frame

    run = get_run_for(request.membership, pk)
    if fmt not in DOWNLOADS or not run.result:
        raise Http404
    table = pd.DataFrame(run.result)
    shares = pd.DataFrame(run.shares)
    if fmt in ("geojson", "gpkg") and "area" in shares:
        # Maps want one feature per area: the ranking, with each area's shape.
        table = with_area_geometry(shares, areas_frame(run.coalition_id, run.area_level), "name")
    else:
        table = with_totals(table)
    return table_download(table, fmt, f"exposure-{run.pk}")


def table_download(table: Any, fmt: str, stem: str, admin_level: int = 2) -> FileResponse:
    """A result table as a file to download, written to a temporary file that is gone after."""
    from commonground.analysis.export import write_table

    suffix = {"hxl": "csv"}.get(fmt, fmt)
    handle = tempfile.NamedTemporaryFile(suffix=f".{suffix}", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    write_table(table, path, format=fmt, admin_level=admin_level)  # type: ignore[arg-type]
    name = f"{stem}{'-hxl' if fmt == 'hxl' else ''}.{suffix}"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    path.unlink()  # the open handle keeps the data readable until the response is sent
    return response
