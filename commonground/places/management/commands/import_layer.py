from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commonground.analysis import LayerError
from commonground.coalitions.audit import record
from commonground.coalitions.commands import coalition_named, user_by_email
from commonground.places.actions import store_layer_features
from commonground.places.models import Layer, LayerKind, Visibility


class Command(BaseCommand):
    help = "Import a spatial layer into a coalition (runs here, with progress, not in the worker)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--coalition", required=True, help="the coalition's short name")
        parser.add_argument("--kind", required=True, choices=LayerKind.values)
        parser.add_argument("--name", default="", help="default: the file's name")
        parser.add_argument("--class-field", default="", help="hazard zones: the class field")
        parser.add_argument("--source", default="")
        parser.add_argument("--licence", default="")
        parser.add_argument("--public", action="store_true", help="visible to everyone")
        parser.add_argument("--by", default="", help="email of the user recorded as importer")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        coalition = coalition_named(options["coalition"])
        actor = user_by_email(options["by"])
        layer = Layer(
            coalition=coalition,
            name=options["name"] or path.stem,
            kind=options["kind"],
            class_field=options["class_field"],
            source=options["source"],
            licence=options["licence"],
            visibility=Visibility.PUBLIC if options["public"] else Visibility.MEMBERS,
            original_filename=path.name,
            created_by=actor,
        )
        try:
            with transaction.atomic():
                layer.full_clean(exclude=["coalition", "created_by"])
                layer.save()
                store_layer_features(
                    layer, path, progress=lambda p, m: self.stderr.write(f"{p:3d}% {m}")
                )
                record(
                    actor,
                    coalition,
                    "layer.create",
                    layer,
                    after={"name": layer.name, "kind": layer.kind, "features": layer.feature_count},
                )
        except (LayerError, ValidationError) as error:
            if layer.pk:  # the row was rolled back; leave no file behind either
                layer.data_path.unlink(missing_ok=True)
            raise CommandError(f"{path.name}: nothing was imported. {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Layer {layer.name} (id {layer.pk}): {layer.feature_count} features"
            )
        )
