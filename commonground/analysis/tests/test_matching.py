"""Matching needs with offers: hand-made cases where the right answer is obvious."""

from __future__ import annotations

import dataclasses
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from commonground.analysis.errors import LayerError
from commonground.analysis.matching import (
    CATEGORIES,
    DEFAULT_WEIGHTS,
    RELATED,
    Match,
    Need,
    Offer,
    canonical_unit,
    category_fit,
    match_all,
    matches_for_need,
    matches_for_offer,
    score,
    text_similarity,
)
from commonground.analysis.matching_text import normalise

from .posts import KM, LAT, TODAY, days, need, offer


def scored(n: Need, o: Offer) -> Match:
    match = score(n, o, today=TODAY)
    assert match is not None
    return match


class TestTextSimilarity:
    def test_spanish_water_filters_match_strongly(self) -> None:
        assert text_similarity("filtros de agua para 200 familias", "filtros de agua potable") > 0.5

    @pytest.mark.parametrize(
        ("posted", "offered"),
        [
            ("water filters for 200 households", "drinking water filters"),
            ("filtros de agua para 200 familias", "filtros de agua potable"),
            ("filtres à eau pour 200 familles", "filtres à eau potable"),
            ("penjernih air untuk 200 keluarga", "penjernih air minum"),
        ],
    )
    def test_every_language_matches_about_as_well_as_english(
        self, posted: str, offered: str
    ) -> None:
        english = text_similarity("water filters for 200 households", "drinking water filters")
        assert abs(text_similarity(posted, offered) - english) < 0.15

    def test_unrelated_posts_are_weak(self) -> None:
        assert text_similarity("rice and cooking oil", "tarpaulins and rope") < 0.2

    def test_words_every_post_uses_do_not_make_posts_alike(self) -> None:
        similar = text_similarity("filtros de agua para familias", "sacos de arroz para familias")
        assert similar < 0.4

    def test_accents_case_and_punctuation_do_not_matter(self) -> None:
        assert text_similarity("Réparation du TOIT !", "reparation du toit") == 1.0

    def test_numbers_alone_carry_no_meaning(self) -> None:
        assert normalise("Kits d'hygiène: 200 (2026), Covid-19") == "kits d hygiene covid"

    def test_empty_texts_share_nothing(self) -> None:
        assert text_similarity("", "") == 0.0
        assert text_similarity("water", "") == 0.0


class TestCategories:
    def test_the_shared_taxonomy_has_its_thirteen_codes(self) -> None:
        assert len(CATEGORIES) == 13
        assert CATEGORIES["other"] == ()
        assert "water_supply" in CATEGORIES["water_sanitation"]

    def test_related_pairs_name_real_categories(self) -> None:
        assert all(len(pair) == 2 and pair <= CATEGORIES.keys() for pair in RELATED)

    def test_the_same_subcategory_fits_best_then_category_then_related(self) -> None:
        assert category_fit("health", "first_aid", "health", "first_aid") == 1.0
        assert category_fit("health", "first_aid", "health", "mental_health") == 0.8
        assert category_fit("training_skills", "", "expertise", "engineering") == 0.4
        assert category_fit("expertise", "", "training_skills", "") == 0.4
        assert category_fit("food", "", "shelter", "") == 0.0

    def test_other_fits_nothing_not_even_other(self) -> None:
        assert category_fit("other", "", "other", "") == 0.0


class TestUnits:
    def test_spellings_plurals_and_languages_are_one_unit(self) -> None:
        assert canonical_unit("Kilos")[0] == canonical_unit("kg")[0] == "kg"
        assert canonical_unit("hogares")[0] == canonical_unit("households")[0]
        assert canonical_unit("Litres") == ("l", 1.0)

    def test_larger_units_convert(self) -> None:
        assert canonical_unit("tonnes") == ("kg", 1000.0)
        match = scored(need(quantity=2, unit="t"), offer(quantity=500, unit="kg"))
        assert match.facts["coverage"] == 0.25


