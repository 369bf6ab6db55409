"""The chosen pairs of scored blocks, and the ``Match`` records made from them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .matching_data import Match
from .matching_score import Block, Codes, Table
from .matching_text import FloatArray, IntArray

SERVED_BY = ("radius", "area", "anywhere", "unknown")


def best(block: Block, offer_ids: IntArray, limit: int) -> tuple[IntArray, IntArray]:
    """Cells of the block's best pairs, at most ``limit`` per need row, best first.

    Order: the uncapped score, highest first, then the offer's id, lowest first, so ties
    always break the same way (``offer_ids``: the ids of the block's columns).
    """
    raw = block.raw
    if raw.shape[1] > limit:
        # Only pairs at least as good as the row's limit-th best can be in its top list.
        kth = -np.partition(-raw, limit - 1, axis=1)[:, limit - 1 : limit]
        rows, cols = np.nonzero((raw >= kth) & np.isfinite(raw))
    else:
        rows, cols = np.nonzero(np.isfinite(raw))
    order = np.lexsort((offer_ids[cols], -raw[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, rows)  # where each row's run starts
    keep = np.arange(len(rows)) - first < limit
    return rows[keep], cols[keep]


PART_NAMES = ("category", "text", "distance", "quantity", "time", "priority")
FACT_NAMES = ("distance_km", "coverage", "boost", "overlap_days", "wait_days", "served_by")


@dataclass(frozen=True)
class Chosen:
    """Chosen cells of one or more blocks, as flat arrays (cheap to send between processes)."""

    need_rows: IntArray
    offer_rows: IntArray
    raw: FloatArray
    values: dict[str, FloatArray]  # every part and fact

    @classmethod
    def of(cls, block: Block, rows: IntArray, cols: IntArray) -> Chosen:
        values = {name: block.parts[name][rows, cols] for name in PART_NAMES}
        values.update({name: block.facts[name][rows, cols] for name in FACT_NAMES})
        return cls(block.needs[rows], block.offers[cols], block.raw[rows, cols], values)

    @classmethod
    def join(cls, chosen: Sequence[Chosen]) -> Chosen:
        if not chosen:
            empty = np.zeros(0, dtype=np.int64)
            return cls(
                empty, empty, np.zeros(0), {n: np.zeros(0) for n in (*PART_NAMES, *FACT_NAMES)}
            )
        return cls(
            np.concatenate([c.need_rows for c in chosen]),
            np.concatenate([c.offer_rows for c in chosen]),
            np.concatenate([c.raw for c in chosen]),
            {name: np.concatenate([c.values[name] for c in chosen]) for name in chosen[0].values},
        )

    def take(self, order: IntArray) -> Chosen:
        """These cells in the given order (a subset, or a new order)."""
        return Chosen(
            self.need_rows[order],
            self.offer_rows[order],
            self.raw[order],
            {name: values[order] for name, values in self.values.items()},
        )

    def records(self, needs: Table, offers: Table, codes: Codes) -> list[Match]:
        """``Match`` records, with plain floats, ints and strings, in the chosen order."""
        values = self.values
        parts = [np.round(values[name], 4).tolist() for name in PART_NAMES]
        facts: list[Sequence[float | str | None]] = [
            _plain(np.round(values[name], digits)) for name, digits in _DIGITS
        ]
        for name in ("overlap_days", "wait_days"):
            facts.append([None if math.isnan(v) else int(v) for v in values[name].tolist()])
        facts.append([SERVED_BY[int(x)] for x in values["served_by"].tolist()])
        facts.append([codes.unit_name(u) for u in needs.unit[self.need_rows].tolist()])
        facts.append(_plain(np.round(needs.risk[self.need_rows], 1)))
        facts.append(needs.urgency[self.need_rows].tolist())
        scores = np.round(np.minimum(self.raw, 1.0), 4).tolist()
        return [
            # positional arguments: noticeably faster for hundreds of thousands of records
            Match(n, o, s, dict(zip(PART_NAMES, p, strict=True)),
                  dict(zip(_FACT_KEYS, f, strict=True)))
            for n, o, s, p, f in zip(
                needs.ids[self.need_rows].tolist(),
                offers.ids[self.offer_rows].tolist(),
                scores,
                zip(*parts, strict=True),
                zip(*facts, strict=True),
                strict=True,
            )
        ]  # fmt: skip


_DIGITS = (("distance_km", 1), ("coverage", 3), ("boost", 3))
_FACT_KEYS = (
    *("distance_km", "coverage", "boost", "overlap_days", "wait_days", "served_by", "unit"),
    *("risk", "urgency"),
)


def matches(
    block: Block, rows: IntArray, cols: IntArray, needs: Table, offers: Table, codes: Codes
) -> list[Match]:
    """``Match`` records for the given cells of a block."""
    return Chosen.of(block, rows, cols).records(needs, offers, codes)


def _plain(values: FloatArray) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]
