"""Writes for risk profiles and the areas' own indicators: validated, audited, all or nothing."""

from __future__ import annotations

import math
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record
from commonground.coalitions.models import Coalition
from commonground.jobs.queue import enqueue
from commonground.lib.tabular import RowError, Table, TableImportError, read_table
from commonground.places.actions import check_ready_layers
from commonground.places.models import (
    Area,
    AreaLevel,
    RiskProfile,
    RunStatus,
)
from commonground.places.profiles import DIMENSION_LABELS, KEY_COLUMNS, score

PROFILE_FIELDS = [
    "name",
    "area_level",
    "exposure_run",
    "population_layer",
    "population_field",
    "resources_layer",
    "resource_field",
    "resource_class",
    "distance_m",
]


def _check_inputs(profile: RiskProfile, coalition: Coalition) -> None:
    check_ready_layers(profile, coalition, ("population_layer", "resources_layer"))
    run = profile.exposure_run
    if run is not None and run.coalition_id != coalition.pk:
        raise ValidationError({"exposure_run": _("Choose one of this coalition's analyses.")})
    if run is not None and run.area_level != profile.area_level:
        raise ValidationError(
            {"exposure_run": _("This analysis is by other areas: choose one by the same areas.")}
        )
    if profile.population_layer is not None and not profile.population_field:
        raise ValidationError({"population_field": _("Which field holds the number of people?")})
    if profile.resource_class and not profile.resource_field:
        raise ValidationError({"resource_field": _("Which field holds the type of resource?")})
    layer = profile.population_layer
    if (
        layer is not None
        and layer.fields
        and profile.population_field.casefold() not in {f.casefold() for f in layer.fields}
    ):
        raise ValidationError(
            {
                "population_field": _("The layer has no field '%(field)s'; it has: %(fields)s")
                % {"field": profile.population_field, "fields": ", ".join(layer.fields)}
            }
        )