class TestWhatCanNeverMatch:
    def test_right_category_far_away_beats_wrong_category_nearby(self) -> None:
        far = offer(id=10, lat=LAT + 300 * KM, radius_km=500.0)
        nearby = offer(
            id=11,
            title="Rice and cooking oil",
            description="From our warehouse.",
            category="food",
            subcategory="food_parcels",
            lat=LAT + 0.5 * KM,
        )
        found = matches_for_need(need(), [nearby, far], today=TODAY)
        assert [m.offer_id for m in found] == [10]
        assert score(need(), nearby, today=TODAY) is None

    def test_an_expired_offer_is_excluded(self) -> None:
        assert score(need(), offer(available_until=days(-1)), today=TODAY) is None
        assert score(need(), offer(available_until=TODAY), today=TODAY) is not None

    def test_an_offer_starting_after_the_needs_date_is_excluded(self) -> None:
        assert score(need(needed_by=days(30)), offer(available_from=days(31)), today=TODAY) is None
        late = scored(need(needed_by=days(30)), offer(available_from=days(30)))
        assert late.parts["time"] < 0.05

    def test_a_need_outside_the_radius_is_excluded(self) -> None:
        assert score(need(), offer(lat=LAT + 25 * KM, radius_km=20.0), today=TODAY) is None

    def test_unrelated_categories_need_alike_texts(self) -> None:
        tools = offer(category="livelihoods", subcategory="tools_equipment", description="")
        carried = scored(need(description=""), tools)  # the texts are alike: they carry it
        assert carried.parts["category"] == 0.0 and carried.parts["text"] > 0.4
        rope = offer(title="Tarpaulins and rope", description="", category="livelihoods")
        assert score(need(), rope, today=TODAY) is None

    def test_posts_filed_under_other_are_matched_by_text(self) -> None:
        bridge = need(title="Footbridge repair", description="", category="other", unit="")
        crew = offer(title="Footbridge repair crew", description="", category="other", unit="")
        assert scored(bridge, crew).parts["category"] == 0.0
        unrelated = offer(title="Translation help", description="", category="other")
        assert score(bridge, unrelated, today=TODAY) is None


class TestParts:
    def test_every_part_and_fact_is_explained(self) -> None:
        match = scored(need(), offer())
        assert set(match.parts) == {"category", "text", "distance", "quantity", "time", "priority"}
        assert all(0 <= value <= 1 for value in match.parts.values())
        assert set(match.facts) == {
            "distance_km",
            "coverage",
            "boost",
            "overlap_days",
            "wait_days",
            "served_by",
            "unit",
            "risk",
            "urgency",
        }
        assert 0 < match.score <= 1

    def test_partial_quantities_score_their_share(self) -> None:
        quarter = scored(need(quantity=200), offer(quantity=50))
        assert quarter.parts["quantity"] == 0.25 and quarter.facts["coverage"] == 0.25
        plenty = scored(need(quantity=200), offer(quantity=400))
        assert plenty.parts["quantity"] == 1.0 and plenty.facts["coverage"] == 2.0
        assert plenty.score > quarter.score

    def test_different_or_missing_units_are_neutral(self) -> None:
        assert scored(need(unit="households"), offer(unit="kg")).parts["quantity"] == 0.5
        unknown = scored(need(quantity=None), offer())
        assert unknown.parts["quantity"] == 0.5 and unknown.facts["coverage"] is None

    def test_distance_falls_from_one_at_the_point_to_half_at_the_edge(self) -> None:
        here = scored(need(), offer(lat=LAT, radius_km=10.0))
        edge = scored(need(), offer(lat=LAT + 10 * KM, radius_km=10.1))
        assert here.parts["distance"] == 1.0
        assert edge.parts["distance"] == pytest.approx(0.505, abs=0.01)
        assert edge.facts["served_by"] == "radius" and edge.facts["distance_km"] == 10.0

    def test_time_is_full_when_available_now_and_falls_with_the_wait(self) -> None:
        now = scored(need(needed_by=days(29)), offer(available_from=days(-5)))
        halfway = scored(need(needed_by=days(29)), offer(available_from=days(15)))
        assert now.parts["time"] == 1.0 and now.facts["overlap_days"] == 30
        assert halfway.parts["time"] == 0.5 and halfway.facts["wait_days"] == 15

    def test_the_same_subcategory_beats_the_same_category(self) -> None:
        same = scored(need(), offer())
        sibling = scored(need(), offer(subcategory="water_supply"))
        assert (same.parts["category"], sibling.parts["category"]) == (1.0, 0.8)
        assert same.score > sibling.score

    def test_the_score_never_exceeds_one(self) -> None:
        urgent = need(urgency=4, risk=10.0, title="Drinking water filters", description="")
        match = scored(urgent, offer(lat=LAT, description=""))
        assert match.score == 1.0 and match.facts["boost"] == 1.2


