"""Relationships in and out: CSV/XLSX import (all rows or none), CSV, GraphML and GEXF export.

Import columns: ``source``, ``target`` (an organisation on the coalition's list, by name or
acronym), ``type`` (a code such as ``funds`` or its label, "is a member of"), ``strength``
(1–5, default 3), ``notes`` and optionally ``direction`` (``directed`` / ``one way`` or
``mutual`` / ``both ways``; default as the type usually is). A row that repeats an earlier row
is an error; a row that matches a relationship already recorded updates its strength, notes
and direction.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.analysis.network import Tie, export_graph, write_gexf, write_graphml
from commonground.coalitions.audit import record
from commonground.coalitions.models import Coalition
from commonground.lib.tabular import RowError, Table, TableImportError, csv_lines, read_table
from commonground.lib.text import fold, name_key
from commonground.relationships.access import listed_organisations
from commonground.relationships.models import Relationship, RelationshipType, directed_by_default
from commonground.relationships.network import network_for, node_info

HEADERS = ["source", "target", "type", "strength", "notes", "direction"]
ALIASES = {
    "source": ("from", "source organisation", "organisation", "from organisation"),
    "target": ("to", "target organisation", "to organisation"),
    "type": ("relationship", "relationship type", "kind"),
    "strength": ("weight", "tie strength"),
    "notes": ("note", "comment", "comments"),
    "direction": ("directed",),
}
_BY_HEADER = {fold(name): key for key in HEADERS for name in (key, *ALIASES.get(key, ()))}
_TYPES = {fold(code): code for code in RelationshipType.values}
_TYPES.update({fold(str(label)): code for code, label in RelationshipType.choices})
_TYPES.update(
    {
        "partner": "partners_with",
        "partners": "partners_with",
        "partner with": "partners_with",
        "fund": "funds",
        "funder": "funds",
        "shares information": "shares_information",
        "information": "shares_information",
        "member of": "member_of",
        "member": "member_of",
        "reports": "reports_to",
    }
)
_DIRECTIONS = {
    "directed": True,
    "one way": True,
    "yes": True,
    "true": True,
    "1": True,
    "mutual": False,
    "both ways": False,
    "undirected": False,
    "no": False,
    "false": False,
    "0": False,
}
EXPORT_FORMATS = {"csv": "CSV", "graphml": "GraphML", "gexf": "GEXF (Gephi)"}


@dataclass
class ParsedRow:
    row: int
    source: int
    target: int
    type: str
    strength: int
    notes: str
    directed: bool


class OrganisationIndex:
    """The coalition's organisations by name and by acronym, for matching cells."""

    def __init__(self, coalition: Coalition) -> None:
        self.by_name: dict[str, list[tuple[int, str]]] = {}
        self.by_acronym: dict[str, list[tuple[int, str]]] = {}
        for pk, name, acronym, key in listed_organisations(coalition).values_list(
            "id", "name", "acronym", "name_key"
        ):
            self.by_name.setdefault(key, []).append((pk, name))
            if acronym:
                self.by_acronym.setdefault(fold(acronym).strip(), []).append((pk, name))

    def find(self, value: str) -> tuple[int | None, str | None]:
        """(id, None) or (None, what is wrong)."""
        found = self.by_name.get(name_key(value)) or self.by_acronym.get(fold(value).strip())
        if not found:
            return None, _(
                "no organisation on this coalition's list is named or abbreviated '%(value)s'"
            ) % {"value": value}
        if len(found) > 1:
            names = "; ".join(name for _pk, name in found)
            return None, _("'%(value)s' could be any of: %(names)s; use the full name") % {
                "value": value,
                "names": names,
            }
        return found[0][0], None


def parse_rows(table: Table, index: OrganisationIndex) -> list[ParsedRow]:
    positions: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        key = _BY_HEADER.get(fold(header.strip()))
        if key and key not in positions:
            positions[key] = i
    missing = [key for key in ("source", "target", "type") if key not in positions]
    if missing:
        raise TableImportError(
            [
                RowError(1, key, _("missing column: add a '%(key)s' column") % {"key": key})
                for key in missing
            ]
        )
    label = {key: table.headers[i] for key, i in positions.items()}
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    seen: dict[tuple[int, int, str], tuple[int, bool]] = {}
    for number, cells in table.rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            i = positions.get(key)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        ends: dict[str, int | None] = {}
        for key in ("source", "target"):
            value = cell(key)
            if not value:
                errors.append(RowError(number, label[key], _("the organisation is empty")))
                ends[key] = None
                continue
            ends[key], problem = index.find(value)
            if problem:
                errors.append(RowError(number, label[key], problem))
        kind = _TYPES.get(fold(cell("type")).strip())
        if kind is None:
            errors.append(
                RowError(
                    number,
                    label["type"],
                    _("'%(value)s' is not one of: %(allowed)s")
                    % {
                        "value": cell("type"),
                        "allowed": ", ".join(str(lbl) for _c, lbl in RelationshipType.choices),
                    },
                )
            )
        strength = 3
        if cell("strength"):
            try:
                strength = int(float(cell("strength")))
                if strength != float(cell("strength")) or not 1 <= strength <= 5:
                    raise ValueError
            except ValueError:
                errors.append(
                    RowError(
                        number,
                        label["strength"],
                        _("'%(value)s' is not a whole number from 1 to 5")
                        % {"value": cell("strength")},
                    )
                )
        directed: bool | None = None
        if cell("direction"):
            directed = _DIRECTIONS.get(fold(cell("direction")).strip())
            if directed is None:
                errors.append(
                    RowError(
                        number,
                        label["direction"],
                        _("'%(value)s' is neither 'one way' nor 'both ways'")
                        % {"value": cell("direction")},
                    )
                )
        source, target = ends.get("source"), ends.get("target")
        if source is not None and source == target:
            errors.append(
                RowError(number, label["target"], _("an organisation cannot relate to itself"))
            )
        elif source is not None and target is not None and kind is not None:
            if directed is None:
                directed = directed_by_default(kind)
            earlier = seen.get((source, target, kind))
            backwards = seen.get((target, source, kind))
            if earlier is None and backwards is not None and not (directed and backwards[1]):
                earlier = backwards  # "A partners with B" then "B partners with A"
            if earlier is not None:
                errors.append(
                    RowError(
                        number,
                        None,
                        _("the same relationship is already on row %(row)s") % {"row": earlier[0]},
                    )
                )
            else:
                seen[(source, target, kind)] = (number, directed)
                parsed.append(
                    ParsedRow(number, source, target, kind, strength, cell("notes"), directed)
                )
        if len(errors) >= 100:
            break
    if errors:
        raise TableImportError(errors)
    return parsed


