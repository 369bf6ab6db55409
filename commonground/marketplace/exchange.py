"""Needs in and out: CSV, XLSX and HXL-tagged CSV, and KoboToolbox / ODK survey exports.

Reading
    A sheet's columns are mapped to need fields, by HXL hashtag when the file has a hashtag
    row, else by header: the last part of a Kobo/ODK group path counts (``group_need/title``
    is ``title``), and GPS questions split into ``_<name>_latitude`` / ``_<name>_longitude``
    columns (Kobo) or ``<name>-Latitude`` (ODK) are recognised. People can change the mapping
    before importing (the page's second step, ``--map`` on the command line).

Repeat groups
    Kobo's XLSX export puts each repeat group on its own sheet, linked to the main sheet by
    ``_parent_index`` → ``_index``. When a workbook has such a sheet, each of its rows is a
    need, and the columns of its parent row (the household's location, the community) fill in
    what the repeat row does not say.

Importing is all or nothing: every row is checked first, and a file with any bad row writes
nothing and lists each problem by row and column.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from commonground.lib.tabular import RowError, TableImportError, read_table, size_message
from commonground.lib.text import fold
from commonground.marketplace.models import Urgency
from commonground.marketplace.taxonomy import CATEGORY_LABELS, SUBCATEGORY_LABELS

# Need field → (HXL hashtags, header aliases). Aliases are folded (no case, no accents).
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "title": (
        ("#item+name", "#item"),
        ("title", "need", "need_title", "item_name", "titulo", "titre", "judul", "item"),
    ),
    "description": (("#description",), ("description", "descripcion", "details", "deskripsi")),
    "category": (("#sector",), ("category", "categoria", "categorie", "kategori", "sector")),
    "subcategory": (("#subsector",), ("subcategory", "subcategoria", "sous_categorie")),
    "quantity": (("#item+num", "#value"), ("quantity", "qty", "cantidad", "quantite", "jumlah")),
    "unit": (("#item+unit", "#unit"), ("unit", "unidad", "unite", "satuan")),
    "people": (
        ("#targeted", "#targeted+ind"),
        ("people", "beneficiaries", "personas", "personnes"),
    ),
    "households": (("#targeted+hh",), ("households", "hogares", "menages", "rumah_tangga")),
    "area": (
        ("#adm2+code", "#adm3+code", "#adm4+code", "#adm2+name", "#adm3+name", "#loc+name"),
        ("area", "pcode", "community", "comunidad", "communaute", "kelurahan", "area_name"),
    ),
    "latitude": (("#geo+lat",), ("latitude", "lat")),
    "longitude": (("#geo+lon",), ("longitude", "lon", "lng")),
    "urgency": (("#severity", "#priority"), ("urgency", "urgencia", "urgence", "priority")),
    "needed_by": (("#date+end", "#date+deadline"), ("needed_by", "deadline", "fecha_limite")),
}
EXPORT_TAGS = {
    "id": "#meta+id",
    "title": "#item+name",
    "description": "#description",
    "category": "#sector",
    "subcategory": "#subsector",
    "quantity": "#item+num",
    "unit": "#item+unit",
    "people": "#targeted",
    "households": "#targeted+hh",
    "area": "#loc+name",
    "area_code": "#adm2+code",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "urgency": "#severity",
    "needed_by": "#date+end",
    "status": "#status",
    "committed": "#item+num+committed",
    "delivered": "#item+num+delivered",
    "reached": "#reached",
    "created": "#date+start",
}
URGENCY_WORDS = {
    "low": 1,
    "baja": 1,
    "faible": 1,
    "basse": 1,
    "rendah": 1,
    "medium": 2,
    "media": 2,
    "moyenne": 2,
    "sedang": 2,
    "normal": 2,
    "high": 3,
    "alta": 3,
    "haute": 3,
    "elevee": 3,
    "tinggi": 3,
    "critical": 4,
    "critica": 4,
    "critique": 4,
    "kritis": 4,
    "urgent": 4,
    "urgente": 4,
}
KOBO_META = re.compile(
    r"^_(index|parent_index|parent_table_name|submission_time|uuid|id|"
    r"submitted_by|status|tags|notes|validation_status|version)$"
)


@dataclass
class Sheet:
    """Columns and rows to import, rows keyed by column; ``number`` is what the user sees."""

    headers: list[str]
    hashtags: list[str] | None
    rows: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def _column_key(header: str) -> str:
    """``group_a/Need Title`` → ``need_title``; Kobo's ``_gps_latitude`` → ``latitude``."""
    last = re.split(r"[/:]", header.strip())[-1]
    key = re.sub(r"[^a-z0-9]+", "_", fold(last)).strip("_")
    for suffix in ("latitude", "longitude"):
        if key.endswith(f"_{suffix}") or key.endswith(suffix):
            return suffix
    return key


