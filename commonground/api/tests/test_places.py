from __future__ import annotations

from typing import Any

import pytest

from commonground.jobs.queue import run_pending
from commonground.places.models import AnalysisRun, Layer
from conftest import World

from .conftest import ApiFor

BASE = "/api/v1/coalitions/alpha"


def test_readers_list_areas_and_layers(
    world: World,
    api_for: ApiFor,
    jakarta_layers: dict[str, Layer],
    django_assert_max_num_queries: Any,
) -> None:
    client = api_for(world.observer)
    areas = client.get(f"{BASE}/areas/", {"level": "subcity"}).json()
    assert areas["count"] == 5 and len(areas["results"][0]["bbox"]) == 4
    with django_assert_max_num_queries(4):
        listed = client.get(f"{BASE}/layers/").json()
    assert {r["name"]: r["feature_count"] for r in listed["results"]} == {
        "Flood": 31,
        "Buildings": 181,
    }
    one = client.get(f"{BASE}/layers/{jakarta_layers['Flood'].pk}/").json()
    assert one["class_field"] == "FLOODPRONE" and "FLOODPRONE" in one["fields"]


def test_a_member_starts_an_analysis_and_reads_its_result(
    world: World, api_for: ApiFor, jakarta_layers: dict[str, Layer]
) -> None:
    client = api_for(world.member)
    response = client.post(
        f"{BASE}/analyses/",
        {
            "name": "API run",
            "hazard_layer": jakarta_layers["Flood"].pk,
            "hazard_classes": ["YES"],
            "exposure_layer": jakarta_layers["Buildings"].pk,
            "area_level": "subcity",
            "rule": "centroid",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "queued"
    run_pending()
    done = client.get(f"{BASE}/analyses/{response.json()['id']}/").json()
    assert done["status"] == "done"
    assert done["shares"][0] == {
        "rank": 1,
        "area": "JAKARTA PúSAT",
        "area_code": "",
        "exposed": 33.0,
        "total": 169.0,
        "exposed_share": pytest.approx(33 / 169),
    }


def test_bad_analysis_requests_are_refused_and_write_nothing(
    world: World, api_for: ApiFor, jakarta_layers: dict[str, Layer]
) -> None:
    client = api_for(world.member)
    no_class = client.post(
        f"{BASE}/analyses/",
        {
            "name": "x",
            "hazard_layer": jakarta_layers["Buildings"].pk,
            "exposure_layer": jakarta_layers["Buildings"].pk,
            "area_level": "subcity",
        },
        format="json",
    )
    assert no_class.status_code == 400 and "hazard_layer" in no_class.json()
    bad_rule = client.post(
        f"{BASE}/analyses/",
        {
            "name": "x",
            "hazard_layer": jakarta_layers["Flood"].pk,
            "exposure_layer": jakarta_layers["Buildings"].pk,
            "area_level": "subcity",
            "rule": "vibes",
        },
        format="json",
    )
    assert bad_rule.status_code == 400 and "rule" in bad_rule.json()
    assert not AnalysisRun.objects.exists()


@pytest.mark.parametrize("role", ["community", "observer"])
def test_read_only_roles_cannot_start_analyses(
    world: World, api_for: ApiFor, jakarta_layers: dict[str, Layer], role: str
) -> None:
    response = api_for(getattr(world, role)).post(
        f"{BASE}/analyses/",
        {
            "name": "x",
            "hazard_layer": jakarta_layers["Flood"].pk,
            "exposure_layer": jakarta_layers["Buildings"].pk,
            "area_level": "subcity",
        },
        format="json",
    )
    assert response.status_code == 403
    assert not AnalysisRun.objects.exists()


def test_outsiders_see_nothing_and_cannot_use_alphas_layers(
    world: World, api_for: ApiFor, jakarta_layers: dict[str, Layer]
) -> None:
    outsider = api_for(world.outsider)
    for path in ("areas/", "layers/", f"layers/{jakarta_layers['Flood'].pk}/", "analyses/"):
        assert outsider.get(f"{BASE}/{path}").status_code == 404
    assert (
        outsider.get(f"/api/v1/coalitions/beta/layers/{jakarta_layers['Flood'].pk}/").status_code
        == 404
    )
    response = outsider.post(
        "/api/v1/coalitions/beta/analyses/",
        {
            "name": "x",
            "hazard_layer": jakarta_layers["Flood"].pk,
            "exposure_layer": jakarta_layers["Buildings"].pk,
            "area_level": "subcity",
        },
        format="json",
    )
    assert response.status_code == 400 and "hazard_layer" in response.json()
    assert not AnalysisRun.objects.exists()
