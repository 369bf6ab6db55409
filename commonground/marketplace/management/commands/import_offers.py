from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commonground.coalitions.commands import coalition_named, user_by_email
from commonground.lib.tabular import TableImportError
from commonground.marketplace.exchange import read_sheet
from commonground.marketplace.offer_exchange import import_offers


class Command(BaseCommand):
    help = (
        "Import offers from CSV or XLSX (the offers export's columns, or its HXL hashtags). "
        "All rows or none."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--coalition", required=True, help="the coalition's short name")
        parser.add_argument("--by", default="", help="email of the user recorded as poster")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        coalition = coalition_named(options["coalition"])
        actor = user_by_email(options["by"], required=bool(options["by"]))
        try:
            sheet = read_sheet(path.read_bytes(), path.name, settings.MAX_UPLOAD_SIZE)
            offers = import_offers(actor, coalition, sheet)
        except TableImportError as error:
            lines = "\n".join(f"  {e}" for e in error.errors[:50])
            raise CommandError(f"{path.name}: nothing was imported.\n{lines}") from None
        self.stdout.write(
            self.style.SUCCESS(f"{len(offers)} offers imported into {coalition.slug}")
        )
