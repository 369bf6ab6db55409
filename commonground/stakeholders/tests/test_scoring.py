"""The stakeholder arithmetic on numbers worked out by hand (no database)."""

from __future__ import annotations

import math

import pytest

from commonground.stakeholders import scoring
from commonground.stakeholders.scoring import Gap, Member, Quadrant, Salience

# Criteria 1 (weight 2), 2 (weight 1), 3 (weight 1).
WEIGHTS = {1: 2.0, 2: 1.0, 3: 1.0}


def test_the_spread_of_one_criterion_is_its_mean_range_and_population_deviation() -> None:
    found = scoring.spread([1, 5])
    assert found is not None
    assert (found.mean, found.minimum, found.maximum, found.range) == (3.0, 1, 5, 4)
    assert found.std_dev == 2.0  # sqrt(((1-3)² + (5-3)²) / 2) = sqrt(4)
    assert found.high_disagreement


def test_three_scorers_deviation_matches_the_hand_computation() -> None:
    found = scoring.spread([2, 3, 4])
    assert found is not None
    assert found.mean == 3.0
    assert found.std_dev == pytest.approx(math.sqrt(2 / 3))  # (1 + 0 + 1) / 3
    assert found.range == 2 and not found.high_disagreement


def test_a_single_scorer_never_disagrees_and_nothing_scored_is_none() -> None:
    found = scoring.spread([0])
    assert found is not None and found.std_dev == 0 and not found.high_disagreement
    assert scoring.spread([]) is None


def test_the_weighted_score_is_the_weighted_mean_of_each_criterions_mean() -> None:
    # Ana: 4, 2, 3. Budi: 2, 4, 5. Means: 3, 3, 4. Weighted: (2·3 + 3 + 4) / 4 = 13/4.
    result = scoring.aggregate({10: {1: 4, 2: 2, 3: 3}, 11: {1: 2, 2: 4, 3: 5}}, WEIGHTS)
    assert result.weighted == 3.25
    assert result.scorers == 2
    assert result.mean(1) == 3.0 and result.mean(3) == 4.0
    assert result.disputed == []


def test_unscored_criteria_neither_count_as_zero_nor_lower_the_score() -> None:
    # Only criterion 2 scored (4 and 5): the weighted score is its mean, 4.5.
    result = scoring.aggregate({10: {2: 4}, 11: {2: 5}}, WEIGHTS)
    assert result.weighted == 4.5
    assert result.mean(1) is None


def test_strong_disagreement_is_flagged_per_criterion() -> None:
    result = scoring.aggregate({10: {1: 0, 2: 3}, 11: {1: 5, 2: 3}}, WEIGHTS)
    assert result.disputed == [1]
    assert result.by_criterion[1].std_dev == 2.5


def test_weight_zero_is_shown_but_does_not_count_and_unknown_criteria_are_ignored() -> None:
    result = scoring.aggregate({10: {1: 5, 2: 1, 99: 0}}, {1: 0.0, 2: 1.0})
    assert result.weighted == 1.0
    assert result.mean(1) == 5.0 and 99 not in result.by_criterion
    assert scoring.aggregate({}, WEIGHTS).weighted is None
    assert scoring.aggregate({10: {1: 3}}, {1: 0.0}).weighted is None


def test_ranking_puts_the_best_first_shares_ranks_on_ties_and_marks_the_cutoff() -> None:
    ranked = scoring.rank({7: 3.0, 5: 4.5, 6: 3.0, 8: 2.9, 9: None}, cutoff=3.0)
    assert [(r.key, r.rank, r.shortlisted) for r in ranked] == [
        (5, 1, True),
        (6, 2, True),
        (7, 2, True),
        (8, 4, False),
    ]


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (5, 5, Quadrant.MANAGE_CLOSELY),
        (3, 3, Quadrant.MANAGE_CLOSELY),
        (4, 1, Quadrant.KEEP_SATISFIED),
        (2.5, 4, Quadrant.KEEP_INFORMED),  # the middle line counts as low
        (0, 0, Quadrant.MONITOR),
        (2, 2.5, Quadrant.MONITOR),
    ],
)
def test_the_power_interest_quadrant(power: float, interest: float, expected: Quadrant) -> None:
    assert scoring.quadrant(power, interest) == expected


