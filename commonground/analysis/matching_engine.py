"""The matcher: needs and offers prepared once, then matched in blocks.

A full re-match never scores every pair. Needs are grouped into blocks of the same category
and the same cell of a grid of ``CELL_DEGREES`` (or of needs with areas but no point, or
with no place at all); each block is scored, all at once, against the only offers that could
match it:

* offers of a fitting category (the same one or a related one) or of ``other``: a pair of
  unrelated categories is left out even when its texts are alike, the one way in which the
  engine differs from scoring every pair (the benchmark measures the difference);
* of those, offers whose radius may reach the cell, offers serving one of the block's areas,
  offers serving anywhere (or with a radius too wide to index), and for needs with no place
  at all, every offer.

Scoring a block is ``matching_score.score_block``, the same code that scores one pair, so a
pair the engine considers gets exactly the score ``matching.score`` gives it. Within a block,
text (the costly part) is computed only for pairs that could still reach a need's top list.
A need with no point costs a scan of every offer of its categories: give needs a point.
"""
from __future__ import annotations

import gc
import math
import multiprocessing as mp
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from .matching_data import OTHER, Match, Need, Offer, fitting_categories
from .matching_score import (
    WEIGHT_NAMES,
    Block,
    Chosen,
    Codes,
    Table,
    best,
    document,
    fit_text,
    matches,
    need_table,
    offer_table,
    score_block,
)
from .matching_text import IntArray

CELL_DEGREES = 0.5  # about 55 km: a city's needs share a few blocks
_LON_CELLS = round(360 / CELL_DEGREES)
_KM_PER_DEGREE = 111.195
_MAX_CELLS = 144  # an offer reaching more cells than this is treated as serving anywhere
_MAX_PAIRS = 2_000_000  # pairs scored at once (memory: a few dozen arrays of this size)


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """The weights as a plain dict, or ValueError naming what is wrong with them."""
    unknown = sorted(set(weights) - set(WEIGHT_NAMES))
    missing = sorted(set(WEIGHT_NAMES) - set(weights))
    if unknown or missing:
        raise ValueError(
            f"Weights must name exactly {', '.join(WEIGHT_NAMES)}; "
            f"unknown: {', '.join(unknown) or 'none'}, missing: {', '.join(missing) or 'none'}."
        )
    if any(not math.isfinite(w) or w < 0 for w in weights.values()):
        raise ValueError("Weights must be finite numbers of zero or more.")
    if sum(weights.values()) <= 0:
        raise ValueError("At least one weight must be above zero.")
    return {name: float(weights[name]) for name in WEIGHT_NAMES}


