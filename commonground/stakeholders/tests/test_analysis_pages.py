"""The analysis pages: power–interest grid, salience classes, diversity and its trend."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from commonground.organisations import actions as org_actions
from commonground.stakeholders import actions, criteria_actions
from commonground.stakeholders.analysis import grid, salience_classes
from commonground.stakeholders.models import DiversitySnapshot, Stakeholder
from commonground.stakeholders.scoring import Quadrant, Salience
from conftest import World

from .conftest import Map

GRID = reverse("stakeholders:grid", args=["alpha"])
SALIENCE = reverse("stakeholders:salience", args=["alpha"])
DIVERSITY = reverse("stakeholders:diversity", args=["alpha"])


def scores(world: World, stakeholder: Stakeholder, **values: int) -> None:
    criteria = {c.key: c for c in criteria_actions.ensure_default_criteria(None, world.coalition)}
    criteria_actions.set_scores(
        world.member, stakeholder, {criteria[k].pk: v for k, v in values.items()}
    )


def test_the_grid_places_stakeholders_by_power_and_interest(world: World, stakes: Map) -> None:
    quadrants, unplaced = grid(world.coalition.pk)
    assert [p.stakeholder for p in quadrants[Quadrant.MANAGE_CLOSELY]] == [stakes.red_cross]
    assert [p.stakeholder for p in quadrants[Quadrant.KEEP_INFORMED]] == [stakes.university]
    assert unplaced == [stakes.person]


def test_scores_stand_in_for_power_and_interest_not_set_by_hand(world: World, stakes: Map) -> None:
    scores(world, stakes.person, influence=4, interest=1)
    quadrants, unplaced = grid(world.coalition.pk)
    [placed] = quadrants[Quadrant.KEEP_SATISFIED]
    assert placed.stakeholder == stakes.person and placed.from_scores
    assert unplaced == []


def test_the_grid_page_draws_the_quadrants_and_says_what_each_calls_for(
    world: World, stakes: Map, django_assert_max_num_queries
) -> None:
    client = world.client(world.observer)
    with django_assert_max_num_queries(11):
        body = client.get(GRID).content.decode()
    for words in ("Manage closely", "Keep satisfied", "Keep informed", "Monitor"):
        assert words in body
    assert "<svg" in body and "<circle" in body
    assert "Alpha Red Cross" in body and "Ibu Siti Rahayu" in body  # the latter unplaced


def test_the_grid_keeps_svg_coordinates_with_a_decimal_point_in_spanish(
    world: World, stakes: Map
) -> None:
    scores(world, stakes.person, influence=4, interest=3)
    influence = {c.key: c for c in criteria_actions.ensure_default_criteria(None, world.coalition)}
    criteria_actions.set_scores(world.owner, stakes.person, {influence["influence"].pk: 5})
    client = world.client(world.observer)
    client.cookies["django_language"] = "es"
    body = client.get(GRID).content.decode()
    assert 'lang="es"' in body
    circles = [part.split('"')[1] for part in body.split('cx="')[1:]]
    assert len(circles) == 3 and all("," not in value for value in circles)
    assert 'cy="60.0"' in body  # power 4.5 (the mean of 4 and 5) is 60 units from the top


def test_salience_classes_come_from_influence_legitimacy_and_urgency(
    world: World, stakes: Map
) -> None:
    scores(world, stakes.red_cross, influence=5, legitimacy=4, urgency=4)
    scores(world, stakes.university, influence=1, legitimacy=4, urgency=1)
    classes, unscored, missing = salience_classes(world.coalition.pk)
    assert [s.stakeholder for s in classes[Salience.DEFINITIVE]] == [stakes.red_cross]
    assert [s.stakeholder for s in classes[Salience.DISCRETIONARY]] == [stakes.university]
    assert unscored == [stakes.person] and missing == []


def test_the_salience_page_counts_every_class(world: World, stakes: Map) -> None:
    scores(world, stakes.red_cross, influence=5, legitimacy=1, urgency=4)
    body = world.client(world.community).get(SALIENCE).content.decode()
    assert "Dangerous" in body and "Definitive" in body and "<svg" in body
    assert "Alpha Red Cross" in body


def test_diversity_flags_the_gaps_and_tracks_the_index(world: World, stakes: Map) -> None:
    DiversitySnapshot.objects.filter(coalition=world.coalition).update(
        date=timezone.localdate() - datetime.timedelta(days=7)
    )
    faith = org_actions.create_organisation(world.owner, None, name="Gereja Kristus", type="faith")
    actions.create_stakeholder(world.member, world.coalition, organisation=faith)
    client = world.client(world.observer)
    body = client.get(DIVERSITY).content.decode()
    assert "No private sector." in body and "No government body" in body
    assert "No faith-based group." not in body
    assert "No one flagged for lived experience" not in body  # Ibu Siti is
    assert "Red Cross / Red Crescent" in body and "Academia and schools" in body
    assert "<polyline" in body  # two snapshots: a trend line
    assert DiversitySnapshot.objects.filter(coalition=world.coalition).count() == 2


def test_outsiders_see_no_analysis(world: World, stakes: Map) -> None:
    for page in (GRID, SALIENCE, DIVERSITY):
        assert world.client(world.outsider).get(page).status_code == 404
        assert world.client(world.observer).get(page).status_code == 200