@transaction.atomic
def start_risk_profile(actor: User | None, coalition: Coalition, **values: Any) -> RiskProfile:
    """Save a profile's inputs and queue the gathering of its indicators."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    profile = RiskProfile(coalition=coalition, created_by=actor, **values)
    _check_inputs(profile, coalition)
    profile.full_clean(exclude=["coalition", "created_by", "indicators"])
    profile.save()
    record(actor, coalition, "risk.start", profile, after={"name": profile.name})
    _queue(profile)
    return profile


def _queue(profile: RiskProfile) -> None:
    from commonground.places.tasks import gather_risk_profile

    enqueue(gather_risk_profile, coalition=profile.coalition, profile_id=profile.pk)


@transaction.atomic
def refresh_risk_profile(actor: User | None, profile: RiskProfile) -> RiskProfile:
    """Read the indicators again (layers, analysis or uploads changed); weights are kept."""
    _check_inputs(profile, profile.coalition)
    profile.status, profile.error = RunStatus.QUEUED, ""
    profile.save(update_fields=["status", "error"])
    record(actor, profile.coalition, "risk.refresh", profile)
    _queue(profile)
    return profile


@transaction.atomic
def delete_risk_profile(actor: User | None, profile: RiskProfile) -> None:
    record(actor, profile.coalition, "risk.delete", profile, before={"name": profile.name})
    profile.delete()


def _number(value: Any, label: str, allow_none: bool = False) -> float | None:
    if value in (None, "") and allow_none:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("%(label)s must be a number.") % {"label": label}) from None
    if not math.isfinite(number):
        raise ValidationError(_("%(label)s must be a number.") % {"label": label})
    return number


@transaction.atomic
def set_indicators(
    actor: User | None, profile: RiskProfile, specs: list[dict[str, Any]]
) -> RiskProfile:
    """Change which dimension each indicator feeds, its direction, weight and goalposts.

    Every indicator of the profile keeps a setting; one left out of ``specs`` is unchanged.
    The scores are recomputed at once (they are cheap: one row per area).
    """
    known = {spec["column"]: dict(spec) for spec in profile.indicators}
    for spec in specs:
        column = str(spec.get("column", ""))
        if column not in known:
            raise ValidationError(
                {
                    "indicators": _("'%(column)s' is not an indicator of this profile.")
                    % {"column": column}
                }
            )
        dimension = spec.get("dimension", known[column]["dimension"]) or ""
        if dimension and dimension not in DIMENSION_LABELS:
            raise ValidationError(
                {"indicators": _("'%(value)s' is not a dimension.") % {"value": dimension}}
            )
        weight = _number(spec.get("weight", known[column]["weight"]), column)
        if weight is None or weight < 0:
            raise ValidationError({"indicators": _("Weights are 0 or more.")})
        low = _number(spec.get("minimum"), column, allow_none=True)
        high = _number(spec.get("maximum"), column, allow_none=True)
        if low is not None and high is not None and low >= high:
            raise ValidationError(
                {
                    "indicators": _("For %(column)s the lowest value must be below the highest.")
                    % {"column": column}
                }
            )
        known[column] |= {
            "dimension": dimension,
            "higher_is_worse": bool(spec.get("higher_is_worse", known[column]["higher_is_worse"])),
            "weight": weight,
            "minimum": low,
            "maximum": high,
        }
    before = {"indicators": profile.indicators}
    profile.indicators = [known[spec["column"]] for spec in profile.indicators]
    score(profile)
    profile.save(update_fields=["indicators", "scores", "rollup", "score_error"])
    record(
        actor,
        profile.coalition,
        "risk.indicators",
        profile,
        before=before,
        after={"indicators": profile.indicators},
    )
    return profile


# Column names that say "this column names the area" (COD-AB current and legacy, HXL).
_CODE_HEADERS = re.compile(r"^(p-?code|area_code|adm\d_pcode|#adm\d\+code)$", re.IGNORECASE)
_NAME_HEADERS = re.compile(r"^(area|name|adm\d_(name|en)|#adm\d\+name)$", re.IGNORECASE)


def _key_columns(table: Table) -> tuple[int, str, set[int]]:
    """(column, "code" or "name", every naming column): P-codes win when the file has them,
    as names may repeat; columns naming areas are never indicators."""
    found: dict[str, list[int]] = {"code": [], "name": []}
    for kind, pattern in (("code", _CODE_HEADERS), ("name", _NAME_HEADERS)):
        for labels in (table.headers, table.hashtags or []):
            found[kind] += [i for i, label in enumerate(labels) if pattern.match(label.strip())]
    naming = set(found["code"]) | set(found["name"])
    for kind in ("code", "name"):
        for index in found[kind]:
            if any(index < len(cells) and cells[index].strip() for _n, cells in table.rows):
                return index, kind, naming
    raise TableImportError(
        [RowError(None, None, _("no column names the areas: add a 'pcode' or an 'area' column"))]
    )


def _indicator_name(header: str) -> str:
    name = re.sub(r"[^\w]+", "_", header.strip().casefold()).strip("_")
    return name


@transaction.atomic
def import_area_indicators(
    actor: User | None,
    coalition: Coalition,
    data: bytes,
    filename: str,
    *,
    level: str,
    max_bytes: int,
) -> int:
    """Numbers per area (census, survey) from CSV or XLSX; all rows or none. Returns rows read.

    One column names the area (its P-code, or its name at ``level``); every other column is an
    indicator. An empty cell leaves that area's value as it was; a value replaces it.
    """
    if level not in AreaLevel.values:
        raise TableImportError([RowError(None, None, _("unknown level of areas"))])
    table = read_table(data, filename, max_bytes)
    key, kind, naming = _key_columns(table)
    columns = [
        (index, _indicator_name(header))
        for index, header in enumerate(table.headers)
        if index not in naming and _indicator_name(header)
    ]
    reserved = [name for _i, name in columns if name in KEY_COLUMNS]
    if reserved:
        raise TableImportError(
            [RowError(None, reserved[0], _("this name is kept for the areas themselves"))]
        )
    if not columns:
        raise TableImportError([RowError(None, None, _("there are no indicator columns"))])
    areas = {
        (area.pcode if kind == "code" else area.name).casefold(): area
        for area in Area.objects.filter(coalition=coalition, level=level).exclude(
            **{"pcode" if kind == "code" else "name": ""}
        )
    }
    errors: list[RowError] = []
    seen: dict[int, int] = {}
    updates: dict[int, dict[str, float]] = {}
    for number, cells in table.rows:
        cells = cells + [""] * (len(table.headers) - len(cells))
        label = table.headers[key]
        area = areas.get(cells[key].strip().casefold())
        if area is None:
            errors.append(
                RowError(
                    number, label, _("no area '%(value)s' at this level") % {"value": cells[key]}
                )
            )
            continue
        if area.pk in seen:
            errors.append(
                RowError(
                    number, label, _("this area is already on row %(row)s") % {"row": seen[area.pk]}
                )
            )
            continue
        seen[area.pk] = number
        values: dict[str, float] = {}
        for index, name in columns:
            text = cells[index].strip().replace(",", "") if index < len(cells) else ""
            if not text:
                continue
            try:
                value = float(text.rstrip("%"))
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                errors.append(
                    RowError(
                        number,
                        table.headers[index],
                        _("'%(value)s' is not a number") % {"value": cells[index]},
                    )
                )
                continue
            values[name] = value
        updates[area.pk] = values
    if errors:
        raise TableImportError(errors)
    changed = Area.objects.in_bulk(list(updates))
    for pk, values in updates.items():
        changed[pk].indicators = {**changed[pk].indicators, **values}
    Area.objects.bulk_update(changed.values(), ["indicators"])
    record(
        actor,
        coalition,
        "area.indicators",
        coalition,
        after={"rows": len(updates), "indicators": [name for _i, name in columns]},
    )
    return len(updates)