def guess_mapping(sheet: Sheet) -> dict[str, str]:
    """Column → need field, for the columns we recognise (each field once, first wins)."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(sheet.headers):
        tag = sheet.hashtags[index] if sheet.hashtags and index < len(sheet.hashtags) else ""
        tag = tag.strip().lower()
        key = _column_key(header)
        for name, (tags, aliases) in FIELDS.items():
            if name in taken:
                continue
            if (tag and any(tag.startswith(t) for t in tags)) or (not tag and key in aliases):
                mapping[header] = name
                taken.add(name)
                break
    return mapping


def read_sheet(data: bytes, filename: str, max_bytes: int) -> Sheet:
    """A CSV or XLSX file as rows; a Kobo workbook with repeat groups as one row per repeat."""
    if len(data) > max_bytes:
        raise TableImportError([RowError(None, None, size_message(len(data), max_bytes))])
    if data[:4] == b"PK\x03\x04":
        repeated = _kobo_repeats(data)
        if repeated is not None:
            return repeated
    table = read_table(data, filename, max_bytes)
    sheet = Sheet(headers=table.headers, hashtags=table.hashtags)
    for number, cells in table.rows:
        padded = cells + [""] * (len(table.headers) - len(cells))
        sheet.rows.append((str(number), dict(zip(table.headers, padded, strict=False))))
    return sheet


def _kobo_repeats(data: bytes) -> Sheet | None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    sheets = {}
    for worksheet in workbook.worksheets:
        rows = [
            ["" if v is None else str(v).strip() for v in row]
            for row in worksheet.iter_rows(values_only=True)
        ]
        rows = [row for row in rows if any(row)]
        if rows:
            sheets[worksheet.title] = rows
    workbook.close()
    if len(sheets) < 2:
        return None
    names = list(sheets)
    main = sheets[names[0]]
    repeat_name = next((n for n in names[1:] if "_parent_index" in sheets[n][0]), None)
    if repeat_name is None or "_index" not in main[0]:
        return None
    parents = {
        row[main[0].index("_index")]: dict(zip(main[0], row, strict=False)) for row in main[1:]
    }
    repeat = sheets[repeat_name]
    header = repeat[0]
    parent_columns = [c for c in main[0] if c not in header and not KOBO_META.match(c)]
    sheet = Sheet(headers=[*header, *parent_columns], hashtags=None)
    link = header.index("_parent_index")
    for number, row in enumerate(repeat[1:], start=2):
        values = dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))
        parent = parents.get(row[link] if link < len(row) else "", {})
        for column in parent_columns:
            values[column] = parent.get(column, "")
        sheet.rows.append((f"{repeat_name} {number}", values))
    return sheet


@dataclass
class Parsed:
    values: dict[str, Any]


class Resolver:
    """Turns cells into need values for one coalition (areas by P-code or name)."""

    def __init__(self, areas: list[Any]) -> None:
        self.by_code = {fold(a.pcode): a for a in areas if a.pcode}
        self.by_name: dict[str, Any] = {}
        for area in areas:
            self.by_name.setdefault(fold(area.name), area)
        self.categories = {fold(code): code for code in CATEGORY_LABELS}
        for code, label in CATEGORY_LABELS.items():
            self.categories.setdefault(fold(str(label)), code)
        self.subcategories = {fold(code): code for code in SUBCATEGORY_LABELS}
        for code, label in SUBCATEGORY_LABELS.items():
            self.subcategories.setdefault(fold(str(label)), code)

    def area(self, text: str) -> Any:
        key = fold(text.strip())
        found = self.by_code.get(key) or self.by_name.get(key)
        if found is None:
            raise ValueError(_("no area with this P-code or name"))
        return found

    def category(self, text: str) -> str:
        key = fold(text.strip()).replace(" ", "_")
        found = self.categories.get(key) or self.categories.get(fold(text.strip()))
        if found is None:
            raise ValueError(
                _("unknown category; use one of: %(codes)s") % {"codes": ", ".join(CATEGORY_LABELS)}
            )
        return found

    def subcategory(self, text: str) -> str:
        key = fold(text.strip()).replace(" ", "_")
        found = self.subcategories.get(key) or self.subcategories.get(fold(text.strip()))
        if found is None:
            raise ValueError(_("unknown subcategory"))
        return found


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(_("'%(value)s' is not a number") % {"value": text}) from None
    if not value.is_finite() or value <= 0:
        raise ValueError(_("the quantity must be more than 0"))
    return value


def _whole(text: str) -> int:
    value = _decimal(text)
    if value != value.to_integral_value():
        raise ValueError(_("'%(value)s' is not a whole number") % {"value": text})
    return int(value)


def _coordinate(text: str, limit: float) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(_("'%(value)s' is not a number") % {"value": text}) from None
    if not -limit <= value <= limit:
        raise ValueError(_("out of range"))
    return value


def _urgency(text: str) -> int:
    key = fold(text.strip())
    if key.isdigit() and int(key) in Urgency.values:
        return int(key)
    if key in URGENCY_WORDS:
        return URGENCY_WORDS[key]
    raise ValueError(_("use 1-4 or low, medium, high, critical"))


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValueError(_("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": text}) from None


def parse_rows(sheet: Sheet, mapping: dict[str, str], resolver: Resolver) -> list[Parsed]:
    """Every row as need values, or a TableImportError listing every bad cell."""
    unknown = sorted(set(mapping.values()) - set(FIELDS))
    if unknown:
        raise TableImportError(
            [RowError(None, None, _("unknown field: %(f)s") % {"f": unknown[0]})]
        )
    if "title" not in mapping.values():
        raise TableImportError(
            [RowError(None, None, _("no column is mapped to the title of the need"))]
        )
    converters = {
        "quantity": _decimal,
        "people": _whole,
        "households": _whole,
        "latitude": lambda t: _coordinate(t, 90),
        "longitude": lambda t: _coordinate(t, 180),
        "urgency": _urgency,
        "needed_by": _date,
        "area": resolver.area,
        "category": resolver.category,
        "subcategory": resolver.subcategory,
    }
    errors: list[RowError] = []
    parsed: list[Parsed] = []
    for number, cells in sheet.rows:
        values: dict[str, Any] = {}
        for column, name in mapping.items():
            text = (cells.get(column) or "").strip()
            if not text:
                continue
            try:
                values[name] = converters.get(name, str)(text)
            except ValueError as error:
                errors.append(RowError(number, column, str(error)))
        if not values.get("title"):
            if any((cells.get(c) or "").strip() for c in mapping):
                errors.append(RowError(number, None, _("the need has no title")))
            continue
        values.setdefault("category", "other")
        if (values.get("latitude") is None) != (values.get("longitude") is None):
            errors.append(RowError(number, None, _("give both latitude and longitude")))
        values["title"] = str(values["title"])[:200]
        parsed.append(Parsed(values))
    if errors:
        raise TableImportError(errors)
    if not parsed:
        raise TableImportError([RowError(None, None, _("the file has no needs to import"))])
    return parsed


def export_rows(needs: Any, *, hxl: bool) -> Any:
    """Header (and hashtag) rows, then one row per need, for CSV, XLSX or HXL CSV."""
    columns = list(EXPORT_TAGS)
    yield columns
    if hxl:
        yield [EXPORT_TAGS[c] for c in columns]
    for need in needs:
        yield [
            need.pk,
            need.title,
            need.description,
            need.category,
            need.subcategory,
            need.quantity,
            need.unit,
            need.people,
            need.households,
            need.area.name if need.area else "",
            need.area.pcode if need.area else "",
            need.latitude,
            need.longitude,
            need.urgency,
            need.needed_by.isoformat() if need.needed_by else "",
            need.status,
            getattr(need, "committed_total", None) or 0,
            getattr(need, "delivered_total", None) or 0,
            getattr(need, "reached_total", None) or 0,
            need.created_at.date().isoformat(),
        ]


OFFER_EXPORT_TAGS = {
    "id": "#meta+id",
    "title": "#item+name",
    "description": "#description",
    "category": "#sector",
    "subcategory": "#subsector",
    "organisation": "#org+name",
    "quantity": "#item+num",
    "unit": "#item+unit",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "radius_km": "#geo+radius_km",
    "areas": "#adm2+code",
    "available_from": "#date+start",
    "available_until": "#date+end",
    "status": "#status",
    "committed": "#item+num+committed",
}


def export_offer_rows(offers: Any, *, hxl: bool) -> Any:
    columns = list(OFFER_EXPORT_TAGS)
    yield columns
    if hxl:
        yield [OFFER_EXPORT_TAGS[c] for c in columns]
    for offer in offers:
        yield [
            offer.pk,
            offer.title,
            offer.description,
            offer.category,
            offer.subcategory,
            offer.organisation.name if offer.organisation else "",
            offer.quantity,
            offer.unit,
            offer.latitude,
            offer.longitude,
            offer.radius_km,
            " ".join(sorted(area.pcode or area.name for area in offer.areas.all())),
            offer.available_from.isoformat() if offer.available_from else "",
            offer.available_until.isoformat() if offer.available_until else "",
            offer.status,
            getattr(offer, "committed_total", None) or 0,
        ]
