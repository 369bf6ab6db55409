"""Risk profiles and area indicators through the API: the same actions as the pages."""

from __future__ import annotations

import io
from typing import Any

from commonground.jobs.queue import run_pending
from commonground.places.models import Area, RiskProfile, RunStatus
from commonground.places.tests.risk_setup import vulnerability_csv
from conftest import World

from .conftest import ApiFor

BASE = "/api/v1/coalitions/alpha/"


def upload(api_for: ApiFor, world: World, text: str, level: str = "community") -> Any:
    handle = io.BytesIO(text.encode())
    handle.name = "figures.csv"
    return api_for(world.member).post(
        BASE + "area-indicators/", {"file": handle, "level": level}, format="multipart"
    )


def test_a_member_uploads_indicators_starts_a_profile_and_reweighs_it(
    api_for: ApiFor, world: World, profile_inputs: dict[str, Any]
) -> None:
    response = upload(api_for, world, vulnerability_csv())
    assert response.status_code == 200 and response.json() == {"areas": 31}
    layers, run = profile_inputs["layers"], profile_inputs["run"]
    response = api_for(world.member).post(
        BASE + "risk-profiles/",
        {
            "name": "Flood risk",
            "area_level": "community",
            "exposure_run": run.pk,
            "population_layer": layers["Census"].pk,
            "population_field": "population",
            "resources_layer": layers["Buildings"].pk,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == RunStatus.QUEUED
    run_pending()
    pk = response.json()["id"]
    profile = api_for(world.observer).get(f"{BASE}risk-profiles/{pk}/").json()
    assert profile["status"] == RunStatus.DONE and not profile["score_error"]
    assert {row["level"] for row in profile["rollup"]} == {"community", "subcity", "city"}

    response = api_for(world.member).patch(
        f"{BASE}risk-profiles/{pk}/",
        {"indicators": [{"column": "share_over_65", "dimension": "", "weight": 0}]},
    )
    assert response.status_code == 200, response.json()
    spec = next(s for s in response.json()["indicators"] if s["column"] == "share_over_65")
    assert spec["dimension"] == "" and spec["weight"] == 0

    assert api_for(world.member).post(f"{BASE}risk-profiles/{pk}/refresh/").status_code == 202
    assert api_for(world.member).delete(f"{BASE}risk-profiles/{pk}/").status_code == 204
    assert not RiskProfile.objects.exists()


def test_bad_requests_are_refused_and_change_nothing(
    api_for: ApiFor, world: World, profile_inputs: dict[str, Any]
) -> None:
    response = upload(api_for, world, "area,poverty\nNowhere,3")
    assert response.status_code == 400
    assert "row 2" in response.json()["errors"][0]
    assert not any(a.indicators for a in Area.objects.all())
    response = api_for(world.member).post(
        BASE + "risk-profiles/",
        {"name": "x", "area_level": "subcity", "exposure_run": profile_inputs["run"].pk},
    )
    assert response.status_code == 400 and "exposure_run" in response.json()
    upload(api_for, world, vulnerability_csv())
    api_for(world.member).post(
        BASE + "risk-profiles/",
        {"name": "ok", "area_level": "community", "exposure_run": profile_inputs["run"].pk},
    )
    run_pending()
    profile = RiskProfile.objects.get()
    for bad in (
        {"indicators": [{"column": "nope", "dimension": "vulnerability"}]},
        {"indicators": [{"column": "poverty_rate", "weight": -2}]},
        {"indicators": [{"column": "poverty_rate", "dimension": "luck"}]},
    ):
        response = api_for(world.member).patch(f"{BASE}risk-profiles/{profile.pk}/", bad)
        assert response.status_code == 400, bad
    assert RiskProfile.objects.get().indicators == profile.indicators


def test_readers_cannot_write_and_outsiders_see_nothing(
    api_for: ApiFor, world: World, profile_inputs: dict[str, Any]
) -> None:
    profile = RiskProfile.objects.create(coalition=world.coalition, name="Kept", status="done")
    for user in (world.observer, world.community):
        client = api_for(user)
        assert client.get(BASE + "risk-profiles/").status_code == 200
        assert client.post(BASE + "risk-profiles/", {"name": "x"}).status_code == 403
        assert client.delete(f"{BASE}risk-profiles/{profile.pk}/").status_code == 403
        handle = io.BytesIO(b"area,x\nA,1")
        handle.name = "x.csv"
        response = client.post(
            BASE + "area-indicators/", {"file": handle, "level": "city"}, format="multipart"
        )
        assert response.status_code == 403
    outsider = api_for(world.outsider)
    assert outsider.get(BASE + "risk-profiles/").status_code == 404
    assert outsider.get(f"{BASE}risk-profiles/{profile.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/coalitions/beta/risk-profiles/{profile.pk}/").status_code == 404
    assert outsider.get("/api/v1/coalitions/beta/risk-profiles/").json()["results"] == []
    response = outsider.post(
        "/api/v1/coalitions/beta/risk-profiles/",
        {"name": "steal", "area_level": "community", "exposure_run": profile_inputs["run"].pk},
    )
    assert response.status_code == 400  # alpha's analysis is not a choice in beta
    assert RiskProfile.objects.count() == 1
