"""A composite risk index per area, in the style of the INFORM Risk Index.

Three dimensions, each scored 0 (best) to 10 (worst):

* **hazard & exposure** (``hazard_exposure``): who and what lies in harm's way;
* **vulnerability** (``vulnerability``): how badly people would be affected;
* **lack of coping capacity** (``lack_of_coping_capacity``): what is missing to respond.

Indicator scores
    Each indicator is min-max normalised across the areas to 0-10: ``10 × (x − min) / (max −
    min)`` when higher is worse, ``10 × (max − x) / (max − min)`` when higher is better. The
    coalition may fix the bounds (``minimum``/``maximum``, INFORM's "goalposts") so that scores
    stay comparable between runs; values beyond them are clipped. An indicator equal in every
    area carries no information and scores 5 (the midpoint) everywhere.

Dimensions
    The weighted arithmetic mean of their indicators' scores. Default weights are equal (1.0
    each), INFORM's own choice within most components. An indicator missing for an area is left
    out of that area's mean and the other weights renormalised; a dimension with no indicator
    value is missing, and so is the risk.

Risk
    The geometric mean of the three dimensions, ``(HE × V × LCC) ** (1/3)``, as INFORM does: a
    very low score in one dimension pulls the risk down more than an arithmetic mean would
    (no exposure, no risk). ``rank`` 1 is the area most at risk; ties share the best rank.

Roll-up (community → sub-city → city)
    A parent's dimension scores are the population-weighted means of its children's; children
    without a population figure are left out of the mean (if none has one, a plain mean is
    used). The parent's risk is then recomputed from its rolled-up dimensions by the same
    geometric mean, so the formula holds at every level; ranks are within a level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from .errors import LayerError


class Dimension(StrEnum):
    HAZARD_EXPOSURE = "hazard_exposure"
    VULNERABILITY = "vulnerability"
    LACK_OF_COPING_CAPACITY = "lack_of_coping_capacity"


DIMENSIONS: tuple[Dimension, ...] = tuple(Dimension)


@dataclass(frozen=True)
class Indicator:
    """One column of the input and how it feeds a dimension."""

    column: str
    dimension: Dimension
    higher_is_worse: bool = True
    weight: float = 1.0
    minimum: float | None = None  # fixed goalposts; default: the range across areas
    maximum: float | None = None


# A sensible starting set for the columns the exposure and capacity analyses produce; the
# coalition edits weights and adds its own (survey, census) indicators.
DEFAULT_INDICATORS: tuple[Indicator, ...] = (
    Indicator("exposed_population_share", Dimension.HAZARD_EXPOSURE),
    Indicator("exposed_share", Dimension.HAZARD_EXPOSURE),
    Indicator("vulnerable_population_share", Dimension.VULNERABILITY),
    Indicator("per_1000", Dimension.LACK_OF_COPING_CAPACITY, higher_is_worse=False),
    Indicator("share_beyond", Dimension.LACK_OF_COPING_CAPACITY),
)


def normalise(
    values: pd.Series,
    *,
    higher_is_worse: bool = True,
    minimum: float | None = None,
    maximum: float | None = None,
) -> pd.Series:
    """Scores 0-10 (10 = worst) by min-max over the values or the given goalposts."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    low = float(numbers.min()) if minimum is None else minimum
    high = float(numbers.max()) if maximum is None else maximum
    if np.isnan(low) or np.isnan(high):
        return pd.Series(np.nan, index=values.index)
    if high <= low:
        return numbers.where(numbers.isna(), 5.0)
    scaled = (numbers.clip(low, high) - low) / (high - low) * 10
    return scaled if higher_is_worse else 10 - scaled


