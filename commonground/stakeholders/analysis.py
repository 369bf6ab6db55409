"""The stakeholder map's analyses: the database read once, the arithmetic in ``scoring``.

Each function takes a coalition id and returns plain rows that pages, API and exports share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, Min, QuerySet, Sum
from django.db.models.functions import Coalesce

from commonground.stakeholders import scoring
from commonground.stakeholders.choices import CLOSED_STAGES
from commonground.stakeholders.models import Criterion, Score, Stakeholder


def active(coalition_id: int) -> QuerySet[Stakeholder]:
    """Stakeholders still in the pipeline (not declined, not inactive)."""
    return Stakeholder.objects.filter(coalition_id=coalition_id).exclude(stage__in=CLOSED_STAGES)


def diversity_of(coalition_id: int) -> scoring.Diversity:
    rows = active(coalition_id).values_list(
        "organisation__type", "organisation__level", "organisation__sectors", "lived_experience"
    )
    return scoring.diversity(
        scoring.Member(kind or "", level or "", tuple(sectors or ()), flag)
        for kind, level, sectors, flag in rows.iterator(chunk_size=5000)
    )


@dataclass
class ScoreTable:
    """Every stakeholder's aggregate on this coalition's criteria."""

    criteria: list[Criterion]
    aggregates: dict[int, scoring.Aggregate]
    by_key: dict[str, int] = field(default_factory=dict)  # default criterion key → id

    def mean(self, stakeholder: int, key: str) -> float | None:
        criterion = self.by_key.get(key)
        found = self.aggregates.get(stakeholder)
        if criterion is None or found is None:
            return None
        return found.mean(criterion)


def score_table(coalition_id: int, stakeholder_ids: list[int] | None = None) -> ScoreTable:
    """Aggregates for the coalition's stakeholders (or only the ones named), in three queries.

    The database sums each (stakeholder, criterion) pair, so a map of thousands scored by
    several members is a few thousand rows to Python, not every single score.
    """
    criteria = list(Criterion.objects.filter(coalition_id=coalition_id).order_by("position", "id"))
    weights = {c.pk: float(c.weight) for c in criteria}
    scores = Score.objects.filter(stakeholder__coalition_id=coalition_id)
    if stakeholder_ids is not None:
        scores = scores.filter(stakeholder_id__in=stakeholder_ids)
    sums = (
        scores.values_list("stakeholder_id", "criterion_id")
        .annotate(
            n=Count("id"),
            total=Sum("value"),
            squares=Sum(F("value") * F("value")),
            low=Min("value"),
            high=Max("value"),
        )
        .order_by()
    )
    spreads: dict[int, dict[int, scoring.CriterionSpread]] = {}
    for stakeholder, criterion, n, total, squares, low, high in sums.iterator(chunk_size=5000):
        spreads.setdefault(stakeholder, {})[criterion] = scoring.spread_from_sums(
            n, float(total), float(squares), float(low), float(high)
        )
    scorers = dict(
        scores.values_list("stakeholder_id")
        .annotate(n=Count("scorer_id", distinct=True))
        .order_by()
    )
    aggregates = {
        pk: scoring.combine(by_criterion, weights, scorers.get(pk, 0))
        for pk, by_criterion in spreads.items()
    }
    return ScoreTable(criteria, aggregates, {c.key: c.pk for c in criteria if c.key})


def _named(qs: QuerySet[Stakeholder]) -> QuerySet[Stakeholder]:
    return (
        qs.select_related("organisation")
        .annotate(sort_key=Coalesce(F("organisation__name_key"), F("person_key")))
        .order_by("sort_key", "id")
    )


@dataclass
class ShortlistRow:
    stakeholder: Stakeholder
    ranked: scoring.Ranked
    aggregate: scoring.Aggregate


def shortlist(coalition_id: int, cutoff: float) -> tuple[ScoreTable, list[ShortlistRow]]:
    """Active stakeholders with a score, best first, marked shortlisted at the cut-off."""
    table = score_table(coalition_id)
    people = {s.pk: s for s in _named(active(coalition_id).filter(pk__in=list(table.aggregates)))}
    ranked = scoring.rank({pk: table.aggregates[pk].weighted for pk in people}, cutoff)
    return table, [ShortlistRow(people[r.key], r, table.aggregates[r.key]) for r in ranked]


@dataclass
class Placed:
    stakeholder: Stakeholder
    power: float
    interest: float
    quadrant: scoring.Quadrant
    from_scores: bool  # True when power or interest came from the criteria, not set by hand


def grid(coalition_id: int) -> tuple[dict[scoring.Quadrant, list[Placed]], list[Stakeholder]]:
    """Active stakeholders by quadrant, and those with no power or interest to place them.

    The power and interest set on a stakeholder win; when one is not set, the mean of the
    "influence" (power) or "interest" criterion scores stands in.
    """
    table = score_table(coalition_id)
    quadrants: dict[scoring.Quadrant, list[Placed]] = {q: [] for q in scoring.Quadrant}
    unplaced: list[Stakeholder] = []
    for person in _named(active(coalition_id)):
        power: float | None = person.power
        interest: float | None = person.interest
        from_scores = False
        if power is None:
            power = table.mean(person.pk, "influence")
            from_scores = power is not None
        if interest is None:
            interest = table.mean(person.pk, "interest")
            from_scores = from_scores or interest is not None
        if power is None or interest is None:
            unplaced.append(person)
            continue
        where = scoring.quadrant(power, interest)
        quadrants[where].append(Placed(person, power, interest, where, from_scores))
    return quadrants, unplaced


@dataclass
class Salient:
    stakeholder: Stakeholder
    power: float
    legitimacy: float
    urgency: float


def salience_classes(
    coalition_id: int,
) -> tuple[dict[scoring.Salience, list[Salient]], list[Stakeholder], list[str]]:
    """Active stakeholders by salience class from the influence, legitimacy and urgency scores.

    Returns the classes, the stakeholders missing one of the three, and the keys of any of
    the three criteria the coalition has removed.
    """
    table = score_table(coalition_id)
    missing = [k for k in ("influence", "legitimacy", "urgency") if k not in table.by_key]
    classes: dict[scoring.Salience, list[Salient]] = {s: [] for s in scoring.Salience}
    unscored: list[Stakeholder] = []
    for person in _named(active(coalition_id)):
        values: list[Any] = [
            table.mean(person.pk, key) for key in ("influence", "legitimacy", "urgency")
        ]
        if any(v is None for v in values):
            unscored.append(person)
            continue
        power, legitimacy, urgency = values
        kind = scoring.salience(power, legitimacy, urgency)
        classes[kind].append(Salient(person, power, legitimacy, urgency))
    return classes, unscored, missing
