from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commonground.coalitions.commands import coalition_named, user_by_email
from commonground.lib.tabular import TableImportError
from commonground.marketplace.exchange import FIELDS, guess_mapping, read_sheet
from commonground.marketplace.imports import import_needs
from commonground.marketplace.models import NeedStatus


class Dry(Exception):
    """Raised to roll a dry run back."""


class Command(BaseCommand):
    help = (
        "Import needs from CSV or XLSX (HXL hashtags, or KoboToolbox/ODK exports with group "
        "paths, split GPS columns and repeat groups). All rows or none."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--coalition", required=True, help="the coalition's short name")
        parser.add_argument("--by", default="", help="email of the user recorded as poster")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help=f"map a column to a field ({', '.join(FIELDS)}); repeatable; FIELD empty "
            "ignores the column",
        )
        parser.add_argument("--status", default=NeedStatus.OPEN, choices=["open", "draft"])
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        coalition = coalition_named(options["coalition"])
        actor = user_by_email(options["by"], required=bool(options["by"]))
        try:
            sheet = read_sheet(path.read_bytes(), path.name, settings.MAX_UPLOAD_SIZE)
            mapping = guess_mapping(sheet)
            for pair in options["map"]:
                column, _sep, field = pair.partition("=")
                if column not in sheet.headers:
                    raise CommandError(f"--map {pair}: the file has no column {column!r}")
                mapping.pop(column, None)
                if field:
                    mapping = {c: f for c, f in mapping.items() if f != field}
                    mapping[column] = field
            shown = ", ".join(f"{c} → {f}" for c, f in mapping.items())
            self.stdout.write(f"Columns: {shown or 'none recognised'}")
            with transaction.atomic():
                needs = import_needs(actor, coalition, sheet, mapping, status=options["status"])
                if options["dry_run"]:
                    raise Dry
        except Dry:
            self.stdout.write(self.style.SUCCESS(f"Dry run, nothing written: {len(needs)} needs"))
            return
        except TableImportError as error:
            lines = "\n".join(f"  {e}" for e in error.errors[:50])
            raise CommandError(f"{path.name}: nothing was imported.\n{lines}") from None
        self.stdout.write(self.style.SUCCESS(f"{len(needs)} needs imported into {coalition.slug}"))