@dataclass
class ImportResult:
    rows: int
    created: int
    updated: int

    def summary(self) -> str:
        return _(
            "Rows read: %(rows)s · relationships added: %(created)s · already recorded and "
            "updated: %(updated)s"
        ) % vars(self)


def import_relationships(
    actor: User | None, coalition: Coalition, data: bytes, filename: str, *, dry_run: bool = False
) -> ImportResult:
    """Check every row, then write them all in one transaction, or write nothing."""
    table = read_table(data, filename, settings.MAX_UPLOAD_SIZE)
    parsed = parse_rows(table, OrganisationIndex(coalition))
    existing = {
        (r.source_id, r.target_id, r.type): r
        for r in Relationship.objects.filter(coalition=coalition)
    }
    now = timezone.now()
    new: list[Relationship] = []
    changed: list[Relationship] = []
    for row in parsed:
        directed = row.directed
        found = existing.get((row.source, row.target, row.type))
        if found is None:
            backwards = existing.get((row.target, row.source, row.type))
            if backwards is not None and not (directed and backwards.directed):
                found = backwards
        if found is not None:
            found.strength, found.notes, found.directed = row.strength, row.notes, directed
            found.updated_at = now
            changed.append(found)
            continue
        new.append(
            Relationship(
                coalition=coalition,
                source_id=row.source,
                target_id=row.target,
                type=row.type,
                directed=directed,
                strength=row.strength,
                notes=row.notes,
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
        )
    result = ImportResult(len(parsed), len(new), len(changed))
    if dry_run:
        return result
    with transaction.atomic():
        Relationship.objects.bulk_create(new, batch_size=1000)
        Relationship.objects.bulk_update(
            changed, ["strength", "notes", "directed", "updated_at"], batch_size=1000
        )
        record(
            actor,
            coalition,
            "relationship.import",
            coalition,
            after={"file": filename, **vars(result)},
        )
    return result


def export_rows(relationships: QuerySet[Relationship]) -> Iterator[list[Any]]:
    """Rows the import reads back: organisations by full name."""
    yield HEADERS
    rows = relationships.order_by("id").values_list(
        "source__name", "target__name", "type", "strength", "notes", "directed"
    )
    for source, target, kind, strength, notes, directed in rows.iterator(chunk_size=2000):
        yield [source, target, kind, strength, notes, "one way" if directed else "both ways"]


def graph_file(coalition: Coalition, fmt: str) -> Any:
    """The whole network, nodes with their metrics, as GraphML or GEXF in a temporary file."""
    network = network_for(coalition)
    info = node_info(coalition.pk, network.metrics.nodes.keys())
    nodes = {}
    for node, m in network.metrics.nodes.items():
        about = info.get(node)
        nodes[node] = {
            "label": about.name if about else str(node),
            "acronym": about.acronym if about else "",
            "org_type": about.type if about else "",
            "stage": about.stage if about else None,
            "community": m.community,
            "degree": m.degree,
            "degree_centrality": m.degree_centrality,
            "betweenness": m.betweenness,
            "articulation_point": m.articulation,
        }
    ties = [
        Tie(source, target, kind, strength, directed, key=pk)
        for pk, source, target, kind, strength, directed in Relationship.objects.filter(
            coalition=coalition
        ).values_list("id", "source_id", "target_id", "type", "strength", "directed")
    ]
    labels = {code: str(label) for code, label in RelationshipType.choices}
    graph = export_graph(nodes, ties, labels)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
    (write_graphml if fmt == "graphml" else write_gexf)(graph, handle)
    handle.seek(0)
    return handle


def export_response(
    coalition: Coalition, relationships: QuerySet[Relationship], fmt: str
) -> StreamingHttpResponse | FileResponse:
    stamp = timezone.now().strftime("%Y%m%d")
    name = f"relationships-{coalition.slug}-{stamp}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(export_rows(relationships)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt in {"graphml", "gexf"}:
        return FileResponse(
            graph_file(coalition, fmt),
            as_attachment=True,
            filename=f"network-{coalition.slug}-{stamp}.{fmt}",
            content_type="application/xml",
        )
    raise Http404("Unknown export format")
