"""The INFORM-style risk index, worked out by hand on three areas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commonground.analysis.errors import LayerError
from commonground.analysis.risk import Dimension, Indicator, normalise, risk_index, roll_up

HE, V, LCC = Dimension.HAZARD_EXPOSURE, Dimension.VULNERABILITY, Dimension.LACK_OF_COPING_CAPACITY
TABLE = pd.DataFrame(
    {
        "area": ["X", "Y", "Z"],
        "exposed_share": [0.1, 0.5, 0.9],
        "flood_depth": [1.0, 1.0, 3.0],
        "poverty": [20.0, 40.0, 30.0],
        "shelters_per_1000": [2.0, 1.0, 0.0],
    }
)
INDICATORS = [
    Indicator("exposed_share", HE),
    Indicator("flood_depth", HE, weight=3),
    Indicator("poverty", V),
    Indicator("shelters_per_1000", LCC, higher_is_worse=False),
]


def test_the_index_of_three_areas_matches_the_hand_calculation() -> None:
    result = risk_index(TABLE, INDICATORS).set_index("area")
    # Scores: exposed 0/5/10, depth 0/0/10 (weight 3), poverty 0/10/5, shelters 0/5/10.
    assert list(result.loc[["X", "Y", "Z"], "hazard_exposure"]) == pytest.approx([0, 1.25, 10])
    assert list(result.loc[["X", "Y", "Z"], "vulnerability"]) == pytest.approx([0, 10, 5])
    assert list(result.loc[["X", "Y", "Z"], "lack_of_coping_capacity"]) == pytest.approx([0, 5, 10])
    assert result.loc["Y", "risk"] == pytest.approx((1.25 * 10 * 5) ** (1 / 3))
    assert result.loc["Z", "risk"] == pytest.approx(500 ** (1 / 3))
    assert result.loc["X", "risk"] == 0


def test_areas_are_ranked_most_at_risk_first() -> None:
    result = risk_index(TABLE, INDICATORS)
    assert list(result["area"]) == ["Z", "Y", "X"]
    assert list(result["rank"]) == [1, 2, 3]


def test_the_geometric_mean_lets_no_exposure_mean_no_risk() -> None:
    table = pd.DataFrame({"area": ["A", "B"], "he": [0, 1], "v": [10, 0], "lcc": [10, 0]})
    indicators = [Indicator("he", HE), Indicator("v", V), Indicator("lcc", LCC)]
    result = risk_index(table, indicators).set_index("area")
    assert result.loc["A", "risk"] == 0  # the arithmetic mean would say 6.7
    assert result.loc["B", "risk"] == 0


def test_an_indicator_equal_everywhere_scores_the_midpoint() -> None:
    assert list(normalise(pd.Series([3.0, 3.0, 3.0]))) == [5, 5, 5]


def test_goalposts_fix_the_scale_and_clip_beyond_it() -> None:
    scores = normalise(pd.Series([-5.0, 50.0, 150.0]), minimum=0, maximum=100)
    assert list(scores) == [0, 5, 10]
    assert list(normalise(pd.Series([0.0, 100.0]), higher_is_worse=False)) == [10, 0]


def test_a_missing_value_is_left_out_and_the_weights_renormalised() -> None:
    table = TABLE.assign(flood_depth=[1.0, np.nan, 3.0])
    result = risk_index(table, INDICATORS).set_index("area")
    assert result.loc["Y", "hazard_exposure"] == pytest.approx(5)  # exposed_share alone


def test_every_dimension_needs_an_indicator() -> None:
    with pytest.raises(LayerError, match=r"none for: lack_of_coping_capacity"):
        risk_index(TABLE, INDICATORS[:3])


def test_an_indicator_column_that_is_missing_is_named() -> None:
    with pytest.raises(LayerError, match=r"no column for the indicator.*literacy"):
        risk_index(TABLE, [*INDICATORS, Indicator("literacy", V)])


def test_the_roll_up_weighs_communities_by_population() -> None:
    scored = pd.DataFrame(
        {
            "community": ["c1", "c2", "c3"],
            "sub_city": ["s1", "s1", "s2"],
            "city": ["Jakarta"] * 3,
            "population": [100, 300, 100],
            "hazard_exposure": [2.0, 6.0, 1.0],
            "vulnerability": [4.0, 8.0, 1.0],
            "lack_of_coping_capacity": [8.0, 4.0, 1.0],
        }
    )
    result = roll_up(scored, ["community", "sub_city", "city"])
    s1 = result[(result["level"] == "sub_city") & (result["area"] == "s1")].iloc[0]
    assert s1["population"] == 400 and s1["parent"] == "Jakarta"
    assert (s1["hazard_exposure"], s1["vulnerability"], s1["lack_of_coping_capacity"]) == (5, 7, 5)
    assert s1["risk"] == pytest.approx(175 ** (1 / 3))
    assert s1["rank"] == 1
    city = result[result["level"] == "city"].iloc[0]
    assert city["hazard_exposure"] == pytest.approx((200 + 1800 + 100) / 500)
    assert pd.isna(city["parent"])
    c2 = result[result["area"] == "c2"].iloc[0]
    assert c2["parent"] == "s1" and c2["rank"] == 1
    assert list(result["level"].unique()) == ["community", "sub_city", "city"]


def test_the_roll_up_refuses_a_table_without_its_levels() -> None:
    with pytest.raises(LayerError, match=r"no column ward"):
        roll_up(pd.DataFrame({"population": [1]}), ["ward"])
