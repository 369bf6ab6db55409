from __future__ import annotations

import shutil
import sys
from typing import Any

from django.core.management.base import BaseCommand

from commonground.coalitions.commands import coalition_named
from commonground.lib.tabular import csv_lines
from commonground.relationships.exchange import export_rows, graph_file
from commonground.relationships.models import Relationship


class Command(BaseCommand):
    help = "Export a coalition's relationships as CSV, or its network as GraphML or GEXF."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--coalition", required=True, help="the coalition's short name")
        parser.add_argument("--format", choices=["csv", "graphml", "gexf"], default="csv")
        parser.add_argument("--output", default="-", help="a file (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        coalition = coalition_named(options["coalition"])
        fmt, output = options["format"], options["output"]
        if fmt == "csv":
            lines = csv_lines(export_rows(Relationship.objects.filter(coalition=coalition)))
            if output == "-":
                for line in lines:
                    self.stdout.write(line, ending="")
            else:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    handle.writelines(lines)
            return
        with graph_file(coalition, fmt) as source:
            if output == "-":
                shutil.copyfileobj(source, sys.stdout.buffer)
            else:
                with open(output, "wb") as handle:
                    shutil.copyfileobj(source, handle)
