"""Writes to areas and layers: validated, audited, all or nothing.

The spatial work is done by the Django-free ``commonground.analysis`` package; this module
only decides what is stored where.
"""

from __future__ import annotations

import os
import string
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.analysis import LayerError
from commonground.analysis.io import (
    read_layer,
    recognise_area_fields,
    repair_geometries,
)
from commonground.analysis.store import store_layer
from commonground.coalitions.audit import record
from commonground.coalitions.models import Coalition
from commonground.jobs.queue import enqueue
from commonground.places.models import AnalysisRun, Area, AreaLevel, Layer, LayerStatus

LAYER_FIELDS = ["name", "kind", "class_field", "source", "licence", "visibility"]
PARENT_LEVEL: dict[str, str] = {
    AreaLevel.SUBCITY: AreaLevel.CITY,
    AreaLevel.COMMUNITY: AreaLevel.SUBCITY,
}


def _pick_fields(columns: list[str], name_field: str, pcode_field: str) -> tuple[str, str]:
    """The name and P-code columns: as given, or recognised from COD-AB conventions.

    The name may also be a pattern of fields, e.g. ``{KEL_NAME} RW {RW}``, for files whose
    units are only unique in combination.
    """
    if name_field:
        wanted = _pattern_fields(name_field) if "{" in name_field else [name_field]
        missing = [field for field in wanted if field not in columns]
        if missing:
            raise ValidationError(
                {
                    "name_field": _("The file has no field %(field)s. Its fields: %(fields)s")
                    % {"field": missing[0], "fields": ", ".join(columns)}
                }
            )
        if pcode_field and pcode_field not in columns:
            raise ValidationError(
                {
                    "pcode_field": _("The file has no field %(field)s. Its fields: %(fields)s")
                    % {"field": pcode_field, "fields": ", ".join(columns)}
                }
            )
        return name_field, pcode_field
    recognised = {k: v for k, v in recognise_area_fields(columns).items() if v.name}
    if not recognised:
        raise ValidationError(
            {
                "name_field": _("Which field holds the area's name? The file's fields: %(fields)s")
                % {"fields": ", ".join(columns)}
            }
        )
    # The most detailed administrative level the file carries.
    fields = recognised[max(recognised)]
    return str(fields.name), fields.pcode or ""


def _pattern_fields(pattern: str) -> list[str]:
    return [field for _text, field, _spec, _conv in string.Formatter().parse(pattern) if field]


def _names(frame: Any, spec: str) -> list[str]:
    if "{" not in spec:
        return [str(v).strip() if v is not None else "" for v in frame[spec]]
    fields = _pattern_fields(spec)
    return [
        spec.format(
            **{f: ("" if v is None else v) for f, v in zip(fields, row, strict=True)}
        ).strip()
        for row in frame[fields].itertuples(index=False, name=None)
    ]


@transaction.atomic
def import_areas(
    actor: User | None,
    coalition: Coalition,
    path: Path,
    *,
    level: str,
    name_field: str = "",
    pcode_field: str = "",
    max_bytes: int | None = None,
) -> list[Area]:
    """Add a level of areas from a vector file, linking each to the area above it."""
    import shapely

    if level not in AreaLevel.values:
        raise ValidationError({"level": _("Unknown level.")})
    try:
        frame = read_layer(path, max_bytes=max_bytes)
        frame, _report = repair_geometries(frame)
    except LayerError as error:
        raise ValidationError(str(error)) from None
    columns = [c for c in frame.columns if c != frame.geometry.name]
    name_col, pcode_col = _pick_fields(columns, name_field, pcode_field)
    existing = set(
        Area.objects.filter(coalition=coalition, level=level).values_list("name", flat=True)
    )
    parents = list(
        Area.objects.filter(
            coalition=coalition, level=PARENT_LEVEL.get(level, "-"), geometry__isnull=False
        )
    )
    parent_shapes = [shapely.from_wkb(bytes(p.geometry or b"")) for p in parents]
    areas: list[Area] = []
    seen: set[str] = set()
    for position, (name, pcode, shape) in enumerate(
        zip(
            _names(frame, name_col),
            frame[pcode_col] if pcode_col else [""] * len(frame),
            frame.geometry,
            strict=True,
        ),
        start=1,
    ):
        if not name:
            raise ValidationError(
                _("Feature %(n)s has an empty %(field)s.") % {"n": position, "field": name_col}
            )
        if name in seen or name in existing:
            raise ValidationError(
                _("Feature %(n)s: an area named %(name)s already exists at this level.")
                % {"n": position, "name": name}
            )
        seen.add(name)
        point = shape.representative_point()
        parent = next(
            (p for p, s in zip(parents, parent_shapes, strict=True) if s.contains(point)), None
        )
        min_x, min_y, max_x, max_y = shape.bounds
        areas.append(
            Area(
                coalition=coalition,
                level=level,
                name=name[:200],
                pcode=str(pcode or "").strip()[:40],
                parent=parent,
                geometry=shapely.to_wkb(shape),
                min_x=min_x,
                min_y=min_y,
                max_x=max_x,
                max_y=max_y,
            )
        )
    Area.objects.bulk_create(areas)
    record(
        actor,
        coalition,
        "area.import",
        coalition,
        after={"file": path.name, "level": level, "areas": len(areas)},
    )
    return areas


