"""Import of the organisation registry from CSV, XLSX and HXL-tagged CSV.

The columns (``COLUMNS``) are shared with the export (``export.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record
from commonground.coalitions.models import Coalition
from commonground.lib.tabular import (
    RowError,
    Table,
    TableImportError,
    read_table,
)
from commonground.lib.text import fold, name_key, split_tags
from commonground.organisations.models import CoalitionOrganisation, Contact, Organisation
from commonground.organisations.vocabularies import SECTORS, Channel, OrgLevel, OrgType


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    hxl: str
    aliases: tuple[str, ...] = ()


COLUMNS: list[Column] = [
    Column("name", "name", "#org+name", ("organisation", "organization", "org", "org name")),
    Column("acronym", "acronym", "#org+acronym", ("abbreviation", "short name")),
    Column("type", "type", "#org+type", ("organisation type", "organization type")),
    Column("level", "level", "#org+level"),
    Column("sectors", "sectors", "#sector", ("sector", "clusters", "cluster")),
    Column("website", "website", "#org+url", ("url", "web")),
    Column("address", "address", "#loc+address"),
    Column("city", "city", "#loc+city"),
    Column("country", "country", "#country+code", ("country code", "iso")),
    Column("latitude", "latitude", "#geo+lat", ("lat",)),
    Column("longitude", "longitude", "#geo+lon", ("lon", "lng", "long")),
    Column("capacities", "capacities", "#org+capacities"),
    Column("resources", "resources", "#org+resources"),
    Column("expertise", "expertise", "#org+expertise"),
    Column("contact_name", "contact name", "#contact+name", ("contact",)),
    Column("contact_role", "contact role", "#contact+role", ("position", "job title")),
    Column("contact_email", "contact email", "#contact+email", ("email",)),
    Column("contact_phone", "contact phone", "#contact+phone", ("phone", "telephone")),
    Column("contact_channel", "contact channel", "#contact+channel", ("preferred channel",)),
    Column("contact_language", "contact language", "#contact+lang", ("language",)),
]
ORG_KEYS = [c.key for c in COLUMNS if not c.key.startswith("contact_")]
CONTACT_KEYS = [c.key for c in COLUMNS if c.key.startswith("contact_")]


def _normalise_tag(tag: str) -> str:
    """'#Org +Name +en' → '#org+name': lower case, attribute order ignored except the first."""
    parts = [p.strip().lower() for p in tag.replace(" ", "").split("+") if p.strip()]
    if not parts:
        return ""
    return parts[0] + "".join(f"+{p}" for p in sorted(parts[1:]))


_BY_HXL = {_normalise_tag(c.hxl): c.key for c in COLUMNS}
_BY_HEADER = {fold(name): c.key for c in COLUMNS for name in (c.header, c.key, *c.aliases)}


def _lookup(words: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Accept a vocabulary entry by its code or its English label, in any case or accent."""
    table: dict[str, str] = {}
    for code, label in words:
        table[fold(code)] = code
        table[fold(str(label))] = code
    return table


_TYPES = _lookup(OrgType.choices)
_TYPES.update(
    {
        "ngo": "ngo",
        "inngo": "ngo",
        "international ngo": "ngo",
        "government": "government",
        "academic": "academia",
        "university": "academia",
        "private": "private",
        "red cross": "red_cross",
        "red crescent": "red_cross",
        "un agency": "un",
        "cbo": "community",
        "grassroots": "community",
        "faith based": "faith",
    }
)
_LEVELS = _lookup(OrgLevel.choices)
_SECTORS = _lookup(SECTORS)
_CHANNELS = _lookup(Channel.choices)


def map_columns(table: Table) -> tuple[dict[str, int], list[RowError]]:
    """Which column holds which field, by hashtag when there is a hashtag row, else by name."""
    positions: dict[str, int] = {}
    if table.hashtags:
        for index, tag in enumerate(table.hashtags):
            key = _BY_HXL.get(_normalise_tag(tag)) if tag else None
            if key is None and tag:
                # '#org' alone is the organisation name; '#contact' alone the contact name.
                base = _normalise_tag(tag).split("+")[0]
                key = {"#org": "name", "#contact": "contact_name", "#sector": "sectors"}.get(base)
            if key and key not in positions:
                positions[key] = index
    else:
        for index, header in enumerate(table.headers):
            key = _BY_HEADER.get(fold(header.strip()))
            if key and key not in positions:
                positions[key] = index
    errors = []
    if "name" not in positions:
        errors.append(
            RowError(
                1,
                "name",
                _("missing column: add a 'name' column (or the HXL hashtag #org+name)"),
            )
        )
    return positions, errors


