"""The matcher: needs and offers prepared once, then matched in blocks.

The engine's one rule beyond ``matching.score``: a need and an offer of unrelated categories
(neither the same, nor related, nor ``other``) never pair, even when their texts are alike;
``score`` lets alike texts carry them. This is what lets a full re-match skip most pairs; the
benchmark measures what it costs (recall against scoring every pair).

A full re-match never scores every pair. Needs are grouped by the cell of a grid of
``CELL_DEGREES`` they lie in (or as needs with areas but no point, or with no place at all),
then by category when the cell is big; each block is scored, all at once, against the only
offers that could match it: offers of a category its needs can pair with, and of those,
offers whose radius may reach the cell, offers serving one of the block's areas, offers
serving anywhere (or with a radius too wide to index), and for needs with no place, all.

Scoring a block is ``matching_score.score_block``, the same code that scores one pair, so a
pair the engine considers gets exactly the score ``score`` gives it. Within a block, text (the
costly part) is computed only for pairs that could still reach a need's top list. A need with
no point costs a scan of every offer serving its areas (or of every offer, with no areas).
"""

from __future__ import annotations

import datetime
import functools
import gc
import math
import multiprocessing as mp
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import ParamSpec, TypeVar

import numpy as np
from threadpoolctl import ThreadpoolController

from .errors import LayerError
from .matching_data import OTHER, Match, Need, Offer, fitting_categories
from .matching_results import Chosen, best, matches
from .matching_score import (
    WEIGHT_NAMES,
    Block,
    Codes,
    Table,
    document,
    fit_text,
    need_table,
    offer_table,
    score_block,
)
from .matching_text import IntArray, ranges

CELL_DEGREES = 0.5  # about 55 km: a city's needs share a few blocks
_LON_CELLS = round(360 / CELL_DEGREES)
_KM_PER_DEGREE = 111.195
_MAX_CELLS = 144  # an offer reaching more cells than this is treated as serving anywhere
_MAX_PAIRS = 2_000_000  # pairs scored at once (memory: a few dozen arrays of this size)
_MERGE_PAIRS = 200_000  # a cell with fewer candidate pairs is one block, all categories


_P = ParamSpec("_P")
_R = TypeVar("_R")
_BLAS: list[ThreadpoolController] = []