class TestPlaces:
    def test_an_offer_serving_areas_reaches_needs_inside_them_only(self) -> None:
        menteng = offer(lon=None, lat=None, radius_km=None, areas=frozenset({"jkt-menteng"}))
        inside = scored(need(), menteng)
        assert inside.parts["distance"] == 1.0 and inside.facts["served_by"] == "area"
        elsewhere = need(areas=frozenset({"jkt", "jkt-tebet"}))
        assert score(elsewhere, menteng, today=TODAY) is None

    def test_an_area_reaches_a_need_beyond_the_radius(self) -> None:
        both = offer(lat=LAT + 30 * KM, radius_km=5.0, areas=frozenset({"jkt"}))
        assert scored(need(), both).facts["served_by"] == "area"

    def test_a_need_with_areas_but_no_point_reaches_area_offers_only(self) -> None:
        unplaced = need(lon=None, lat=None)
        assert score(unplaced, offer(), today=TODAY) is None
        by_area = offer(areas=frozenset({"jkt-menteng"}))
        assert scored(unplaced, by_area).facts["served_by"] == "area"

    def test_a_need_with_no_place_at_all_is_neutral(self) -> None:
        nowhere = need(lon=None, lat=None, areas=frozenset())
        match = scored(nowhere, offer())
        assert match.parts["distance"] == 0.5 and match.facts["served_by"] == "unknown"

    def test_an_offer_with_no_place_serves_anywhere(self) -> None:
        partner = offer(lon=None, lat=None, radius_km=None)
        match = scored(need(), partner)
        assert match.parts["distance"] == 0.5 and match.facts["served_by"] == "anywhere"

    def test_an_offer_with_a_place_only_serves_fifty_kilometres(self) -> None:
        assert score(need(), offer(lat=LAT + 55 * KM, radius_km=None), today=TODAY) is None
        near = scored(need(), offer(lat=LAT + 25 * KM, radius_km=None))
        assert near.parts["distance"] == pytest.approx(0.75, abs=0.01)

    def test_radius_works_across_the_date_line(self) -> None:
        fiji = need(lon=179.95, lat=-17.0, areas=frozenset())
        across = offer(lon=-179.95, lat=-17.0, radius_km=20.0)
        found = match_all([fiji], [across], today=TODAY)
        assert found[1][0].facts["distance_km"] == pytest.approx(10.6, abs=0.1)


LANGUAGES = {
    "en": ("Water filters for 200 households", "Drinking water filters"),
    "es": ("Filtros de agua para 200 familias", "Filtros de agua potable"),
    "fr": ("Filtres à eau pour 200 familles", "Filtres à eau potable"),
    "id": ("Penjernih air untuk 200 keluarga", "Penjernih air minum"),
}


class TestLanguages:
    @pytest.mark.parametrize("language", ["es", "fr", "id"])
    def test_a_pair_written_in_another_language_scores_about_as_well_as_in_english(
        self, language: str
    ) -> None:
        def pair_in(lang: str) -> Match:
            posted, offered = LANGUAGES[lang]
            return scored(need(title=posted, description=""), offer(title=offered, description=""))

        english, other = pair_in("en"), pair_in(language)
        assert other.parts["text"] > 0.45
        assert abs(other.score - english.score) < 0.05

    def test_the_category_carries_a_match_across_languages(self) -> None:
        spanish_offer = offer(title="Filtros de agua potable", description="")
        match = scored(need(), spanish_offer)
        assert match.parts["text"] < 0.3 and match.score > 0.7