def _choice(
    value: str,
    table: dict[str, str],
    row: int,
    column: str,
    errors: list[RowError],
    allowed: Iterable[str],
) -> str | None:
    if not value:
        return None
    code = table.get(fold(value).strip())
    if code is None:
        errors.append(
            RowError(
                row,
                column,
                _("'%(value)s' is not one of: %(allowed)s")
                % {"value": value, "allowed": ", ".join(allowed)},
            )
        )
    return code


def _number(
    value: str, low: float, high: float, row: int, column: str, errors: list[RowError]
) -> float | None:
    if not value:
        return None
    try:
        number = (
            float(value.replace(",", "."))
            if value.count(",") == 1 and "." not in value
            else float(value)
        )
    except ValueError:
        errors.append(RowError(row, column, _("'%(value)s' is not a number") % {"value": value}))
        return None
    if not low <= number <= high:
        errors.append(
            RowError(
                row,
                column,
                _("%(number)s is outside %(low)s to %(high)s")
                % {"number": number, "low": f"{low:g}", "high": f"{high:g}"},
            )
        )
        return None
    return number


@dataclass
class ParsedRow:
    row: int
    organisation: dict[str, Any]
    contact: dict[str, Any] | None


def parse_rows(table: Table) -> list[ParsedRow]:
    positions, errors = map_columns(table)
    if errors:
        raise TableImportError(errors)
    header_names = table.hashtags if table.hashtags else table.headers
    label = {key: (header_names[i] or key) for key, i in positions.items()}
    parsed: list[ParsedRow] = []
    email_ok, url_ok = EmailValidator(), URLValidator()
    for number, cells in table.rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            index = positions.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        org: dict[str, Any] = {"name": cell("name")}
        if not org["name"]:
            errors.append(RowError(number, label["name"], _("the organisation name is empty")))
        elif len(org["name"]) > 200:
            errors.append(RowError(number, label["name"], _("longer than 200 characters")))
        org["acronym"] = cell("acronym")[:30]
        org["type"] = (
            _choice(cell("type"), _TYPES, number, label.get("type", "type"), errors, OrgType.values)
            or OrgType.OTHER
        )
        org["level"] = (
            _choice(
                cell("level"), _LEVELS, number, label.get("level", "level"), errors, OrgLevel.values
            )
            or OrgLevel.CITY
        )
        sectors = []
        for item in split_tags(cell("sectors")):
            code = _choice(
                item,
                _SECTORS,
                number,
                label.get("sectors", "sectors"),
                errors,
                [c for c, _n in SECTORS],
            )
            if code:
                sectors.append(code)
        org["sectors"] = sectors
        website = cell("website")
        if website and not website.startswith(("http://", "https://")):
            website = "https://" + website
        if website:
            try:
                url_ok(website)
            except ValidationError:
                errors.append(
                    RowError(
                        number,
                        label["website"],
                        _("'%(value)s' is not a web address") % {"value": website},
                    )
                )
        org["website"] = website
        org["address"] = cell("address")[:300]
        org["city"] = cell("city")[:120]
        country = cell("country").upper()
        if country and (len(country) != 2 or not country.isalpha()):
            errors.append(
                RowError(
                    number,
                    label["country"],
                    _("'%(value)s' is not a two-letter ISO code") % {"value": country},
                )
            )
        org["country"] = country[:2]
        org["latitude"] = _number(
            cell("latitude"), -90, 90, number, label.get("latitude", ""), errors
        )
        org["longitude"] = _number(
            cell("longitude"), -180, 180, number, label.get("longitude", ""), errors
        )
        for key in ("capacities", "resources", "expertise"):
            org[key] = split_tags(cell(key))
        contact: dict[str, Any] | None = None
        if any(cell(k) for k in CONTACT_KEYS):
            contact = {
                "name": cell("contact_name") or cell("contact_email"),
                "role": cell("contact_role")[:200],
                "email": cell("contact_email"),
                "phone": cell("contact_phone")[:40],
                "preferred_channel": _choice(
                    cell("contact_channel"),
                    _CHANNELS,
                    number,
                    label.get("contact_channel", ""),
                    errors,
                    Channel.values,
                )
                or Channel.EMAIL,
                "language": cell("contact_language")[:10],
            }
            if not contact["name"]:
                errors.append(
                    RowError(
                        number,
                        label.get("contact_name", "contact name"),
                        _("a contact needs a name or an email"),
                    )
                )
            if contact["email"]:
                try:
                    email_ok(contact["email"])
                except ValidationError:
                    errors.append(
                        RowError(
                            number,
                            label["contact_email"],
                            _("'%(value)s' is not an email address") % {"value": contact["email"]},
                        )
                    )
        parsed.append(ParsedRow(number, org, contact))
        if len(errors) >= 100:
            break
    if errors:
        raise TableImportError(errors)
    return parsed