@transaction.atomic
def start_layer_import(
    actor: User | None,
    coalition: Coalition,
    upload: Path,
    *,
    original_filename: str,
    **values: Any,
) -> Layer:
    """Register a layer and queue the import of its features (it may be a million)."""
    unknown = set(values) - set(LAYER_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    layer = Layer(
        coalition=coalition, created_by=actor, original_filename=original_filename, **values
    )
    layer.full_clean(exclude=["coalition", "created_by"])
    layer.save()
    record(actor, coalition, "layer.create", layer, after={k: values.get(k) for k in LAYER_FIELDS})
    from commonground.places.tasks import import_layer_file

    enqueue(import_layer_file, coalition=coalition, layer_id=layer.pk, path=str(upload))
    return layer


def store_layer_features(layer: Layer, path: Path, progress: Any = None) -> Layer:
    """Read, repair, check and write a layer's features as GeoParquet; fill its metadata.

    Runs in the worker (or the CLI). The file is written beside its final name and moved
    into place, so a failed import never leaves a half-written layer behind.
    """
    report = progress or (lambda _p, _m: None)
    report(5, _("Reading the file"))

    def check(fields: list[str], count: int) -> None:
        if layer.class_field and layer.class_field not in fields:
            raise LayerError(
                _("The file has no field %(field)s. Its fields: %(fields)s")
                % {"field": layer.class_field, "fields": ", ".join(fields)}
            )
        if not count:
            raise LayerError(_("No feature of this file has a usable geometry."))
        report(70, _("Saving %(count)s features") % {"count": count})

    target = layer.data_path
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    try:
        stored = store_layer(path, partial, max_bytes=settings.MAX_LAYER_UPLOAD_SIZE, check=check)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    layer.feature_count = stored.features
    layer.geometry_type = ",".join(stored.geometry_types)
    layer.fields = stored.fields
    layer.repairs = stored.repairs[:200]
    layer.min_x, layer.min_y, layer.max_x, layer.max_y = stored.bounds
    layer.status = LayerStatus.READY
    layer.error = ""
    layer.updated_at = timezone.now()
    layer.save()
    return layer


def fail_layer(layer: Layer, message: str) -> None:
    layer.status = LayerStatus.FAILED
    layer.error = message[:2000]
    layer.updated_at = timezone.now()
    layer.save(update_fields=["status", "error", "updated_at"])


@transaction.atomic
def delete_layer(actor: User, layer: Layer) -> None:
    record(
        actor,
        layer.coalition,
        "layer.delete",
        layer,
        before={"name": layer.name, "kind": layer.kind, "features": layer.feature_count},
    )
    path = layer.data_path
    layer.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


RUN_FIELDS = [
    "name",
    "hazard_layer",
    "hazard_classes",
    "exposure_layer",
    "exposure_field",
    "population_layer",
    "population_field",
    "area_level",
    "rule",
]


def check_ready_layers(inputs: Any, coalition: Coalition, fields: tuple[str, ...]) -> None:
    """Each layer the inputs name is this coalition's and ready to read."""
    for field in fields:
        layer = getattr(inputs, field)
        if layer is not None and layer.coalition_id != coalition.pk:
            raise ValidationError({field: _("Choose one of this coalition's layers.")})
        if layer is not None and layer.status != LayerStatus.READY:
            raise ValidationError({field: _("This layer is not ready.")})


@transaction.atomic
def start_exposure_run(actor: User | None, coalition: Coalition, **values: Any) -> AnalysisRun:
    """Save an analysis's inputs and queue it; the worker fills in the result."""
    unknown = set(values) - set(RUN_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    run = AnalysisRun(coalition=coalition, created_by=actor, **values)
    check_ready_layers(run, coalition, ("hazard_layer", "exposure_layer", "population_layer"))
    if not run.hazard_layer.class_field:
        raise ValidationError(
            {"hazard_layer": _("This layer has no class field: edit it or choose another.")}
        )
    if run.exposure_layer is None and run.population_layer is None:
        raise ValidationError(_("Choose an exposed layer, a population layer, or both."))
    if run.population_layer is not None and not run.population_field:
        raise ValidationError({"population_field": _("Which field holds the number of people?")})
    run.full_clean(exclude=["coalition", "created_by", "hazard_classes"])
    run.save()
    record(actor, coalition, "analysis.start", run, after={"name": run.name, "rule": run.rule})
    from commonground.places.tasks import run_exposure_analysis

    enqueue(run_exposure_analysis, coalition=coalition, run_id=run.pk)
    return run


def rerun(actor: User | None, run: AnalysisRun) -> AnalysisRun:
    """The same analysis again, on the layers as they are now; the old run stays for comparison."""
    values = {field: getattr(run, field) for field in RUN_FIELDS}
    return start_exposure_run(actor, run.coalition, **values)