def risk_index(
    table: pd.DataFrame,
    indicators: Sequence[Indicator] = DEFAULT_INDICATORS,
    *,
    area_column: str = "area",
) -> pd.DataFrame:
    """Scores, dimensions, risk and rank for every row (area) of ``table``.

    Returns ``table``'s ``area_column`` and any other non-indicator columns, then one
    ``score_<column>`` per indicator, the three dimensions, ``risk`` and ``rank`` (1 = most at
    risk), sorted by rank. Every dimension needs at least one indicator.
    """
    _check(table, indicators, area_column)
    result = table.copy()
    for dimension in DIMENSIONS:
        members = [i for i in indicators if i.dimension == dimension]
        scores = pd.DataFrame(
            {
                i.column: normalise(
                    table[i.column],
                    higher_is_worse=i.higher_is_worse,
                    minimum=i.minimum,
                    maximum=i.maximum,
                )
                for i in members
            },
            index=table.index,
        )
        for i in members:
            result[f"score_{i.column}"] = scores[i.column]
        weights = pd.Series({i.column: i.weight for i in members})
        present = scores.notna()
        total_weight = present.mul(weights, axis=1).sum(axis=1)
        weighted = scores.fillna(0).mul(weights, axis=1).sum(axis=1)
        result[dimension.value] = (weighted / total_weight).where(total_weight > 0)
    return _ranked(result)


def _check(table: pd.DataFrame, indicators: Sequence[Indicator], area_column: str) -> None:
    if area_column not in table:
        raise LayerError(f"The table has no column '{area_column}' naming the areas.")
    missing = [i.column for i in indicators if i.column not in table]
    if missing:
        raise LayerError(
            f"The table has no column for the indicator(s) {', '.join(missing)}; its columns "
            f"are: {', '.join(map(str, table.columns))}."
        )
    for i in indicators:
        if i.weight < 0:
            raise LayerError(f"The weight of {i.column} is negative; weights are 0 or more.")
    empty = [d.value for d in DIMENSIONS if not any(i.dimension == d for i in indicators)]
    if empty:
        raise LayerError(f"Each dimension needs an indicator; none for: {', '.join(empty)}.")


def _ranked(result: pd.DataFrame) -> pd.DataFrame:
    dims = result[[d.value for d in DIMENSIONS]]
    result["risk"] = np.cbrt(dims.prod(axis=1, skipna=False))
    result["rank"] = result["risk"].rank(ascending=False, method="min").astype("Int64")
    return result.sort_values(["rank"], kind="stable", na_position="last").reset_index(drop=True)


def roll_up(
    scored: pd.DataFrame,
    levels: Sequence[str],
    *,
    population_column: str = "population",
) -> pd.DataFrame:
    """Dimensions, risk and rank at every level, from the finest (``levels[0]``) up.

    ``scored`` has one row per finest area (e.g. the output of ``risk_index`` with community,
    sub-city and city columns joined on). ``levels`` names its hierarchy columns from finest to
    coarsest, e.g. ``["community", "sub_city", "city"]``. Returns rows with ``level`` (the column
    name), ``area``, ``parent`` (the next level up, missing at the top), ``population``, the
    three dimensions, ``risk`` and ``rank`` within the level.
    """
    if not levels:
        raise LayerError("Name at least one level of areas to roll up.")
    needed = [*levels, population_column, *(d.value for d in DIMENSIONS)]
    missing = [c for c in needed if c not in scored]
    if missing:
        raise LayerError(f"The table has no column {', '.join(missing)} for the roll-up.")
    frames = []
    for depth, level in enumerate(levels):
        parent = levels[depth + 1] if depth + 1 < len(levels) else None
        keys = [level] if parent is None else [level, parent]
        grouped = scored.groupby(keys, sort=False, dropna=False)
        rows = grouped.apply(_weighted_dimensions, population_column, include_groups=False)
        rows = rows.reset_index().rename(columns={level: "area"})
        rows["parent"] = rows.pop(parent) if parent else None
        rows.insert(0, "level", level)
        frames.append(_ranked(rows))
    columns = ["level", "area", "parent", "population", *(d.value for d in DIMENSIONS)]
    return pd.concat(frames, ignore_index=True)[[*columns, "risk", "rank"]]


def _weighted_dimensions(group: pd.DataFrame, population_column: str) -> pd.Series:
    people = pd.to_numeric(group[population_column], errors="coerce")
    out = {"population": float(people.sum(min_count=1)) if people.notna().any() else np.nan}
    for dimension in DIMENSIONS:
        values = group[dimension.value].astype(float)
        usable = values.notna() & people.notna() & (people > 0)
        if usable.any():
            out[dimension.value] = float(np.average(values[usable], weights=people[usable]))
        else:
            out[dimension.value] = float(values.mean()) if values.notna().any() else np.nan
    return pd.Series(out)
