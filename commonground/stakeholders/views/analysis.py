"""The analysis pages: power–interest grid, salience classes, diversity and its trend."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.organisations.vocabularies import labels
from commonground.stakeholders import scoring
from commonground.stakeholders.access import snapshots_for
from commonground.stakeholders.analysis import diversity_of, grid, salience_classes
from commonground.stakeholders.scoring import Gap, Quadrant, Salience

NAMES_PER_BOX = 60  # names listed per quadrant or class; the rest are counted
TREND_POINTS = 60

QUADRANTS: dict[Quadrant, tuple[Any, Any]] = {
    Quadrant.MANAGE_CLOSELY: (
        _("Manage closely"),
        _("High power, high interest: involve them in decisions and engage them fully."),
    ),
    Quadrant.KEEP_SATISFIED: (
        _("Keep satisfied"),
        _("High power, low interest: meet their needs, consult them, do not overload them."),
    ),
    Quadrant.KEEP_INFORMED: (
        _("Keep informed"),
        _("Low power, high interest: tell them what happens; they can help with details."),
    ),
    Quadrant.MONITOR: (
        _("Monitor"),
        _("Low power, low interest: watch for change, with minimum effort."),
    ),
}

SALIENCE: dict[Salience, tuple[Any, Any]] = {
    Salience.DEFINITIVE: (
        _("Definitive"),
        _("Power, legitimacy and urgency: their claims come first."),
    ),
    Salience.DOMINANT: (_("Dominant"), _("Power and legitimacy: they expect to be heard.")),
    Salience.DANGEROUS: (
        _("Dangerous"),
        _("Power and urgency without legitimacy: they may force their way; watch closely."),
    ),
    Salience.DEPENDENT: (
        _("Dependent"),
        _("Legitimacy and urgency without power: they depend on others to act for them."),
    ),
    Salience.DORMANT: (_("Dormant"), _("Power only: little contact now, but could act.")),
    Salience.DISCRETIONARY: (
        _("Discretionary"),
        _("Legitimacy only: no pressure to engage, a candidate for goodwill."),
    ),
    Salience.DEMANDING: (
        _("Demanding"),
        _("Urgency only: pressing claims with neither power nor legitimacy."),
    ),
    Salience.NON_STAKEHOLDER: (
        _("Non-stakeholder"),
        _("None of the three attributes above the middle of the scale."),
    ),
}

GAPS: dict[Gap, Any] = {
    Gap.GOVERNMENT: _("No government body or municipal office."),
    Gap.PRIVATE: _("No private sector."),
    Gap.ACADEMIA: _("No academia or schools."),
    Gap.NGO: _("No NGO."),
    Gap.COMMUNITY_GROUP: _("No community-based or grassroots group."),
    Gap.FAITH: _("No faith-based group."),
    Gap.COMMUNITY_LEVEL: _("No community-level voice."),
    Gap.LIVED_EXPERIENCE: _("No one flagged for lived experience or an under-represented group."),
}

# The grid is drawn on a 0–5 square; these are its size in SVG units and its margin.
GRID_SIZE, GRID_MARGIN = 300, 30


def _grid_bubbles(quadrants: dict[Quadrant, list[Any]]) -> list[dict[str, Any]]:
    """One circle per half-point cell, sized by how many stakeholders share it."""
    cells: Counter[tuple[float, float]] = Counter()
    names: dict[tuple[float, float], list[str]] = {}
    for placed in (p for rows in quadrants.values() for p in rows):
        cell = (round(placed.power * 2) / 2, round(placed.interest * 2) / 2)
        cells[cell] += 1
        if len(names.setdefault(cell, [])) < 8:
            names[cell].append(placed.stakeholder.name)
    scale = GRID_SIZE / 5
    return [
        {
            # Formatted here: SVG wants a point as the decimal mark in every language.
            "x": f"{GRID_MARGIN + interest * scale:.1f}",
            "y": f"{GRID_MARGIN + GRID_SIZE - power * scale:.1f}",
            "r": f"{min(6 + 4 * math.sqrt(count - 1), 22):.1f}",
            "count": count,
            "title": ", ".join(names[(power, interest)])
            + ("…" if count > len(names[(power, interest)]) else ""),
        }
        for (power, interest), count in sorted(cells.items())
    ]


@coalition_view()
def power_interest_grid(request: CoalitionRequest) -> HttpResponse:
    quadrants, unplaced = grid(request.coalition.pk)
    boxes = [
        {
            "key": str(key),
            "label": QUADRANTS[key][0],
            "advice": QUADRANTS[key][1],
            "rows": rows[:NAMES_PER_BOX],
            "count": len(rows),
            "more": max(0, len(rows) - NAMES_PER_BOX),
        }
        for key, rows in quadrants.items()
    ]
    half = GRID_SIZE // 2
    low, mid, end = GRID_MARGIN, GRID_MARGIN + half, GRID_MARGIN + GRID_SIZE
    corners = {  # where each quadrant's rectangle starts, and where its label sits
        Quadrant.KEEP_SATISFIED: (low, low, low + 14),
        Quadrant.MANAGE_CLOSELY: (mid, low, low + 14),
        Quadrant.MONITOR: (low, mid, end - 6),
        Quadrant.KEEP_INFORMED: (mid, mid, end - 6),
    }
    rects = [
        {"key": str(key), "x": x, "y": y, "label": QUADRANTS[key][0], "label_y": label_y}
        for key, (x, y, label_y) in corners.items()
    ]
    context = {
        "boxes": boxes,
        "rects": rects,
        "half": half,
        "low": low,
        "mid": mid,
        "end": end,
        "box": end + GRID_MARGIN,
        "unplaced": unplaced[:NAMES_PER_BOX],
        "unplaced_count": len(unplaced),
        "bubbles": _grid_bubbles(quadrants),
        "ticks": [
            {"value": n, "x": low + n * GRID_SIZE // 5, "y": end - n * GRID_SIZE // 5}
            for n in range(6)
        ],
    }
    return render(request, "stakeholders/grid.html", context)


@coalition_view()
def salience_view(request: CoalitionRequest) -> HttpResponse:
    classes, unscored, missing = salience_classes(request.coalition.pk)
    groups = [
        {
            "key": str(key),
            "label": SALIENCE[key][0],
            "advice": SALIENCE[key][1],
            "rows": rows[:NAMES_PER_BOX],
            "count": len(rows),
            "more": max(0, len(rows) - NAMES_PER_BOX),
        }
        for key, rows in classes.items()
    ]
    counts = {str(key): len(rows) for key, rows in classes.items()}
    context = {
        "groups": groups,
        "counts": counts,
        "unscored": unscored[:NAMES_PER_BOX],
        "unscored_count": len(unscored),
        "missing": missing,
        "threshold": scoring.HIGH_THRESHOLD,
    }
    return render(request, "stakeholders/salience.html", context)


def _shares(counts: dict[str, int], names: dict[str, str], total: int) -> list[dict[str, Any]]:
    """Rows with the share of all active stakeholders and a bar scaled to the largest."""
    largest = max(counts.values(), default=0)
    return [
        {
            "code": code,
            "label": names.get(code, code),
            "count": count,
            "percent": round(100 * count / total) if total else 0,
            "bar": round(70 * count / largest) if largest else 0,  # room for the percent
        }
        for code, count in counts.items()
    ]


@coalition_view()
def diversity_view(request: CoalitionRequest) -> HttpResponse:
    found = diversity_of(request.coalition.pk)
    total = found.total
    snapshots = list(snapshots_for(request.membership).order_by("-date")[:TREND_POINTS])[::-1]
    trend = [s.shannon for s in snapshots]
    top = max([math.log(10), *trend])  # ten equally common types is the scale's top
    context = {
        "found": found,
        "tables": [
            (_("By type"), _shares(found.by_type, labels("type"), total)),
            (_("By level"), _shares(found.by_level, labels("level"), total)),
            (_("By sector"), _shares(found.by_sector, labels("sector"), total)),
        ],
        "gaps": [GAPS[g] for g in found.gaps],
        "snapshots": snapshots[::-1][:12],
        "sparkline": scoring.sparkline_points(trend, width=240, height=40, top=top),
    }
    return render(request, "stakeholders/diversity.html", context)
