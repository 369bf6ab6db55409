from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commonground.coalitions.commands import coalition_named, user_by_email
from commonground.lib.tabular import TableImportError, size_message
from commonground.relationships.exchange import import_relationships


class Command(BaseCommand):
    help = (
        "Import relationships between a coalition's organisations from CSV or XLSX (source, "
        "target, type, strength, notes, direction). All rows or none."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--coalition", required=True, help="the coalition's short name")
        parser.add_argument("--by", default="", help="email of the user recorded as importer")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        size = path.stat().st_size
        if size > settings.MAX_UPLOAD_SIZE:
            raise CommandError(f"{path.name}: {size_message(size, settings.MAX_UPLOAD_SIZE)}")
        coalition = coalition_named(options["coalition"])
        actor = user_by_email(options["by"], required=bool(options["by"]))
        try:
            result = import_relationships(
                actor, coalition, path.read_bytes(), path.name, dry_run=options["dry_run"]
            )
        except TableImportError as error:
            lines = "\n".join(f"  {e}" for e in error.errors)
            raise CommandError(f"{path.name}: nothing was imported.\n{lines}") from None
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(prefix + result.summary()))
