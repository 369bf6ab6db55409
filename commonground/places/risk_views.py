"""Pages for risk profiles: gather indicators, weigh them, read the ranking at every level."""

from __future__ import annotations

from typing import Any

from django.conf import settings
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
from commonground.lib.tabular import TableImportError, read_upload
from commonground.places import risk_actions
from commonground.places.access import areas_for, get_profile_for, profiles_for
from commonground.places.analysis_views import (
    DOWNLOADS,
    _display,
    sorted_rows,
    table_download,
)
from commonground.places.forms import AreaIndicatorsForm, RiskProfileForm
from commonground.places.models import AreaLevel, RiskProfile
from commonground.places.profiles import (
    COMPUTED,
    DIMENSION_LABELS,
    KEY_COLUMNS,
    indicator_label,
)

RANKING_COLUMNS = {
    "rank": gettext_lazy("Rank"),
    "area": gettext_lazy("Area"),
    "area_code": gettext_lazy("P-code"),
    "parent": gettext_lazy("Part of"),
    "population": gettext_lazy("Population"),
    **DIMENSION_LABELS,
    "risk": gettext_lazy("Risk (0–10)"),
}


@coalition_view()
def risk_profiles(request: CoalitionRequest) -> HttpResponse:
    form = RiskProfileForm(request.POST or None, coalition_id=request.coalition.pk)
    if request.method == "POST":
        require(request.membership, Can.EDIT_REGISTRY)
        if form.is_valid():
            try:
                profile = risk_actions.start_risk_profile(
                    request.user, request.coalition, **form.cleaned_data
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return redirect("places:risk_profile", slug=request.coalition.slug, pk=profile.pk)
    profiles = profiles_for(request.membership)[:50]
    return render(request, "places/risk_profiles.html", {"form": form, "profiles": profiles})


def _levels(profile: RiskProfile) -> list[tuple[str, str]]:
    present = {row["level"] for row in profile.rollup}
    return [(value, str(label)) for value, label in AreaLevel.choices if value in present]


def _ranking(profile: RiskProfile, level: str, sort: str, descending: bool) -> list[dict[str, Any]]:
    return sorted_rows([row for row in profile.rollup if row["level"] == level], sort, descending)


def _indicator_rows(profile: RiskProfile) -> list[dict[str, Any]]:
    return [
        spec
        | {
            "label": indicator_label(spec["column"]),
            "computed": spec["column"] in COMPUTED,
            "share": spec["column"].endswith("_share"),
        }
        for spec in profile.indicators
    ]


def _values_table(profile: RiskProfile) -> tuple[list[str], list[list[str]]]:
    """The finest level's indicator values, as read, for checking the figures."""
    columns = [spec["column"] for spec in profile.indicators]
    by_area = {row["area"]: row for row in profile.values}
    order = [row["area"] for row in profile.scores] or list(by_area)
    rows = [
        [by_area[name]["area"], *(_display(c, by_area[name].get(c)) for c in columns)]
        for name in order
        if name in by_area
    ]
    return [indicator_label(c) for c in columns], rows


@coalition_view()
def risk_profile(request: CoalitionRequest, pk: int) -> HttpResponse:
    profile = get_profile_for(request.membership, pk)
    levels = _levels(profile)
    level = request.GET.get("level") or profile.area_level
    if levels and level not in dict(levels):
        level = levels[0][0]
    sort = request.GET.get("sort", "rank")
    descending = request.GET.get("dir") == "desc"
    ranking = _ranking(profile, level, sort, descending)
    columns = [c for c in RANKING_COLUMNS if any(r.get(c) not in (None, "") for r in ranking)]
    value_headers, value_rows = _values_table(profile)
    context = {
        "profile": profile,
        "levels": levels,
        "level": level,
        "sort": sort,
        "descending": descending,
        "columns": [(c, RANKING_COLUMNS[c]) for c in columns],
        "ranking": [
            {"cells": [_display(c, row.get(c)) for c in columns], "risk": row.get("risk")}
            for row in ranking
        ],
        "indicators": _indicator_rows(profile),
        "dimensions": DIMENSION_LABELS,
        "value_headers": value_headers,
        "value_rows": value_rows,
        "downloads": DOWNLOADS,
    }
    template = "places/_risk_status.html" if request.htmx else "places/risk_profile.html"
    return render(request, template, context)


def _posted_specs(request: CoalitionRequest, profile: RiskProfile) -> list[dict[str, Any]]:
    specs = []
    for spec in profile.indicators:
        column = spec["column"]
        if f"weight-{column}" not in request.POST:
            continue
        specs.append(
            {
                "column": column,
                "dimension": request.POST.get(f"dimension-{column}", ""),
                "higher_is_worse": request.POST.get(f"direction-{column}") != "better",
                "weight": request.POST.get(f"weight-{column}", ""),
                "minimum": request.POST.get(f"minimum-{column}", ""),
                "maximum": request.POST.get(f"maximum-{column}", ""),
            }
        )
    return specs


@require_POST
@coalition_view(Can.EDIT_REGISTRY)
def risk_indicators(request: CoalitionRequest, pk: int) -> HttpResponse:
    profile = get_profile_for(request.membership, pk)
    try:
        risk_actions.set_indicators(request.user, profile, _posted_specs(request, profile))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Indicators saved; the ranking is up to date."))
    return redirect("places:risk_profile", slug=request.coalition.slug, pk=profile.pk)


@require_POST
@coalition_view(Can.EDIT_REGISTRY)
def risk_refresh(request: CoalitionRequest, pk: int) -> HttpResponse:
    profile = get_profile_for(request.membership, pk)
    try:
        risk_actions.refresh_risk_profile(request.user, profile)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("places:risk_profile", slug=request.coalition.slug, pk=profile.pk)


@require_POST
@coalition_view(Can.EDIT_REGISTRY)
def risk_delete(request: CoalitionRequest, pk: int) -> HttpResponse:
    profile = get_profile_for(request.membership, pk)
    risk_actions.delete_risk_profile(request.user, profile)
    messages.success(request, _("Risk profile %(name)s deleted.") % {"name": profile.name})
    return redirect("places:risk_profiles", slug=request.coalition.slug)


@coalition_view()
def risk_download(request: CoalitionRequest, pk: int, fmt: str) -> FileResponse:
    import pandas as pd

    from commonground.analysis.export import with_area_geometry
    from commonground.places.runs import areas_frame

    profile = get_profile_for(request.membership, pk)
    level = request.GET.get("level") or profile.area_level
    if fmt not in DOWNLOADS or level not in dict(_levels(profile)):
        raise Http404
    table = pd.DataFrame([row for row in profile.rollup if row["level"] == level])
    if level == profile.area_level and profile.scores:
        # The finest level carries every indicator's value and score too.
        table = pd.DataFrame(profile.scores).drop(
            columns=[c for c in KEY_COLUMNS if c not in ("area", "area_code")], errors="ignore"
        )
        table.insert(0, "level", level)
    if fmt in ("geojson", "gpkg"):
        table = with_area_geometry(table, areas_frame(profile.coalition_id, level), "name")
    admin_level = {"city": 2, "subcity": 3}.get(level, 4)
    return table_download(table, fmt, f"risk-{profile.pk}-{level}", admin_level)


@coalition_view()
def area_indicators(request: CoalitionRequest) -> HttpResponse:
    form = AreaIndicatorsForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request.membership, Can.EDIT_REGISTRY)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = read_upload(upload, settings.MAX_UPLOAD_SIZE)
                count = risk_actions.import_area_indicators(
                    request.user,
                    request.coalition,
                    data,
                    upload.name or "",
                    level=form.cleaned_data["level"],
                    max_bytes=settings.MAX_UPLOAD_SIZE,
                )
            except TableImportError as error:
                for problem in error.errors[:20]:
                    form.add_error("file", str(problem))
            else:
                messages.success(
                    request, _("Indicators read for %(count)s areas.") % {"count": count}
                )
                return redirect("places:area_indicators", slug=request.coalition.slug)
    level = request.GET.get("level", AreaLevel.COMMUNITY)
    if level not in AreaLevel.values:
        level = AreaLevel.COMMUNITY
    areas = list(areas_for(request.membership).filter(level=level).order_by("name"))
    names = sorted({key for area in areas for key in area.indicators})
    rows = [
        [area.name, area.pcode, *(_display(n, area.indicators.get(n)) for n in names)]
        for area in areas
    ]
    context = {
        "form": form,
        "level": level,
        "levels": AreaLevel.choices,
        "names": names,
        "rows": rows,
    }
    return render(request, "places/area_indicators.html", context)
