"""The matching engine: blocks, pruning and workers give what scoring every pair gives."""

from __future__ import annotations

import multiprocessing
import random

import pytest

from commonground.analysis import matching_engine
from commonground.analysis.matching import (
    DEFAULT_WEIGHTS,
    Matcher,
    match_all,
    matches_for_need,
    matches_for_offer,
    score,
)

from .posts import KM, LAT, TODAY, need, offer, town


class TestEngine:
    def test_match_all_agrees_with_scoring_every_pair_by_the_engines_rule(self) -> None:
        needs, offers = town(1, 300, 200)
        matcher = Matcher(needs, offers, today=TODAY, weights=DEFAULT_WEIGHTS)
        assert matcher.all(limit=5) == matcher.exhaustive(limit=5, strict=True)

    def test_big_cells_split_by_category_give_the_same_answer(self) -> None:
        needs, offers = town(6, 300, 200)
        matcher = Matcher(needs, offers, today=TODAY, weights=DEFAULT_WEIGHTS)
        merged = matcher.all(limit=5)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(matching_engine, "_MERGE_PAIRS", 0)
            assert len(list(matcher.blocks())) > 3 * len(set(n.category for n in needs))
            assert matcher.all(limit=5) == merged

    def test_the_engine_leaves_out_unrelated_categories_even_with_alike_texts(self) -> None:
        misfiled = offer(category="food", subcategory="", description="")
        assert score(need(description=""), misfiled, today=TODAY) is not None
        assert match_all([need(description="")], [misfiled], today=TODAY) == {}

    def test_one_need_gets_what_the_full_rematch_gives_it(self) -> None:
        needs, offers = town(2, 120, 150)
        matcher = Matcher(needs, offers, today=TODAY, weights=DEFAULT_WEIGHTS)
        everything = matcher.all(limit=3)
        for n in needs[:40]:
            assert matcher.for_need(n, limit=3) == everything.get(n.id, [])

    def test_one_offer_gets_every_need_it_could_serve_best_first(self) -> None:
        needs, offers = town(3, 200, 30)
        matcher = Matcher(needs, offers, today=TODAY, weights=DEFAULT_WEIGHTS)
        everything = matcher.exhaustive(limit=len(offers), strict=True)
        for o in offers:
            expected = {
                m.need_id: m for ms in everything.values() for m in ms if m.offer_id == o.id
            }
            found = matcher.for_offer(o, limit=len(needs))
            assert {m.need_id: m for m in found} == expected
            assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)

    def test_results_do_not_depend_on_the_input_order(self) -> None:
        needs, offers = town(4, 100, 100)
        shuffled_needs, shuffled_offers = needs[:], offers[:]
        random.Random(9).shuffle(shuffled_needs)
        random.Random(9).shuffle(shuffled_offers)
        assert match_all(needs, offers, today=TODAY, limit=5) == match_all(
            shuffled_needs, shuffled_offers, today=TODAY, limit=5
        )

    @pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
    def test_workers_give_the_same_answer(self) -> None:
        needs, offers = town(5, 200, 150)
        matcher = Matcher(needs, offers, today=TODAY, weights=DEFAULT_WEIGHTS)
        assert matcher.all(limit=5, workers=2) == matcher.all(limit=5)

    def test_needs_without_matches_are_left_out(self) -> None:
        lonely = need(id=99, category="food", subcategory="", title="Rice", description="")
        found = match_all([need(), lonely], [offer()], today=TODAY)
        assert list(found) == [1]

    def test_a_radius_too_wide_to_index_still_matches(self) -> None:
        continent = offer(lat=LAT + 2000 * KM, radius_km=3000.0)
        assert [m.offer_id for m in match_all([need()], [continent], today=TODAY)[1]] == [10]

    def test_nothing_in_nothing_out(self) -> None:
        assert match_all([], [], today=TODAY) == {}
        assert matches_for_need(need(), [], today=TODAY) == []
        assert matches_for_offer(offer(), [], today=TODAY) == []