class TestRanking:
    def test_the_priority_boost_orders_two_otherwise_equal_needs(self) -> None:
        calm = need(id=1, urgency=2, risk=None)
        urgent = need(id=2, urgency=4, risk=None)
        risky = need(id=3, urgency=2, risk=8.0)
        found = matches_for_offer(offer(), [calm, urgent, risky], today=TODAY)
        assert [m.need_id for m in found] == [2, 3, 1]
        assert [m.parts["priority"] for m in found] == [0.6, 0.52, 0.2]
        assert [(m.facts["urgency"], m.facts["risk"]) for m in found] == [
            (4, None),
            (2, 8.0),
            (2, None),
        ]

    def test_ties_are_broken_by_id_whatever_the_input_order(self) -> None:
        twins = [offer(id=i) for i in (7, 3, 5)]
        for order in (twins, twins[::-1]):
            found = matches_for_need(need(), order, today=TODAY)
            assert [m.offer_id for m in found] == [3, 5, 7]

    def test_a_better_placed_offer_ranks_first(self) -> None:
        near, far = offer(id=20, lat=LAT), offer(id=21, lat=LAT + 15 * KM)
        assert [m.offer_id for m in matches_for_need(need(), [far, near], today=TODAY)] == [20, 21]

    def test_the_limit_caps_the_list(self) -> None:
        offers = [offer(id=i) for i in range(1, 13)]
        assert len(matches_for_need(need(), offers, today=TODAY, limit=4)) == 4

    @pytest.mark.parametrize(
        ("post", "message"),
        [
            (need(id=7, lat=None), "Need 7: give both longitude and latitude, or neither."),
            (need(id=7, lat=-95.0), "Need 7: latitude must be between -90 and 90."),
            (need(id=7, urgency=5), "Need 7: urgency must be 1 (low) to 4 (critical)."),
            (need(id=7, risk=11.0), "Need 7: the risk index must be between 0 and 10."),
            (need(id=7, quantity=-1), "Need 7: the quantity cannot be negative."),
            (offer(id=8, radius_km=-1.0), "Offer 8: the radius cannot be negative."),
            (
                offer(id=8, available_from=days(3), available_until=days(2)),
                "Offer 8: it is available from a date after its last day.",
            ),
        ],
    )
    def test_bad_input_names_the_post_and_what_is_wrong(
        self, post: Need | Offer, message: str
    ) -> None:
        needs, offers = ([post], [offer()]) if isinstance(post, Need) else ([need()], [post])
        with pytest.raises(LayerError) as raised:
            match_all(needs, offers, today=TODAY)
        assert str(raised.value) == message

    def test_an_id_given_twice_is_refused(self) -> None:
        with pytest.raises(LayerError, match="Offer id 10 appears more than once"):
            match_all([need()], [offer(), offer()], today=TODAY)

    def test_a_list_keeps_at_least_one_match(self) -> None:
        with pytest.raises(LayerError, match="must be 1 or more, not 0"):
            matches_for_need(need(), [offer()], today=TODAY, limit=0)

    def test_weights_must_name_every_part_once(self) -> None:
        with pytest.raises(ValueError, match="unknown: colour"):
            score(need(), offer(), today=TODAY, weights={**DEFAULT_WEIGHTS, "colour": 1.0})
        with pytest.raises(ValueError, match="zero or more"):
            score(need(), offer(), today=TODAY, weights={**DEFAULT_WEIGHTS, "text": -1.0})

    def test_other_weights_change_the_order(self) -> None:
        near_related = offer(id=30, lat=LAT, category="health", subcategory="disease_prevention")
        far_same = offer(id=31, lat=LAT + 18 * KM)
        both = [near_related, far_same]
        default = matches_for_need(need(), both, today=TODAY)
        by_place = {**DEFAULT_WEIGHTS, "distance": 5.0}
        placed = matches_for_need(need(), both, today=TODAY, weights=by_place)
        assert [m.offer_id for m in default] == [31, 30]
        assert [m.offer_id for m in placed] == [30, 31]


def test_records_are_plain_values() -> None:
    match = scored(need(), offer())
    assert dataclasses.is_dataclass(match)
    assert all(type(v) is float for v in match.parts.values())
    assert type(match.facts["overlap_days"]) is int
    assert not any(isinstance(v, float) and math.isnan(v) for v in match.facts.values())


def test_matching_imports_without_django() -> None:
    root = Path(__file__).resolve().parents[3]
    code = (
        "import sys, commonground.analysis.matching\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
