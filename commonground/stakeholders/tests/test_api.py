"""The stakeholder map through the API: the same rules as the pages, 404 for outsiders."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonground.stakeholders import criteria_actions, engagement_actions
from commonground.stakeholders.models import Criterion, StageChange, Stakeholder
from conftest import World

from .conftest import ApiFor, Map

BASE = "/api/v1/coalitions/alpha/stakeholders/"
TODAY = timezone.localdate()


def names(response: Any) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def criteria(world: World) -> dict[str, Criterion]:
    return {c.key: c for c in criteria_actions.ensure_default_criteria(None, world.coalition)}


def test_every_reader_lists_the_map_and_outsiders_get_404(
    world: World, stakes: Map, api_for: ApiFor
) -> None:
    for user in world.readers:
        response = api_for(user).get(BASE)
        assert response.status_code == 200, user
        assert sorted(names(response)) == [
            "Alpha Red Cross (ARC)",
            "Ibu Siti Rahayu",
            "Universitas Alpha (UA)",
        ]
    assert api_for(world.outsider).get(BASE).status_code == 404
    assert api_for(world.outsider).get(f"{BASE}{stakes.red_cross.pk}/").status_code == 404
    assert api_for(world.owner).get(f"{BASE}{stakes.other.pk}/").status_code == 404
    assert api_for(None).get(BASE).status_code in {401, 403}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "engaged"}, ["Alpha Red Cross (ARC)"]),
        ({"coalition_role": "core_partner"}, ["Alpha Red Cross (ARC)"]),
        ({"lived_experience": "true"}, ["Ibu Siti Rahayu"]),
        ({"kind": "person"}, ["Ibu Siti Rahayu"]),
        ({"type": "academia"}, ["Universitas Alpha (UA)"]),
        ({"q": "ua"}, ["Universitas Alpha (UA)"]),
        ({"min_power": 3}, ["Alpha Red Cross (ARC)"]),
    ],
)
def test_the_list_filters_like_the_page(
    world: World, stakes: Map, api_for: ApiFor, params: dict[str, Any], expected: list[str]
) -> None:
    assert names(api_for(world.observer).get(BASE, params)) == expected


def test_unknown_filter_values_are_refused(world: World, api_for: ApiFor) -> None:
    response = api_for(world.observer).get(BASE, {"stage": "friends", "type": "alien"})
    assert response.status_code == 400 and set(response.json()) == {"stage", "type"}


def test_a_member_adds_edits_and_removes_a_stakeholder(
    world: World, stakes: Map, api_for: ApiFor
) -> None:
    api = api_for(world.member)
    response = api.post(
        BASE,
        {"person_name": "Pak Budi", "stage": "approached", "coalition_role": "ally", "power": 2},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "person" and body["stage"] == "approached"
    assert [h["to_stage"] for h in body["history"]] == ["approached"]
    pk = body["id"]
    response = api.patch(f"{BASE}{pk}/", {"wants": "A safe evacuation route", "stage": "member"})
    assert response.status_code == 200
    assert response.json()["wants"] == "A safe evacuation route"
    assert response.json()["stage"] == "approached"  # stages move through their own endpoint
    assert api.delete(f"{BASE}{pk}/").status_code == 204
    assert not Stakeholder.objects.filter(pk=pk).exists()


def test_bad_stakeholders_are_400_with_the_field_named(
    world: World, stakes: Map, api_for: ApiFor
) -> None:
    api = api_for(world.member)
    assert set(api.post(BASE, {}).json()) == {"organisation"}
    twin = api.post(BASE, {"organisation": world.org.pk})
    assert twin.status_code == 400 and "already" in twin.json()["organisation"][0]
    other = api.post(BASE, {"person_name": "X", "contact": world.other_contact.pk})
    assert other.status_code == 400 and "contact" in other.json()


def test_readers_cannot_write(world: World, stakes: Map, api_for: ApiFor) -> None:
    for user in (world.community, world.observer):
        api = api_for(user)
        assert api.post(BASE, {"person_name": "X"}).status_code == 403
        assert api.patch(f"{BASE}{stakes.person.pk}/", {"wants": "x"}).status_code == 403
        assert api.post(f"{BASE}{stakes.person.pk}/stage/", {"stage": "member"}).status_code == 403


def test_a_stage_move_is_dated_in_the_history(world: World, stakes: Map, api_for: ApiFor) -> None:
    url = f"{BASE}{stakes.university.pk}/stage/"
    response = api_for(world.member).post(url, {"stage": "approached", "note": "emailed"})
    assert response.status_code == 200
    history = response.json()["history"]
    assert [(h["from_stage"], h["to_stage"]) for h in history] == [
        ("", "identified"),
        ("identified", "approached"),
    ]
    assert history[-1]["note"] == "emailed" and history[-1]["changed_by"]["id"] == world.member.pk
    assert api_for(world.member).post(url, {"stage": "friends"}).status_code == 400
    assert StageChange.objects.filter(stakeholder=stakes.university).count() == 2


def test_scores_are_given_per_member_and_read_with_their_disagreement(
    world: World, stakes: Map, api_for: ApiFor
) -> None:
    c = criteria(world)
    url = f"{BASE}{stakes.red_cross.pk}/scores/"
    response = api_for(world.member).put(
        url,
        {
            "scores": [
                {"criterion": c["interest"].pk, "value": 5},
                {"criterion": c["urgency"].pk, "value": 0},
            ]
        },
    )
    assert response.status_code == 200, response.json()
    api_for(world.owner).put(url, {"scores": [{"criterion": c["urgency"].pk, "value": 4}]})
    body = api_for(world.observer).get(url).json()
    assert body["scorers"] == 2 and body["weighted"] == 3.5  # (5 + 2) / 2
    urgency = next(row for row in body["criteria"] if row["criterion"] == c["urgency"].pk)
    assert urgency["high_disagreement"] and urgency["minimum"] == 0 and urgency["maximum"] == 4
    assert len(body["score_sets"]) == 2
    assert api_for(world.observer).put(url, {"scores": []}).status_code == 403
    bad = api_for(world.member).put(url, {"scores": [{"criterion": 999999, "value": 3}]})
    assert bad.status_code == 400


def test_only_managers_change_criteria_and_the_cutoff(
    world: World, stakes: Map, api_for: ApiFor
) -> None:
    listing = api_for(world.observer).get(f"{BASE}criteria/")
    assert [row["key"] for row in listing.json()][:2] == ["interest", "contribution"]
    assert listing.json()[0]["label"] == "Interest"
    new = {"name": "Reach", "weight": "2.0"}
    assert api_for(world.member).post(f"{BASE}criteria/", new).status_code == 403
    created = api_for(world.owner).post(f"{BASE}criteria/", new)
    assert created.status_code == 201 and created.json()["weight"] == "2.0"
    url = f"{BASE}criteria/{created.json()['id']}/"
    assert api_for(world.member).patch(url, {"weight": "3"}).status_code == 403
    assert api_for(world.lead).patch(url, {"weight": "3"}).json()["weight"] == "3.0"
    assert api_for(world.lead).delete(url).status_code == 204
    assert (
        api_for(world.member).patch(f"{BASE}settings/", {"shortlist_cutoff": "2"}).status_code
        == 403
    )
    response = api_for(world.owner).patch(f"{BASE}settings/", {"shortlist_cutoff": "2.5"})
    assert response.json() == {"shortlist_cutoff": "2.5"}
    assert api_for(world.observer).get(f"{BASE}settings/").json() == {"shortlist_cutoff": "2.5"}


def test_the_shortlist_is_ranked(world: World, stakes: Map, api_for: ApiFor) -> None:
    c = criteria(world)
    for stakeholder, value in ((stakes.university, 2), (stakes.red_cross, 5)):
        criteria_actions.set_scores(world.member, stakeholder, {c["interest"].pk: value})
    rows = api_for(world.community).get(f"{BASE}shortlist/").json()
    assert [(r["name"], r["rank"], r["shortlisted"]) for r in rows] == [
        ("Alpha Red Cross (ARC)", 1, True),
        ("Universitas Alpha (UA)", 2, False),
    ]


def test_plans_and_interactions(world: World, stakes: Map, api_for: ApiFor) -> None:
    url = f"{BASE}{stakes.person.pk}/plan/"
    assert api_for(world.observer).get(url).status_code == 404  # no plan yet
    late = (TODAY - datetime.timedelta(days=3)).isoformat()
    response = api_for(world.member).put(
        url,
        {
            "channels": ["whatsapp"],
            "frequency": "weekly",
            "owner": world.member.pk,
            "next_contact": late,
        },
    )
    assert response.status_code == 200, response.json()
    assert api_for(world.member).put(url, {"owner": world.outsider.pk}).status_code == 400
    assert api_for(world.member).put(url, {"channels": ["pigeon"]}).status_code == 400
    due = api_for(world.observer).get(f"{BASE}due/", {"due": "overdue"}).json()["results"]
    assert [row["stakeholder_name"] for row in due] == ["Ibu Siti Rahayu"]
    log = f"{BASE}{stakes.person.pk}/interactions/"
    response = api_for(world.member).post(log, {"channel": "whatsapp", "summary": "Checked in"})
    assert response.status_code == 201 and response.json()["date"] == TODAY.isoformat()
    plan = api_for(world.observer).get(url).json()
    assert plan["next_contact"] == (TODAY + datetime.timedelta(days=7)).isoformat()
    assert [i["summary"] for i in api_for(world.observer).get(log).json()["results"]] == [
        "Checked in"
    ]
    assert (
        api_for(world.observer).post(log, {"channel": "email", "summary": "x"}).status_code == 403
    )
    assert api_for(world.outsider).get(log).status_code == 404


def test_the_analysis_endpoint(world: World, stakes: Map, api_for: ApiFor) -> None:
    engagement_actions.save_plan(world.member, stakes.person, owner=world.member)
    body = api_for(world.observer).get(f"{BASE}analysis/").json()
    assert body["quadrants"]["manage_closely"] == [stakes.red_cross.pk]
    assert body["unplaced"] == [stakes.person.pk]
    assert body["diversity"]["total"] == 3 and "faith" in body["diversity"]["gaps"]
    assert api_for(world.outsider).get(f"{BASE}analysis/").status_code == 404


def test_the_schema_describes_the_stakeholder_endpoints(db: None) -> None:
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    for path in (
        "/api/v1/coalitions/{slug}/stakeholders/",
        "/api/v1/coalitions/{slug}/stakeholders/{id}/",
        "/api/v1/coalitions/{slug}/stakeholders/{id}/stage/",
        "/api/v1/coalitions/{slug}/stakeholders/{id}/scores/",
        "/api/v1/coalitions/{slug}/stakeholders/{id}/plan/",
        "/api/v1/coalitions/{slug}/stakeholders/{id}/interactions/",
        "/api/v1/coalitions/{slug}/stakeholders/criteria/",
        "/api/v1/coalitions/{slug}/stakeholders/criteria/{id}/",
        "/api/v1/coalitions/{slug}/stakeholders/shortlist/",
        "/api/v1/coalitions/{slug}/stakeholders/settings/",
        "/api/v1/coalitions/{slug}/stakeholders/due/",
        "/api/v1/coalitions/{slug}/stakeholders/analysis/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/coalitions/{slug}/stakeholders/{id}/scores/"]) == {"get", "put"}
