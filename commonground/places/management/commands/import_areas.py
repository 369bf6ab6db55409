from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from commonground.coalitions.commands import coalition_named, user_by_email
from commonground.places.actions import import_areas
from commonground.places.models import AreaLevel


class Command(BaseCommand):
    help = "Import a level of areas (city, sub-city or community) into a coalition."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--coalition", required=True, help="the coalition's short name")
        parser.add_argument("--level", required=True, choices=AreaLevel.values)
        parser.add_argument(
            "--name-field",
            default="",
            help="default: a recognised COD-AB field; a pattern such as '{KEL_NAME} RW {RW}'",
        )
        parser.add_argument("--pcode-field", default="")
        parser.add_argument("--by", default="", help="email of the user recorded as importer")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        coalition = coalition_named(options["coalition"])
        actor = user_by_email(options["by"])
        try:
            areas = import_areas(
                actor,
                coalition,
                path,
                level=options["level"],
                name_field=options["name_field"],
                pcode_field=options["pcode_field"],
            )
        except ValidationError as error:
            raise CommandError(
                f"{path.name}: nothing was imported. {' '.join(error.messages)}"
            ) from None
        linked = sum(1 for a in areas if a.parent_id)
        self.stdout.write(
            self.style.SUCCESS(f"{len(areas)} areas imported ({linked} linked to a parent area)")
        )
