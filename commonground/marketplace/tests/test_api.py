"""The marketplace API: the same rules as the pages, and no over-commitment under load."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from commonground.marketplace import actions
from commonground.marketplace.models import Match, MatchStatus, Need, Offer
from conftest import World

BASE = "/api/v1/coalitions/alpha/"


def api(user: object) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    client.force_authenticate(user)  # type: ignore[arg-type]
    return client


def test_needs_offers_and_a_whole_fulfilment_through_the_api(world: World) -> None:
    response = api(world.community).post(
        BASE + "needs/",
        {
            "title": "Kits de higiene",
            "category": "water_sanitation",
            "quantity": "50",
            "unit": "kits",
            "urgency": 3,
        },
    )
    assert response.status_code == 201, response.json()
    need_id = response.json()["id"]
    assert response.json()["outstanding"] == 50
    assert (
        api(world.observer).post(BASE + "needs/", {"title": "x", "category": "food"}).status_code
        == 403
    )
    response = api(world.member).post(
        BASE + "offers/",
        {
            "title": "Hygiene kits",
            "category": "water_sanitation",
            "quantity": "30",
            "unit": "kits",
            "organisation": world.org.pk,
        },
    )
    assert response.status_code == 201, response.json()
    offer_id = response.json()["id"]
    assert (
        api(world.community).post(BASE + "offers/", {"title": "x", "category": "food"}).status_code
        == 403
    )
    listed = api(world.observer).get(BASE + "needs/", {"category": "water_sanitation"}).json()
    assert [row["title"] for row in listed["results"]] == ["Kits de higiene"]

    response = api(world.member).post(f"{BASE}needs/{need_id}/propose/", {"offer": offer_id})
    match_id = response.json()["id"]
    step = f"{BASE}matches/{match_id}/step/"
    assert api(world.member).post(step, {"status": "offered", "quantity": "40"}).status_code == 400
    assert api(world.member).post(step, {"status": "offered", "quantity": "30"}).status_code == 200
    assert api(world.member).post(step, {"status": "accepted"}).status_code == 403
    assert api(world.observer).post(step, {"status": "accepted"}).status_code == 404
    for user, status in [
        (world.community, "accepted"),
        (world.member, "in_delivery"),
        (world.member, "delivered"),
    ]:
        assert api(user).post(step, {"status": status}).status_code == 200, status
    response = api(world.community).post(
        step, {"status": "confirmed", "people_reached": 120, "note": "Terima kasih!"}
    )
    assert response.json()["status"] == "confirmed" and response.json()["people_reached"] == 120
    thread = f"{BASE}matches/{match_id}/messages/"
    assert api(world.community).post(thread, {"body": "¡Gracias!"}).status_code == 201
    assert [m["body"] for m in api(world.member).get(thread).json()] == ["¡Gracias!"]
    need = api(world.observer).get(f"{BASE}needs/{need_id}/").json()
    assert need["status"] == "partly_met" and need["outstanding"] == 20


def test_outsiders_see_and_change_nothing(world: World) -> None:
    need = actions.create_need(world.community, world.coalition, title="N", category="food")
    offer = actions.create_offer(world.member, world.coalition, title="O", category="food")
    outsider = api(world.outsider)
    for path in (f"needs/{need.pk}/", f"offers/{offer.pk}/", "needs/", "matches/"):
        assert outsider.get(BASE + path).status_code == 404
        assert outsider.get("/api/v1/coalitions/beta/" + path).status_code in (200, 404)
    assert outsider.get("/api/v1/coalitions/beta/needs/").json()["results"] == []
    response = outsider.post(
        f"/api/v1/coalitions/beta/needs/{need.pk}/propose/", {"offer": offer.pk}
    )
    assert response.status_code == 404
    response = outsider.patch(f"{BASE}needs/{need.pk}/", {"title": "stolen"})
    assert response.status_code == 404
    assert Need.objects.get().title == "N" and not Match.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_commitments_never_exceed_the_need(world: World) -> None:
    """Eight providers commit 30 each to a need of 100 at the same moment: at most 3 succeed."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are proven on PostgreSQL; SQLite serialises every writer")
    need = actions.create_need(
        world.community,
        world.coalition,
        title="Sandbags",
        category="preparedness_equipment",
        quantity=Decimal(100),
    )
    matches = []
    for number in range(8):
        offer = actions.create_offer(
            world.owner,
            world.coalition,
            title=f"Sandbags {number}",
            category="preparedness_equipment",
            quantity=Decimal(30),
        )
        matches.append(Match.objects.create(coalition=world.coalition, need=need, offer=offer))
    barrier = threading.Barrier(len(matches))
    codes: list[int] = []

    def commit(match: Match) -> None:
        try:
            client = api(world.owner)
            barrier.wait()
            codes.append(
                client.post(
                    f"{BASE}matches/{match.pk}/step/", {"status": "offered", "quantity": "30"}
                ).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=commit, args=(m,)) for m in matches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    committed = sum(m.committed for m in Match.objects.filter(status=MatchStatus.OFFERED))
    assert sorted(codes) == [200] * 3 + [400] * 5
    assert committed == Decimal(90) <= (need.quantity or 0)
    assert Offer.objects.count() == 8
