"""``commonground import-osm FILE.osm.pbf --coalition SLUG``: OpenStreetMap into layers.

One layer per kind (buildings, roads, vulnerable elements, resources), classified as
``commonground.analysis.osm`` documents, each stored exactly as ``import-layer`` stores a file:
through ``store_layer_features`` (repair, Hilbert order, bounding box). All the layers or none.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commonground.analysis import LayerError
from commonground.analysis.osm import KINDS, read_osm
from commonground.coalitions.audit import record
from commonground.coalitions.commands import coalition_named, user_by_email
from commonground.places.actions import store_layer_features
from commonground.places.models import Layer, LayerKind, Visibility

SOURCE = "OpenStreetMap"
LICENCE = "ODbL"


class Command(BaseCommand):
    help = (
        "Import an OpenStreetMap extract (.osm.pbf) into a coalition as layers of buildings, "
        "roads, vulnerable elements and resources (the mapping: commonground/analysis/osm.py)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--coalition", required=True, help="the coalition's short name")
        parser.add_argument(
            "--kinds",
            default=",".join(KINDS),
            help=f"comma-separated, from {','.join(KINDS)} (default: all)",
        )
        parser.add_argument(
            "--prefix",
            default=None,
            help="put before each layer's name, e.g. \"Helsinki \" (default: the file's name)",
        )
        parser.add_argument("--public", action="store_true", help="visible to everyone")
        parser.add_argument("--by", default="", help="email of the user recorded as importer")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        kinds = [k.strip() for k in options["kinds"].split(",") if k.strip()]
        unknown = [k for k in kinds if k not in KINDS]
        if unknown or not kinds:
            raise CommandError(
                f"Unknown kind {', '.join(unknown) or '(none)'}: choose from {', '.join(KINDS)}."
            )
        coalition = coalition_named(options["coalition"])
        actor = user_by_email(options["by"], required=True)
        prefix = options["prefix"]
        if prefix is None:
            prefix = re.sub(r"(\.osm)?\.pbf$", "", path.name, flags=re.IGNORECASE) + " "

        self.stderr.write(f"Reading {path.name}")
        try:
            frames = read_osm(path, kinds, max_bytes=settings.MAX_LAYER_UPLOAD_SIZE)
        except LayerError as error:
            raise CommandError(f"{path.name}: nothing was imported. {error}") from None
        for kind, frame in frames.items():
            if not len(frame):
                self.stderr.write(f"{path.name} has no {LayerKind(kind).label.lower()}: skipped")
        frames = {kind: frame for kind, frame in frames.items() if len(frame)}
        if not frames:
            raise CommandError(
                f"{path.name}: nothing was imported. The extract has none of: {', '.join(kinds)}."
            )

        layers: list[Layer] = []
        try:
            with tempfile.TemporaryDirectory() as folder, transaction.atomic():
                for kind, frame in frames.items():
                    layer = Layer(
                        coalition=coalition,
                        name=f"{prefix}{LayerKind(kind).label}"[:200],
                        kind=kind,
                        source=SOURCE,
                        licence=LICENCE,
                        visibility=Visibility.PUBLIC if options["public"] else Visibility.MEMBERS,
                        original_filename=path.name,
                        created_by=actor,
                    )
                    layer.full_clean(exclude=["coalition", "created_by"])
                    layer.save()
                    layers.append(layer)
                    # Through a file, so an OSM layer is stored exactly as an uploaded one.
                    staged = Path(folder) / f"{kind}.parquet"
                    frame.to_parquet(staged, index=False)
                    store_layer_features(
                        layer,
                        staged,
                        progress=lambda p, m, k=kind: self.stderr.write(f"{k}: {p:3d}% {m}"),
                    )
                    record(
                        actor,
                        coalition,
                        "layer.create",
                        layer,
                        after={
                            "name": layer.name,
                            "kind": layer.kind,
                            "features": layer.feature_count,
                            "source": SOURCE,
                        },
                    )
        except BaseException as error:
            for layer in layers:  # the rows were rolled back; leave no file behind either
                layer.data_path.unlink(missing_ok=True)
            if isinstance(error, LayerError | ValidationError):
                raise CommandError(f"{path.name}: nothing was imported. {error}") from None
            raise
        for layer in layers:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Layer {layer.name} (id {layer.pk}, {layer.kind}): "
                    f"{layer.feature_count} features"
                )
            )
