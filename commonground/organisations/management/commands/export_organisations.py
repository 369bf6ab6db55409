from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonground.coalitions.commands import coalition_named
from commonground.lib.tabular import csv_lines, write_xlsx
from commonground.organisations.export import export_rows
from commonground.organisations.models import Contact, Organisation


class Command(BaseCommand):
    help = "Export organisations (with the coalition's contacts) as CSV, XLSX or HXL-tagged CSV."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--coalition", required=True, help="the coalition's short name")
        parser.add_argument("--format", choices=["csv", "xlsx", "hxl"], default="csv")
        parser.add_argument("--output", "-o", default="-", help="file to write; - for stdout")
        parser.add_argument(
            "--all",
            action="store_true",
            help="the whole registry, not only the coalition's organisations",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        coalition = coalition_named(options["coalition"])
        organisations = Organisation.objects.all()
        if not options["all"]:
            organisations = organisations.filter(participations__coalition=coalition)
        contacts = Contact.objects.filter(coalition=coalition)
        fmt, output = options["format"], options["output"]
        rows = export_rows(organisations, contacts, hxl=fmt == "hxl")
        if fmt == "xlsx":
            if output == "-":
                raise CommandError("XLSX needs --output FILE")
            write_xlsx(Path(output), rows, "Organisations")
        else:
            with (
                open(output, "w", newline="", encoding="utf-8")
                if output != "-"
                else contextlib.nullcontext(sys.stdout)
            ) as handle:
                for line in csv_lines(rows):
                    handle.write(line)
        if output != "-":
            self.stderr.write(f"Wrote {output}")