@pytest.mark.parametrize(
    ("power", "legitimacy", "urgency", "expected"),
    [
        (4, 4, 4, Salience.DEFINITIVE),
        (4, 4, 1, Salience.DOMINANT),
        (4, 1, 4, Salience.DANGEROUS),
        (1, 4, 4, Salience.DEPENDENT),
        (4, 1, 1, Salience.DORMANT),
        (1, 4, 1, Salience.DISCRETIONARY),
        (1, 1, 4, Salience.DEMANDING),
        (1, 1, 1, Salience.NON_STAKEHOLDER),
        (2.5, 2.5, 2.6, Salience.DEMANDING),
    ],
)
def test_mitchells_salience_classes(
    power: float, legitimacy: float, urgency: float, expected: Salience
) -> None:
    assert scoring.salience(power, legitimacy, urgency) == expected


def test_shannon_and_simpson_on_two_equal_groups() -> None:
    assert scoring.shannon([5, 5]) == pytest.approx(math.log(2))  # 0.6931
    assert scoring.simpson([5, 5]) == 0.5
    assert scoring.evenness([5, 5]) == pytest.approx(1.0)


def test_shannon_and_simpson_on_an_uneven_mix() -> None:
    # p = 1/2, 1/4, 1/4: H = ½ln2 + ¼ln4 + ¼ln4 = 1.5 ln 2; Simpson = 1 − (¼ + 1/16 + 1/16).
    assert scoring.shannon([2, 1, 1]) == pytest.approx(1.5 * math.log(2))
    assert scoring.simpson([2, 1, 1]) == 0.625
    assert scoring.evenness([2, 1, 1]) == pytest.approx(1.5 * math.log(2) / math.log(3))


def test_one_kind_only_or_nobody_has_no_diversity() -> None:
    assert scoring.shannon([7]) == 0.0 and scoring.simpson([7]) == 0.0
    assert scoring.shannon([]) == 0.0 and scoring.simpson([0, 0]) == 0.0


def test_diversity_counts_and_flags_what_is_missing() -> None:
    found = scoring.diversity(
        [
            Member("government", "city", ("drr",)),
            Member("government", "national", ("drr", "hea")),
            Member("ngo", "city", ("hea",)),
            Member("faith", "city"),
        ]
    )
    assert found.total == 4
    assert found.by_type == {"government": 2, "ngo": 1, "faith": 1}
    assert found.by_sector == {"drr": 2, "hea": 2}
    assert found.shannon == pytest.approx(1.5 * math.log(2))
    assert found.gaps == [
        Gap.PRIVATE,
        Gap.ACADEMIA,
        Gap.COMMUNITY_GROUP,
        Gap.COMMUNITY_LEVEL,
        Gap.LIVED_EXPERIENCE,
    ]


def test_a_person_with_lived_experience_is_a_community_level_voice() -> None:
    found = scoring.diversity([Member(lived_experience=True), Member("private", "city")])
    assert Gap.COMMUNITY_LEVEL not in found.gaps and Gap.LIVED_EXPERIENCE not in found.gaps
    assert found.by_type == {"private": 1}  # a person has no type


def test_sparkline_points_scale_to_the_box() -> None:
    assert (
        scoring.sparkline_points([0, 1, 2], width=100, height=10) == "0.0,10.0 50.0,5.0 100.0,0.0"
    )
    assert scoring.sparkline_points([1], width=100, height=10) == "50.0,0.0"
    assert scoring.sparkline_points([]) == ""


def test_the_spread_from_database_sums_matches_the_spread_of_the_values() -> None:
    values = [0, 2, 5, 5]
    direct = scoring.spread(values)
    from_sums = scoring.spread_from_sums(4, sum(values), sum(v * v for v in values), 0, 5)
    assert direct is not None
    assert from_sums.mean == direct.mean and from_sums.range == direct.range
    assert from_sums.std_dev == pytest.approx(direct.std_dev)


def test_combining_spreads_ignores_criteria_without_a_weight() -> None:
    spreads = {
        1: scoring.CriterionSpread(2, 4.0, 3, 5, 1.0),
        9: scoring.CriterionSpread(1, 0, 0, 0, 0),
    }
    result = scoring.combine(spreads, {1: 1.0}, scorers=2)
    assert result.weighted == 4.0 and list(result.by_criterion) == [1]
