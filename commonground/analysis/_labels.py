"""Class values as users type them: "YES", "Yes " and "yes" are one class.

Values are compared after ``str``, trimming and case-folding; integral floats (a class 1 read as
1.0 because the column has blanks) compare as integers. The label shown for a class is the
spelling the user gave, or else the most frequent spelling in the data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

# Vocabularies whose severity order is not in doubt, most severe first. A layer whose classes
# all belong to one of them needs no explicit order.
KNOWN_ORDERS: tuple[tuple[str, ...], ...] = (
    ("yes", "no"),
    ("true", "false"),
    ("very high", "high", "moderate", "medium", "low", "very low"),
)


def normalise(value: Any) -> str | None:
    """The comparison key of a class value; None for blanks and missing values."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    if value is pd.NA or value is pd.NaT:
        return None
    text = str(value).strip().casefold()
    return text or None


def natural_key(text: str) -> tuple[Any, ...]:
    """Sort "Zone 2" before "Zone 10"."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text.casefold()))


@dataclass(frozen=True)
class Coded:
    """A column turned into integer codes over normalised classes (-1 for missing)."""

    codes: NDArray[np.intp]
    keys: list[str]  # normalised key per code
    labels: list[str]  # display label per code


def encode(values: pd.Series) -> Coded:
    """Factorise first and normalise only the distinct values: cheap on a million rows."""
    raw_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    counts = np.bincount(raw_codes[raw_codes >= 0], minlength=len(uniques))
    keys: list[str] = []
    index: dict[str, int] = {}
    best: dict[str, tuple[int, str]] = {}
    remap = np.full(len(uniques) + 1, -1, dtype=np.intp)  # last slot maps the -1 sentinel
    for i, value in enumerate(uniques):
        key = normalise(value)
        if key is None:
            continue
        if key not in index:
            index[key] = len(keys)
            best[key] = (-1, "")
            keys.append(key)
        remap[i] = index[key]
        spelling = str(value).strip()
        if counts[i] > best[key][0]:
            best[key] = (int(counts[i]), spelling)
    codes = remap[np.asarray(raw_codes, dtype=np.intp)]
    return Coded(codes, keys, [best[k][1] for k in keys])


def recode(coded: Coded, order: Sequence[str]) -> NDArray[np.intp]:
    """Codes re-expressed as positions in ``order`` (normalised keys); -1 when not listed."""
    position = {key: i for i, key in enumerate(order)}
    lookup = np.array([position.get(k, -1) for k in coded.keys] + [-1], dtype=np.intp)
    return lookup[coded.codes]


def default_order(keys: Sequence[str]) -> tuple[list[str], bool]:
    """A severity order for classes the user did not order, and whether it is a guess.

    Known vocabularies (yes/no, high/medium/low) order themselves; anything else is sorted
    naturally and flagged, because only the user knows which class is worst.
    """
    present = set(keys)
    for vocabulary in KNOWN_ORDERS:
        if present <= set(vocabulary):
            return [k for k in vocabulary if k in present], False
    return sorted(present, key=natural_key), len(present) > 1