def _one_blas_thread(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run with BLAS held to one thread: matching does many small matrix products, which a
    threaded BLAS makes several times slower when the cores are busy. Parallel work is done
    by whole blocks instead (``Matcher.all(workers=...)``)."""

    @functools.wraps(method)
    def limited(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not _BLAS:
            _BLAS.append(ThreadpoolController())
        with _BLAS[0].limit(limits=1, user_api="blas"):
            return method(*args, **kwargs)

    return limited


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """The weights as a plain dict, or ``LayerError`` saying what is wrong with them."""
    unknown = sorted(set(weights) - set(WEIGHT_NAMES))
    missing = sorted(set(WEIGHT_NAMES) - set(weights))
    if unknown or missing:
        raise LayerError(
            f"Weights must name exactly {', '.join(WEIGHT_NAMES)}; "
            f"unknown: {', '.join(unknown) or 'none'}, missing: {', '.join(missing) or 'none'}."
        )
    if any(not math.isfinite(w) or w < 0 for w in weights.values()):
        raise LayerError("Weights must be finite numbers of zero or more.")
    if sum(weights.values()) <= 0:
        raise LayerError("At least one weight must be above zero.")
    return {name: float(weights[name]) for name in WEIGHT_NAMES}


def _check_limit(limit: int) -> None:
    if limit < 1:
        raise LayerError(f"The number of matches to keep must be 1 or more, not {limit}.")


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
        today: datetime.date,
        weights: Mapping[str, float],
    ) -> None:
        self.today = today.toordinal()
        self.weights = check_weights(weights)
        self.codes = Codes()
        self.model, need_text, offer_text = fit_text(needs, offers)
        self.needs = need_table(needs, self.codes, need_text)
        self.offers = offer_table(offers, self.codes, offer_text)
        self._fit, self._pairable = self.codes.fit_matrix(), self.codes.pairable_matrix()
        self._index: dict[str, dict[object, IntArray]] | None = None

    # --- one side against all of the other -------------------------------------------------

    def _score(
        self,
        needs: Table,
        need_rows: IntArray,
        offers: Table,
        offer_rows: IntArray,
        limit: int | None = None,
        *,
        strict: bool = True,
    ) -> Block:
        """Score a block; ``strict``: the engine's rule, unrelated categories never pair."""
        if self._fit.shape[0] < len(self.codes.categories):  # a query brought a new category
            self._fit, self._pairable = self.codes.fit_matrix(), self.codes.pairable_matrix()
        return score_block(
            needs, need_rows, offers, offer_rows,
            today=self.today, fit=self._fit, weights=self.weights, limit=limit,
            pairable=self._pairable if strict else None,
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

    @_one_blas_thread
    def score(self, need: Need, offer: Offer) -> Match | None:
        """The match of one pair as ``matching.score`` defines it (text may carry unrelated
        categories), with this matcher's text model."""
        needs, offers = self._one_need(need), self._one_offer(offer)
        one = np.zeros(1, dtype=np.int64)
        block = self._score(needs, one, offers, one, strict=False)
        rows, cols = best(block, offers.ids, 1)
        found = matches(block, rows, cols, needs, offers, self.codes)
        return found[0] if found else None

    def _one_need(self, need: Need) -> Table:
        return need_table([need], self.codes, self.model.transform([document(need)]))

    def _one_offer(self, offer: Offer) -> Table:
        return offer_table([offer], self.codes, self.model.transform([document(offer)]))

    @_one_blas_thread
    def for_need(self, need: Need, limit: int = 10) -> list[Match]:
        """The best offers for one need (in the matcher's needs or not), best first."""
        _check_limit(limit)
        needs = self._one_need(need)
        one = np.zeros(1, dtype=np.int64)
        chosen = []
        for chunk in _chunks(self._fitting(int(needs.category[0]), self.offers.category)):
            block = self._score(needs, one, self.offers, chunk, limit)
            chosen.append(Chosen.of(block, *best(block, self.offers.ids[chunk], limit)))
        found = Chosen.join(chosen)
        order = np.lexsort((self.offers.ids[found.offer_rows], -found.raw))[:limit]
        return found.take(order).records(needs, self.offers, self.codes)

    @_one_blas_thread
    def for_offer(self, offer: Offer, limit: int = 10) -> list[Match]:
        """The needs one offer could serve best, best first (the needs' priority counts)."""
        _check_limit(limit)
        offers = self._one_offer(offer)
        one = np.zeros(1, dtype=np.int64)
        chosen = []
        for chunk in _chunks(self._fitting(int(offers.category[0]), self.needs.category)):
            block = self._score(self.needs, chunk, offers, one)
            rows = np.flatnonzero(np.isfinite(block.raw[:, 0]))
            chosen.append(Chosen.of(block, rows, np.zeros_like(rows)))
        found = Chosen.join(chosen)
        order = np.lexsort((self.needs.ids[found.need_rows], -found.raw))[:limit]
        return found.take(order).records(self.needs, offers, self.codes)

    # --- everything ------------------------------------------------------------------------

    @_one_blas_thread
    def all(self, limit: int = 10, workers: int = 1) -> dict[int, list[Match]]:
        """The best offers for every need, by need id (needs with no match are left out).

        ``workers`` > 1 scores blocks in that many forked processes (where the platform can
        fork; otherwise here).
        """
        _check_limit(limit)
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

    @_one_blas_thread
    def exhaustive(self, limit: int = 10, *, strict: bool = False) -> dict[int, list[Match]]:
        """The best offers of every need by scoring every pair as ``score`` does: no blocks,
        no pruning (slow; for checking the engine). ``strict``: with the engine's rule on
        categories, which makes it what ``all`` answers."""
        found: dict[int, list[Match]] = {}
        offer_rows = np.arange(len(self.offers), dtype=np.int64)
        step = max(1, _MAX_PAIRS // max(1, len(self.offers)))
        for start in range(0, len(self.needs), step):
            need_rows = np.arange(start, min(start + step, len(self.needs)), dtype=np.int64)
            block = self._score(self.needs, need_rows, self.offers, offer_rows, strict=strict)
            rows, cols = best(block, self.offers.ids, limit)
            for match in matches(block, rows, cols, self.needs, self.offers, self.codes):
                found.setdefault(match.need_id, []).append(match)
        return dict(sorted(found.items()))

    def blocks(self) -> Iterator[tuple[IntArray, IntArray]]:
        """(need rows, candidate offer rows) blocks covering every need (module docstring).

        A cell's needs are split by category when that saves work; when the cell is small,
        one block for all its categories costs less than many tiny ones.
        """
        needs = self.needs
        has_point = ~np.isnan(needs.lon) & ~np.isnan(needs.lat)
        # cell -1: areas but no point; -2: no place at all
        cells = np.where(np.diff(needs.areas.indptr) > 0, -1, -2).astype(np.int64)
        for row in np.flatnonzero(has_point).tolist():
            cells[row] = _cell(float(needs.lon[row]), float(needs.lat[row]))
        for rows in _groups(cells):
            cell = int(cells[rows[0]])
            split = []
            for positions in _groups(needs.category[rows]):
                group = rows[positions]
                split.append((group, self._candidates(int(needs.category[group[0]]), cell, group)))
            if sum(len(r) * len(o) for r, o in split) > _MERGE_PAIRS:
                parts = split
            else:
                parts = [(rows, np.unique(np.concatenate([o for _, o in split])))]
            for need_rows, offers in parts:
                if len(offers) == 0:
                    continue
                step = max(1, _MAX_PAIRS // len(offers))
                for start in range(0, len(need_rows), step):
                    yield need_rows[start : start + step], offers

    def _candidates(self, category: int, cell: int, rows: IntArray) -> IntArray:
        """Offer rows that may match needs of this category in this cell (the given rows)."""
        index = self._spatial_index()
        indptr = self.needs.areas.indptr
        positions = ranges(indptr[rows], indptr[rows + 1] - indptr[rows])
        areas = np.unique(self.needs.areas.terms[positions])
        parts: list[IntArray] = []
        for c in self._wanted(category):
            if cell == -2:
                parts.append(index["all"].get(c, _EMPTY))
                continue
            parts.append(index["anywhere"].get(c, _EMPTY))
            parts += [index["area"].get((c, a), _EMPTY) for a in areas.tolist()]
            if cell >= 0:
                parts.append(index["cell"].get((c, cell), _EMPTY))
        return np.unique(np.concatenate(parts)) if parts else _EMPTY

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


def _groups(keys: IntArray) -> list[IntArray]:
    """Positions of equal keys, group by group (in key order)."""
    order = np.argsort(keys, kind="stable")
    return [g for g in np.split(order, np.flatnonzero(np.diff(keys[order])) + 1) if len(g)]


def _chunks(rows: IntArray, size: int = _MAX_PAIRS) -> Iterator[IntArray]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
