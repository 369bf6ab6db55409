"""The stakeholder map's arithmetic, free of Django and the database.

Scores are 0–5. Several members score a stakeholder on the same weighted criteria; the
coalition reads the weighted aggregate, how much the scorers disagree, where each
stakeholder falls on the power–interest grid, its salience class (Mitchell, Agle and Wood,
1997) and how diverse the whole map is.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

SCALE_MAX = 5.0
# On a 0–5 scale, "high" power, interest, legitimacy or urgency starts above the middle.
HIGH_THRESHOLD = 2.5
# Two scorers three or more points apart on one criterion do not see the stakeholder alike.
HIGH_DISAGREEMENT_RANGE = 3.0


@dataclass(frozen=True)
class CriterionSpread:
    """What the scorers gave on one criterion."""

    count: int
    mean: float
    minimum: float
    maximum: float
    std_dev: float  # population standard deviation: the scorers are the whole population

    @property
    def range(self) -> float:
        return self.maximum - self.minimum

    @property
    def high_disagreement(self) -> bool:
        return self.count >= 2 and self.range >= HIGH_DISAGREEMENT_RANGE


def spread(values: Sequence[float]) -> CriterionSpread | None:
    """Mean, extremes and standard deviation of one criterion's scores (None if unscored)."""
    if not values:
        return None
    n = len(values)
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / n
    return CriterionSpread(n, mean, min(values), max(values), math.sqrt(variance))


@dataclass(frozen=True)
class Aggregate:
    """A stakeholder's scores across scorers and criteria."""

    by_criterion: dict[int, CriterionSpread]
    weighted: float | None  # 0–5, None when nothing is scored
    scorers: int

    @property
    def disputed(self) -> list[int]:
        """The criteria (ids) on which scorers disagree strongly."""
        return [c for c, s in self.by_criterion.items() if s.high_disagreement]

    def mean(self, criterion: int) -> float | None:
        found = self.by_criterion.get(criterion)
        return found.mean if found else None


def spread_from_sums(
    count: int, total: float, total_of_squares: float, minimum: float, maximum: float
) -> CriterionSpread:
    """The same spread from running sums, as a database's GROUP BY gives them."""
    mean = total / count
    variance = max(total_of_squares / count - mean * mean, 0.0)
    return CriterionSpread(count, mean, minimum, maximum, math.sqrt(variance))


def combine(
    by_criterion: Mapping[int, CriterionSpread], weights: Mapping[int, float], scorers: int
) -> Aggregate:
    """The weighted score over the criteria scored at all (see ``aggregate``)."""
    kept = {c: s for c, s in by_criterion.items() if c in weights}
    total_weight = sum(weights[c] for c in kept)
    weighted = (
        sum(weights[c] * s.mean for c, s in kept.items()) / total_weight
        if total_weight > 0
        else None
    )
    return Aggregate(kept, weighted, scorers)


def aggregate(
    score_sets: Mapping[int, Mapping[int, float]], weights: Mapping[int, float]
) -> Aggregate:
    """Combine score sets ({scorer: {criterion: value}}) with criterion weights.

    Each criterion's value is the mean over the members who scored it; the weighted score
    is the weighted mean of those criterion means, over the criteria scored at all (so an
    unscored criterion neither counts as 0 nor drags the score down). Criteria missing from
    ``weights`` are ignored; a criterion of weight 0 is shown but does not count.
    """
    values: dict[int, list[float]] = {}
    for scores in score_sets.values():
        for criterion, value in scores.items():
            if criterion in weights:
                values.setdefault(criterion, []).append(float(value))
    by_criterion = {c: s for c, v in values.items() if (s := spread(v)) is not None}
    scorers = sum(1 for scores in score_sets.values() if any(c in weights for c in scores))
    return combine(by_criterion, weights, scorers)


@dataclass(frozen=True)
class Ranked:
    key: int
    score: float
    rank: int
    shortlisted: bool


def rank(scores: Mapping[int, float | None], cutoff: float) -> list[Ranked]:
    """Highest weighted score first (ties share a rank, then by key); unscored ones left out.

    Those at or above ``cutoff`` are shortlisted.
    """
    scored = sorted(
        ((s, k) for k, s in scores.items() if s is not None), key=lambda p: (-p[0], p[1])
    )
    ranked: list[Ranked] = []
    previous: float | None = None
    position = 0
    for index, (score, key) in enumerate(scored, start=1):
        if previous is None or not math.isclose(score, previous):
            position = index
        previous = score
        ranked.append(Ranked(key, score, position, score >= cutoff - 1e-9))
    return ranked


class Quadrant(StrEnum):
    MANAGE_CLOSELY = "manage_closely"  # high power, high interest
    KEEP_SATISFIED = "keep_satisfied"  # high power, low interest
    KEEP_INFORMED = "keep_informed"  # low power, high interest
    MONITOR = "monitor"  # low power, low interest


def quadrant(power: float, interest: float, threshold: float = HIGH_THRESHOLD) -> Quadrant:
    """Where a stakeholder falls on the power–interest grid (Mendelow's matrix)."""
    high_power, high_interest = power > threshold, interest > threshold
    if high_power:
        return Quadrant.MANAGE_CLOSELY if high_interest else Quadrant.KEEP_SATISFIED
    return Quadrant.KEEP_INFORMED if high_interest else Quadrant.MONITOR


