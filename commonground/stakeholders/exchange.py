"""Import of the stakeholder map from CSV, XLSX and HXL-tagged CSV; the columns are shared
with the export (``export.py``).

A row is an organisation from the registry (by name, acronym or "Name (ACRONYM)") or a
person. Every row is checked first; one bad row refuses the whole file, naming each row and
column at fault, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record
from commonground.coalitions.models import Coalition
from commonground.lib.tabular import RowError, Table, TableImportError, read_table
from commonground.lib.text import fold, name_key
from commonground.organisations import actions as org_actions
from commonground.organisations.exchange import Column, _normalise_tag
from commonground.organisations.models import Organisation
from commonground.stakeholders.actions import record_diversity_snapshot
from commonground.stakeholders.choices import CoalitionRole, EngagementModel, Stage
from commonground.stakeholders.criteria_actions import ensure_default_criteria
from commonground.stakeholders.models import Criterion, Score, StageChange, Stakeholder

COLUMNS: list[Column] = [
    Column("organisation", "organisation", "#org+name", ("organization", "org", "name")),
    Column("acronym", "acronym", "#org+acronym"),
    Column("person", "person", "#contact+name", ("person name", "contact")),
    Column("type", "type", "#org+type"),
    Column("level", "level", "#org+level"),
    Column("sectors", "sectors", "#sector"),
    Column("stage", "stage", "#status+stage", ("status",)),
    Column("stage_since", "stage since", "#date+stage"),
    Column("role", "role", "#org+role", ("coalition role", "role in the coalition")),
    Column("engagement_model", "engagement model", "#activity+engagement", ("engagement",)),
    Column(
        "lived_experience",
        "lived experience",
        "#meta+lived_experience",
        ("under-represented", "lived experience / under-represented voice"),
    ),
    Column("brings", "what they bring", "#capacity", ("brings",)),
    Column("wants", "what they want", "#meta+wants", ("wants",)),
    Column("power", "power", "#indicator+power"),
    Column("interest", "interest", "#indicator+interest"),
    Column("notes", "notes", "#meta+notes"),
    Column("owner", "plan owner", "#contact+owner", ("owner",)),
    Column("next_contact", "next contact", "#date+next_contact"),
    # Shown in the export but worked out, so ignored on import: type, level, sectors, stage
    # since, plan owner, next contact, weighted score and scorers.
    Column("weighted", "weighted score", "#indicator+score+weighted"),
    Column("scorers", "scorers", "#indicator+scorers"),
]
SCORE_PREFIX = "score: "

_BY_HXL = {_normalise_tag(c.hxl): c.key for c in COLUMNS}
_BY_HEADER = {fold(name): c.key for c in COLUMNS for name in (c.header, c.key, *c.aliases)}


def _lookup(words: Iterable[tuple[str, Any]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, label in words:
        table[fold(code)] = code
        table[fold(str(label))] = code
    return table


_STAGES = _lookup(Stage.choices)
_ROLES = _lookup(CoalitionRole.choices)
_MODELS = _lookup(EngagementModel.choices)
_YES = {"yes", "y", "true", "1", "x", "si", "sí", "oui", "ya"}
_NO = {"no", "n", "false", "0", "", "non", "tidak"}


def criterion_tag(criterion: Criterion) -> str:
    return f"#indicator+score+{criterion.key or f'c{criterion.pk}'}"


def criterion_header(criterion: Criterion) -> str:
    return f"{SCORE_PREFIX}{criterion.label}"


def map_columns(table: Table, criteria: list[Criterion]) -> tuple[dict[str, int], dict[int, int]]:
    """Which column holds which field, and which holds each criterion's score."""
    positions: dict[str, int] = {}
    scores: dict[int, int] = {}
    by_tag = {_normalise_tag(criterion_tag(c)): c.pk for c in criteria}
    by_name = {fold(c.label): c.pk for c in criteria} | {
        fold(c.key): c.pk for c in criteria if c.key
    }
    if table.hashtags:
        for index, tag in enumerate(table.hashtags):
            normal = _normalise_tag(tag) if tag else ""
            key = _BY_HXL.get(normal)
            if key is None and normal.split("+")[0] == "#org":
                key = "organisation" if normal == "#org" else None
            if key and key not in positions:
                positions[key] = index
            elif normal in by_tag:
                scores.setdefault(by_tag[normal], index)
    else:
        for index, header in enumerate(table.headers):
            folded = fold(header.strip())
            key = _BY_HEADER.get(folded)
            if key and key not in positions:
                positions[key] = index
            elif folded.startswith(SCORE_PREFIX.strip()):
                name = folded[len(SCORE_PREFIX.strip()) :].strip(" :")
                if name in by_name:
                    scores.setdefault(by_name[name], index)
    if "organisation" not in positions and "person" not in positions:
        raise TableImportError(
            [
                RowError(
                    1,
                    "organisation",
                    _(
                        "missing column: add an 'organisation' column (HXL #org+name) or a "
                        "'person' column (#contact+name)"
                    ),
                )
            ]
        )
    return positions, scores