def _cell(lon: float, lat: float) -> int:
    row = min(int((lat + 90) // CELL_DEGREES), round(180 / CELL_DEGREES) - 1)
    return row * _LON_CELLS + int((lon + 180) // CELL_DEGREES) % _LON_CELLS


def _disc_cells(lon: float, lat: float, radius_km: float) -> list[int] | None:
    """The grid cells a disc may touch (a superset), or None when it touches too many."""
    reach = radius_km * 1.01 / _KM_PER_DEGREE + 1e-6
    south, north = max(lat - reach, -90.0), min(lat + reach, 90.0)
    widest = math.cos(math.radians(max(abs(south), abs(north))))
    if widest < 0.01 or reach / widest >= 180:
        return None
    west, east = lon - reach / widest, lon + reach / widest
    rows = range(_cell(0, south) // _LON_CELLS, _cell(0, north) // _LON_CELLS + 1)
    first = int((west + 180) // CELL_DEGREES)
    cols = [c % _LON_CELLS for c in range(first, int((east + 180) // CELL_DEGREES) + 1)]
    if len(rows) * len(cols) > _MAX_CELLS:
        return None
    return [r * _LON_CELLS + c for r in rows for c in cols]


class Matcher:
    """Needs and offers prepared for matching: one text model, tables and a spatial index.

    Build it once (a worker may keep it) and ask it many questions: ``for_need`` of a new
    need answers in milliseconds even against tens of thousands of offers.
    """

    def __init__(
        self,
        needs: Sequence[Need],
        offers: Sequence[Offer],
        *,
        today: object,
        weights: Mapping[str, float],
    ) -> None:
        self.today = int(today.toordinal())  # type: ignore[attr-defined]
        self.weights = check_weights(weights)
        self.codes = Codes()
        self.model, need_text, offer_text = fit_text(needs, offers)
        self.needs = need_table(needs, self.codes, need_text)
        self.offers = offer_table(offers, self.codes, offer_text)
        self._fit = self.codes.fit_matrix()
        self._index: dict[str, dict[object, IntArray]] | None = None

    # --- one side against all of the other -------------------------------------------------

    def _score(
        self,
        needs: Table,
        need_rows: IntArray,
        offers: Table,
        offer_rows: IntArray,
        limit: int | None = None,
    ) -> Block:
        if self._fit.shape[0] < len(self.codes.categories):
            self._fit = self.codes.fit_matrix()
        return score_block(
            needs, need_rows, offers, offer_rows,
            today=self.today, fit=self._fit, weights=self.weights, limit=limit,
        )  # fmt: skip

    def _wanted(self, category: int) -> list[int]:
        """Category codes whose posts can match a post of this one: fitting ones and
        ``other`` (for ``other`` itself, every category)."""
        name = self._name(category)
        if name == OTHER:
            return list(self.codes.categories.values())
        return [self.codes.category(c) for c in (*fitting_categories(name), OTHER)]

    def _fitting(self, category: int, rows_category: IntArray) -> IntArray:
        """Rows (of the other side) whose category is wanted by ``category``."""
        return np.flatnonzero(np.isin(rows_category, self._wanted(category))).astype(np.int64)

    def score(self, need: Need, offer: Offer) -> Match | None:
        needs, offers = self._one_need(need), self._one_offer(offer)
        one = np.zeros(1, dtype=np.int64)
        block = self._score(needs, one, offers, one)
        rows, cols = best(block, offers.ids, 1)
        found = matches(block, rows, cols, needs, offers, self.codes)
        return found[0] if found else None

    def _one_need(self, need: Need) -> Table:
        return need_table([need], self.codes, self.model.transform([document(need)]))

    def _one_offer(self, offer: Offer) -> Table:
        return offer_table([offer], self.codes, self.model.transform([document(offer)]))

    def for_need(self, need: Need, limit: int = 10) -> list[Match]:
        """The best offers for one need (in the matcher's needs or not), best first."""
        needs = self._one_need(need)
        candidates = self._fitting(int(needs.category[0]), self.offers.category)
        one = np.zeros(1, dtype=np.int64)
        found: list[tuple[float, int, Match]] = []
        for chunk in _chunks(candidates, _MAX_PAIRS):
            block = self._score(needs, one, self.offers, chunk, limit)
            rows, cols = best(block, self.offers.ids[chunk], limit)
            ranked = matches(block, rows, cols, needs, self.offers, self.codes)
            found += zip((-block.raw[rows, cols]).tolist(), [m.offer_id for m in ranked], ranked)
        return [m for *_, m in sorted(found, key=lambda t: t[:2])[:limit]]

    def for_offer(self, offer: Offer, limit: int = 10) -> list[Match]:
        """The needs one offer could serve best, best first (the needs' priority counts)."""
        offers = self._one_offer(offer)
        candidates = self._fitting(int(offers.category[0]), self.needs.category)
        one = np.zeros(1, dtype=np.int64)
        found: list[tuple[float, int, Match]] = []
        for chunk in _chunks(candidates, _MAX_PAIRS):
            block = self._score(self.needs, chunk, offers, one)
            raw = block.raw[:, 0]
            rows = np.lexsort((self.needs.ids[chunk], -raw))[:limit]
            rows = rows[np.isfinite(raw[rows])]
            ranked = matches(block, rows, np.zeros_like(rows), self.needs, offers, self.codes)
            found += zip((-raw[rows]).tolist(), [m.need_id for m in ranked], ranked)
        return [m for *_, m in sorted(found, key=lambda t: t[:2])[:limit]]

    # --- everything ------------------------------------------------------------------------

    def all(self, limit: int = 10, workers: int = 1) -> dict[int, list[Match]]:
        """The best offers for every need, by need id (needs with no match are left out).

        ``workers`` > 1 scores blocks in that many forked processes (where the platform can
        fork; otherwise here).
        """
        blocks = list(self.blocks())
        if workers > 1 and len(blocks) > 1 and "fork" in mp.get_all_start_methods():
            global _FORKED
            _FORKED = (self, blocks, limit)
            shares = [list(range(i, len(blocks), workers * 4)) for i in range(workers * 4)]
            try:
                with mp.get_context("fork").Pool(workers) as pool:
                    chosen = Chosen.join(pool.map(_run_share, shares))
            finally:
                _FORKED = None
        else:
            chosen = Chosen.join([self._choose(rows, offers, limit) for rows, offers in blocks])
        # Hundreds of thousands of small records: the cyclic garbage collector would walk the
        # whole heap again and again while they are made, for nothing (they hold no cycles).
        collecting = gc.isenabled()
        gc.disable()
        try:
            found: dict[int, list[Match]] = {}
            for match in chosen.records(self.needs, self.offers, self.codes):
                found.setdefault(match.need_id, []).append(match)
        finally:
            if collecting:
                gc.enable()
        return dict(sorted(found.items()))

    def _choose(self, need_rows: IntArray, offer_rows: IntArray, limit: int) -> Chosen:
        block = self._score(self.needs, need_rows, self.offers, offer_rows, limit)
        rows, cols = best(block, self.offers.ids[offer_rows], limit)
        return Chosen.of(block, rows, cols)

    def exhaustive(self, limit: int = 10) -> dict[int, list[Match]]:
        """What ``all`` answers, by scoring every pair: no blocks, no pruning (slow; for
        checking the engine)."""
        found: dict[int, list[Match]] = {}
        offer_rows = np.arange(len(self.offers), dtype=np.int64)
        step = max(1, _MAX_PAIRS // max(1, len(self.offers)))
        for start in range(0, len(self.needs), step):
            need_rows = np.arange(start, min(start + step, len(self.needs)), dtype=np.int64)
            block = self._score(self.needs, need_rows, self.offers, offer_rows)
            rows, cols = best(block, self.offers.ids, limit)
            for match in matches(block, rows, cols, self.needs, self.offers, self.codes):
                found.setdefault(match.need_id, []).append(match)
        return dict(sorted(found.items()))

    def blocks(self) -> Iterator[tuple[IntArray, IntArray]]:
        """(need rows, candidate offer rows) blocks covering every need (module docstring)."""
        index = self._spatial_index()
        needs = self.needs
        has_point = ~np.isnan(needs.lon) & ~np.isnan(needs.lat)
        has_areas = np.diff(needs.areas.indptr) > 0
        # cell -1: areas but no point; -2: no place at all
        cells = np.where(has_areas, -1, -2).astype(np.int64)
        for row in np.flatnonzero(has_point).tolist():
            cells[row] = _cell(float(needs.lon[row]), float(needs.lat[row]))
        key = needs.category * (180 * _LON_CELLS + 2) + (cells + 2)
        order = np.argsort(key, kind="stable")
        for rows in np.split(order, np.flatnonzero(np.diff(key[order])) + 1):
            if len(rows) == 0:
                continue
            category, cell = int(needs.category[rows[0]]), int(cells[rows[0]])
            areas = np.unique(needs.areas.terms[_rows_of(needs.areas.indptr, rows)]).tolist()
            parts: list[IntArray] = []
            for c in self._wanted(category):
                if cell == -2:
                    parts.append(index["all"].get(c, _EMPTY))
                    continue
                parts.append(index["anywhere"].get(c, _EMPTY))
                parts += [index["area"].get((c, a), _EMPTY) for a in areas]
                if cell >= 0:
                    parts.append(index["cell"].get((c, cell), _EMPTY))
            offers = np.unique(np.concatenate(parts)) if parts else _EMPTY
            if len(offers) == 0:
                continue
            step = max(1, _MAX_PAIRS // len(offers))
            for start in range(0, len(rows), step):
                yield rows[start : start + step], offers

    def _name(self, category: int) -> str:
        for name, code in self.codes.categories.items():
            if code == category:
                return name
        raise KeyError(category)

    def _spatial_index(self) -> dict[str, dict[object, IntArray]]:
        """Offer rows by (category, cell) its radius may reach, by (category, area) it
        serves, and per category: offers serving anywhere (or too wide to index), all."""
        if self._index is not None:
            return self._index
        lists: dict[str, defaultdict[object, list[int]]] = {
            kind: defaultdict(list) for kind in ("cell", "area", "anywhere", "all")
        }
        offers = self.offers
        has_radius = ~np.isnan(offers.lon) & ~np.isnan(offers.lat) & ~np.isnan(offers.radius)
        indptr, terms = offers.areas.indptr, offers.areas.terms
        for row in range(len(offers)):
            category = int(offers.category[row])
            lists["all"][category].append(row)
            areas = terms[indptr[row] : indptr[row + 1]].tolist()
            for area in areas:
                lists["area"][(category, area)].append(row)
            if has_radius[row]:
                cells = _disc_cells(
                    float(offers.lon[row]), float(offers.lat[row]), float(offers.radius[row])
                )
                for cell in cells or ():
                    lists["cell"][(category, cell)].append(row)
                if cells is None:
                    lists["anywhere"][category].append(row)
            elif not areas:
                lists["anywhere"][category].append(row)
        self._index = {
            kind: {key: np.array(rows, dtype=np.int64) for key, rows in table.items()}
            for kind, table in lists.items()
        }
        return self._index


_EMPTY = np.zeros(0, dtype=np.int64)
_FORKED: tuple[Matcher, list[tuple[IntArray, IntArray]], int] | None = None


def _run_share(share: list[int]) -> Chosen:
    """In a forked worker: score some of the blocks of the matcher the parent set up."""
    assert _FORKED is not None
    matcher, blocks, limit = _FORKED
    return Chosen.join([matcher._choose(*blocks[i], limit) for i in share])


def _rows_of(indptr: IntArray, rows: IntArray) -> IntArray:
    """Positions of the given CSR rows' entries."""
    starts, lengths = indptr[rows], indptr[rows + 1] - indptr[rows]
    total = int(lengths.sum())
    if total == 0:
        return _EMPTY
    return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)


def _chunks(rows: IntArray, size: int) -> Iterator[IntArray]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