class Salience(StrEnum):
    DEFINITIVE = "definitive"  # power, legitimacy and urgency
    DOMINANT = "dominant"  # power and legitimacy
    DANGEROUS = "dangerous"  # power and urgency
    DEPENDENT = "dependent"  # legitimacy and urgency
    DORMANT = "dormant"  # power only
    DISCRETIONARY = "discretionary"  # legitimacy only
    DEMANDING = "demanding"  # urgency only
    NON_STAKEHOLDER = "non_stakeholder"  # none


_SALIENCE = {
    (True, True, True): Salience.DEFINITIVE,
    (True, True, False): Salience.DOMINANT,
    (True, False, True): Salience.DANGEROUS,
    (False, True, True): Salience.DEPENDENT,
    (True, False, False): Salience.DORMANT,
    (False, True, False): Salience.DISCRETIONARY,
    (False, False, True): Salience.DEMANDING,
    (False, False, False): Salience.NON_STAKEHOLDER,
}


def salience(
    power: float, legitimacy: float, urgency: float, threshold: float = HIGH_THRESHOLD
) -> Salience:
    """Mitchell et al.'s class: which of the three attributes the stakeholder holds."""
    return _SALIENCE[(power > threshold, legitimacy > threshold, urgency > threshold)]


def shannon(counts: Iterable[int]) -> float:
    """Shannon's index H = −Σ pᵢ ln pᵢ over the categories (0 for one category or none)."""
    values = [c for c in counts if c > 0]
    total = sum(values)
    if total == 0:
        return 0.0
    return -sum((c / total) * math.log(c / total) for c in values) + 0.0


def simpson(counts: Iterable[int]) -> float:
    """Gini–Simpson index 1 − Σ pᵢ²: the chance two stakeholders drawn differ in category."""
    values = [c for c in counts if c > 0]
    total = sum(values)
    if total == 0:
        return 0.0
    return 1.0 - sum((c / total) ** 2 for c in values)


def evenness(counts: Iterable[int]) -> float:
    """Pielou's evenness H / ln k: 1 when every category present is equally common."""
    values = [c for c in counts if c > 0]
    if len(values) < 2:
        return 0.0
    return shannon(values) / math.log(len(values))


class Gap(StrEnum):
    GOVERNMENT = "government"
    PRIVATE = "private"
    ACADEMIA = "academia"
    NGO = "ngo"
    COMMUNITY_GROUP = "community"
    FAITH = "faith"
    COMMUNITY_LEVEL = "community_level"
    LIVED_EXPERIENCE = "lived_experience"


# The kinds of organisation a coalition for community resilience should not lack.
EXPECTED_TYPES: tuple[Gap, ...] = (
    Gap.GOVERNMENT,
    Gap.PRIVATE,
    Gap.ACADEMIA,
    Gap.NGO,
    Gap.COMMUNITY_GROUP,
    Gap.FAITH,
)


@dataclass(frozen=True)
class Member:
    """What diversity looks at in one stakeholder (a person has no type, level or sectors)."""

    type: str = ""
    level: str = ""
    sectors: tuple[str, ...] = ()
    lived_experience: bool = False


@dataclass(frozen=True)
class Diversity:
    total: int
    by_type: dict[str, int]
    by_level: dict[str, int]
    by_sector: dict[str, int]
    shannon: float
    simpson: float
    evenness: float
    gaps: list[Gap]


def diversity(members: Iterable[Member]) -> Diversity:
    """Counts by type, level and sector, the indices over types, and what is missing.

    A community-level voice is an organisation working at community level, a
    community-based group, or anyone flagged for lived experience.
    """
    people = list(members)
    by_type = Counter(m.type for m in people if m.type)
    by_level = Counter(m.level for m in people if m.level)
    by_sector = Counter(s for m in people for s in m.sectors)
    gaps = [gap for gap in EXPECTED_TYPES if by_type.get(gap.value, 0) == 0]
    community_voice = (
        by_level.get("community", 0) > 0
        or by_type.get("community", 0) > 0
        or any(m.lived_experience for m in people)
    )
    if not community_voice:
        gaps.append(Gap.COMMUNITY_LEVEL)
    if not any(m.lived_experience for m in people):
        gaps.append(Gap.LIVED_EXPERIENCE)
    counts = list(by_type.values())
    return Diversity(
        total=len(people),
        by_type=dict(by_type.most_common()),
        by_level=dict(by_level.most_common()),
        by_sector=dict(by_sector.most_common()),
        shannon=shannon(counts),
        simpson=simpson(counts),
        evenness=evenness(counts),
        gaps=gaps,
    )


def sparkline_points(
    values: Sequence[float], width: float = 120.0, height: float = 24.0, top: float | None = None
) -> str:
    """SVG polyline points for a small trend line, scaled to ``top`` (default the maximum)."""
    if not values:
        return ""
    high = top if top is not None else max(values)
    high = high if high > 0 else 1.0
    step = width / (len(values) - 1) if len(values) > 1 else 0.0
    points = []
    for index, value in enumerate(values):
        x = index * step if len(values) > 1 else width / 2
        y = height - (min(value, high) / high) * height
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)