@dataclass
class ParsedRow:
    row: int
    organisation: Organisation | None
    person: str
    values: dict[str, Any]
    stage: str | None
    scores: dict[int, int] = field(default_factory=dict)


def _pick(
    value: str,
    table: dict[str, str],
    allowed: list[str],
    where: tuple[int, str],
    errors: list[RowError],
) -> str | None:
    if not value:
        return None
    code = table.get(fold(value).strip())
    if code is None:
        errors.append(
            RowError(
                *where,
                _("'%(value)s' is not one of: %(allowed)s")
                % {"value": value, "allowed": ", ".join(allowed)},
            )
        )
    return code


def _zero_to_five(value: str, where: tuple[int, str], errors: list[RowError]) -> int | None:
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = -1.0
    if not number.is_integer() or not 0 <= number <= 5:
        errors.append(
            RowError(*where, _("'%(value)s' is not a whole number from 0 to 5") % {"value": value})
        )
        return None
    return int(number)


def _resolve(text: str, acronym: str) -> list[Organisation]:
    """Registry organisations named by a row: name (with acronym if given), or acronym."""
    key = name_key(text)
    qs = Organisation.objects.all()
    if acronym:
        return list(qs.filter(name_key=key, acronym__iexact=acronym)[:5])
    found = list(qs.filter(name_key=key)[:5])
    return found or list(qs.filter(acronym__iexact=text.strip())[:5])


def parse_rows(table: Table, criteria: list[Criterion]) -> list[ParsedRow]:
    positions, score_columns = map_columns(table, criteria)
    names = table.hashtags or table.headers
    label = {key: (names[i] or key) for key, i in positions.items()}
    score_label = {pk: names[i] for pk, i in score_columns.items()}
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    seen: dict[tuple[str, Any], int] = {}
    for number, cells in table.rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            index = positions.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        org_text, person = cell("organisation"), cell("person")
        organisation: Organisation | None = None
        if org_text and person:
            errors.append(
                RowError(
                    number, label["person"], _("a row is an organisation or a person, not both")
                )
            )
        elif org_text:
            found = _resolve(org_text, cell("acronym"))
            if not found:
                errors.append(
                    RowError(
                        number,
                        label["organisation"],
                        _("no organisation in the registry is called '%(name)s': add it first")
                        % {"name": org_text},
                    )
                )
            elif len(found) > 1:
                errors.append(
                    RowError(
                        number,
                        label["organisation"],
                        _("'%(name)s' matches several organisations (%(names)s); add the acronym")
                        % {"name": org_text, "names": "; ".join(str(o) for o in found)},
                    )
                )
            else:
                organisation = found[0]
        elif person:
            if len(person) > 200:
                errors.append(RowError(number, label["person"], _("longer than 200 characters")))
        else:
            errors.append(
                RowError(
                    number,
                    label.get("organisation") or label["person"],
                    _("name an organisation or a person"),
                )
            )
        identity = ("org", organisation.pk) if organisation else ("person", name_key(person))
        if organisation or person:
            if identity in seen:
                errors.append(
                    RowError(
                        number,
                        label.get("organisation" if organisation else "person"),
                        _("the same stakeholder as row %(row)s") % {"row": seen[identity]},
                    )
                )
            else:
                seen[identity] = number
        stage = _pick(
            cell("stage"), _STAGES, Stage.values, (number, label.get("stage", "")), errors
        )
        values: dict[str, Any] = {}
        role = _pick(
            cell("role"), _ROLES, CoalitionRole.values, (number, label.get("role", "")), errors
        )
        model = _pick(
            cell("engagement_model"),
            _MODELS,
            EngagementModel.values,
            (number, label.get("engagement_model", "")),
            errors,
        )
        if "role" in positions:
            values["role"] = role or ""
        if "engagement_model" in positions:
            values["engagement_model"] = model or ""
        if "lived_experience" in positions:
            flag = fold(cell("lived_experience"))
            if flag not in _YES | _NO:
                errors.append(
                    RowError(
                        number,
                        label["lived_experience"],
                        _("'%(value)s' is not yes or no") % {"value": cell("lived_experience")},
                    )
                )
            # Blank says nothing: a new stakeholder is not flagged, an existing one keeps its flag.
            values["lived_experience"] = None if not flag else flag in _YES
        for key in ("brings", "wants", "notes"):
            if key in positions:
                values[key] = cell(key)
        for key in ("power", "interest"):
            if key in positions:
                values[key] = _zero_to_five(cell(key), (number, label[key]), errors)
        scores = {}
        for pk, index in score_columns.items():
            value = cells[index].strip() if index < len(cells) else ""
            score = _zero_to_five(value, (number, score_label[pk]), errors)
            if score is not None:
                scores[pk] = score
        parsed.append(ParsedRow(number, organisation, person, values, stage, scores))
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
    moved: int
    scored: int

    def summary(self) -> str:
        return _(
            "Rows read: %(rows)s · stakeholders added: %(created)s · updated: %(updated)s · "
            "stages changed: %(moved)s · scores given: %(scored)s"
        ) % vars(self)