@dataclass
class ImportResult:
    rows: int
    created: int
    matched: int
    contacts: int
    linked: int

    def summary(self) -> str:
        # Label: number pairs, so no language needs plural forms here.
        return _(
            "Rows read: %(rows)s · organisations created: %(created)s · existing ones reused: "
            "%(matched)s · contacts added: %(contacts)s · newly listed in the coalition: %(linked)s"
        ) % vars(self)


def import_organisations(
    actor: User | None,
    coalition: Coalition,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    progress: Callable[[int, str], None] | None = None,
) -> ImportResult:
    """Validate every row, then write everything in one transaction, or nothing.

    An organisation already in the registry (same name, and same acronym when both have
    one) is reused rather than duplicated: the registry is shared.
    """
    report = progress or (lambda _percent, _message: None)
    report(5, _("Reading the file"))
    table = read_table(data, filename, settings.MAX_UPLOAD_SIZE)
    report(30, _("Checking rows: %(count)s") % {"count": len(table.rows)})
    parsed = parse_rows(table)
    report(60, _("Matching the registry"))
    keys = {name_key(p.organisation["name"]) for p in parsed}
    exact: dict[tuple[str, str], Organisation] = {}
    by_name: dict[str, Organisation] = {}
    for org in Organisation.objects.filter(name_key__in=keys).order_by("id"):
        exact.setdefault((org.name_key, org.acronym.upper()), org)
        by_name.setdefault(org.name_key, org)
    now = timezone.now()
    new_orgs: dict[tuple[str, str], Organisation] = {}
    # Each row with the registry organisation it matched, or the key of a new one.
    row_org: list[tuple[ParsedRow, Organisation | None, tuple[str, str]]] = []
    matched: set[int] = set()
    for p in parsed:
        key = (name_key(p.organisation["name"]), p.organisation["acronym"].upper())
        # With an acronym, match the same name with that acronym or none; without, any.
        found = (exact.get(key) or exact.get((key[0], ""))) if key[1] else by_name.get(key[0])
        if found is not None:
            matched.add(found.pk)
            row_org.append((p, found, key))
            continue
        if key not in new_orgs:
            org = Organisation(created_by=actor, created_at=now, updated_at=now, **p.organisation)
            org.name_key = key[0]
            org.sector_codes = "|" + "|".join(org.sectors) + "|" if org.sectors else ""
            new_orgs[key] = org
        row_org.append((p, None, key))
    if dry_run:
        planned = sum(1 for p, _f, _k in row_org if p.contact)
        return ImportResult(len(parsed), len(new_orgs), len(matched), planned, 0)
    report(80, _("Saving"))
    with transaction.atomic():
        created = Organisation.objects.bulk_create(list(new_orgs.values()), batch_size=1000)
        if any(o.pk is None for o in created):  # backends without RETURNING ids
            refreshed = {
                (o.name_key, o.acronym.upper()): o
                for o in Organisation.objects.filter(
                    name_key__in=[k for k, _a in new_orgs], created_at=now
                )
            }
            new_orgs = {k: refreshed[k] for k in new_orgs}

        def resolve(found: Organisation | None, key: tuple[str, str]) -> Organisation:
            return found if found is not None else new_orgs[key]

        org_ids = {resolve(f, k).pk for _p, f, k in row_org}
        already = set(
            CoalitionOrganisation.objects.filter(
                coalition=coalition, organisation_id__in=org_ids
            ).values_list("organisation_id", flat=True)
        )
        links = [
            CoalitionOrganisation(
                coalition=coalition, organisation_id=pk, added_by=actor, added_at=now
            )
            for pk in sorted(org_ids - already)
        ]
        CoalitionOrganisation.objects.bulk_create(links, batch_size=1000)
        contacts = [
            Contact(
                coalition=coalition,
                organisation=resolve(f, k),
                created_at=now,
                updated_at=now,
                **p.contact,
            )
            for p, f, k in row_org
            if p.contact
        ]
        Contact.objects.bulk_create(contacts, batch_size=1000)
        result = ImportResult(len(parsed), len(created), len(matched), len(contacts), len(links))
        record(
            actor,
            coalition,
            "organisation.import",
            coalition,
            after={
                "file": filename,
                "rows": result.rows,
                "created": result.created,
                "matched": result.matched,
                "contacts": result.contacts,
                "linked": result.linked,
            },
        )
    return result