def import_stakeholders(
    actor: User | None, coalition: Coalition, data: bytes, filename: str
) -> ImportResult:
    """Check every row, then write everything in one transaction, or nothing.

    A stakeholder already on the map (same organisation, or a person of the same name) is
    updated where the file has a value (blank cells change nothing); a new stage is a dated
    move in its history. Score columns are the importer's own score set (whole numbers
    0–5); the weighted score and the scorer count are ignored.
    """
    table = read_table(data, filename, settings.MAX_UPLOAD_SIZE)
    # One transaction from the start: a refused file leaves not even the default criteria.
    with transaction.atomic():
        criteria = ensure_default_criteria(actor, coalition)
        parsed = parse_rows(table, criteria)
        if any(p.scores for p in parsed) and actor is None:
            raise TableImportError([RowError(None, None, _("scores need a named importer (--by)"))])
        return _write(actor, coalition, parsed, filename)


def _write(
    actor: User | None, coalition: Coalition, parsed: list[ParsedRow], filename: str
) -> ImportResult:
    now = timezone.now()
    existing_orgs = {
        s.organisation_id: s
        for s in Stakeholder.objects.filter(
            coalition=coalition,
            organisation_id__in=[p.organisation.pk for p in parsed if p.organisation],
        )
    }
    existing_people = {
        s.person_key: s
        for s in Stakeholder.objects.filter(
            coalition=coalition,
            organisation__isnull=True,
            person_key__in=[name_key(p.person) for p in parsed if p.person],
        )
    }
    new: list[tuple[ParsedRow, Stakeholder]] = []
    changes: list[StageChange] = []
    updated = moved = 0
    targets: list[tuple[ParsedRow, Stakeholder]] = []
    for p in parsed:
        found = (
            existing_orgs.get(p.organisation.pk)
            if p.organisation
            else existing_people.get(name_key(p.person))
        )
        # A blank cell says nothing: it leaves an existing stakeholder's value as it was.
        given = {k: v for k, v in p.values.items() if v not in ("", None)}
        if found is None:
            stakeholder = Stakeholder(
                coalition=coalition,
                organisation=p.organisation,
                person_name=p.person,
                stage=p.stage or Stage.IDENTIFIED,
                created_by=actor,
                created_at=now,
                updated_at=now,
                stage_changed_at=now,
                **given,
            )
            stakeholder.person_key = name_key(p.person)
            new.append((p, stakeholder))
            continue
        fields = [k for k, v in given.items() if getattr(found, k) != v]
        for key in fields:
            setattr(found, key, given[key])
        if p.stage and p.stage != found.stage:
            changes.append(
                StageChange(
                    stakeholder=found,
                    from_stage=found.stage,
                    to_stage=p.stage,
                    changed_by=actor,
                    changed_at=now,
                    note=_("imported from %(file)s") % {"file": filename[:100]},
                )
            )
            found.stage, found.stage_changed_at = p.stage, now
            fields += ["stage", "stage_changed_at"]
            moved += 1
        if fields:
            found.updated_at = now
            found.save(update_fields=[*fields, "updated_at"])
            updated += 1
        targets.append((p, found))
    created = Stakeholder.objects.bulk_create([s for _p, s in new], batch_size=1000)
    if any(s.pk is None for s in created):  # backends without RETURNING ids
        raise RuntimeError("the database did not return the new stakeholders' ids")
    changes += [
        StageChange(stakeholder=s, to_stage=s.stage, changed_by=actor, changed_at=now)
        for s in created
    ]
    StageChange.objects.bulk_create(changes, batch_size=1000)
    targets += new
    scored = _write_scores(actor, targets, now)
    for _p, stakeholder in targets:
        if stakeholder.stage == Stage.MEMBER and stakeholder.organisation is not None:
            org_actions.add_to_coalition(actor, coalition, stakeholder.organisation)
    result = ImportResult(len(parsed), len(created), updated, moved, scored)
    record(
        actor, coalition, "stakeholder.import", coalition, after={"file": filename, **vars(result)}
    )
    record_diversity_snapshot(coalition)
    return result


def _write_scores(
    actor: User | None, targets: list[tuple[ParsedRow, Stakeholder]], now: Any
) -> int:
    """The importer's scores from the file; a blank cell leaves an earlier score alone."""
    rows = [(p, s) for p, s in targets if p.scores]
    if not rows or actor is None:
        return 0
    existing = {
        (score.stakeholder_id, score.criterion_id): score
        for score in Score.objects.filter(scorer=actor, stakeholder_id__in=[s.pk for _p, s in rows])
    }
    changed: list[Score] = []
    new: list[Score] = []
    for p, stakeholder in rows:
        for criterion, value in p.scores.items():
            found = existing.get((stakeholder.pk, criterion))
            if found is None:
                new.append(
                    Score(
                        stakeholder=stakeholder,
                        criterion_id=criterion,
                        scorer=actor,
                        value=value,
                        scored_at=now,
                    )
                )
            elif found.value != value:
                found.value, found.scored_at = value, now
                changed.append(found)
    Score.objects.bulk_update(changed, ["value", "scored_at"], batch_size=1000)
    Score.objects.bulk_create(new, batch_size=1000)
    return len(new) + len(changed)
