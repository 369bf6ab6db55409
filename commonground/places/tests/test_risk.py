"""Risk profiles: indicators gathered from the coalition's data, weighed, ranked at every level,
downloaded and shown on the map; area indicators uploaded from a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from commonground.coalitions.models import AuditEntry
from commonground.jobs.queue import run_pending
from commonground.places.models import Area, Layer, RiskProfile, RunStatus
from commonground.places.tests.risk_setup import (
    start_profile,
    upload_indicators,
    vulnerability_csv,
)
from conftest import World


def test_a_member_builds_a_risk_profile_ranked_at_every_level(
    world: World, profile_inputs: dict[str, Any]
) -> None:
    assert upload_indicators(world, vulnerability_csv()).status_code == 302
    profile = start_profile(world, profile_inputs)
    assert profile.status == RunStatus.DONE, profile.error
    assert not profile.score_error
    # Each community has its indicators from the layers and from the upload.
    values = {row["area"]: row for row in profile.values}
    assert len(values) == 31
    some = next(iter(values.values()))
    for column in ("exposed_share", "population", "per_1000", "share_beyond", "poverty_rate"):
        assert column in some
    # Defaults: exposure → hazard, uploads → vulnerability, capacity → lack of coping capacity.
    dimensions = {spec["column"]: spec["dimension"] for spec in profile.indicators}
    assert dimensions["exposed_share"] == "hazard_exposure"
    assert dimensions["poverty_rate"] == "vulnerability"
    assert dimensions["per_1000"] == "lack_of_coping_capacity"
    # Three levels: 31 communities, the districts they lie in, and the city.
    levels = {row["level"] for row in profile.rollup}
    assert levels == {"community", "subcity", "city"}
    city = [row for row in profile.rollup if row["level"] == "city"]
    assert len(city) == 1 and city[0]["area"] == "Alpha" and city[0]["risk"] is not None
    # Areas with no buildings or no people have no score, and come last, unranked.
    ranks = [row["rank"] for row in profile.scores if row["rank"] is not None]
    assert ranks[0] == 1 and ranks == sorted(ranks) and len(ranks) >= 10
    assert profile.scores[-1]["rank"] is None
    # The risk is the geometric mean of the three dimensions, 0–10.
    top = profile.scores[0]
    product = top["hazard_exposure"] * top["vulnerability"] * top["lack_of_coping_capacity"]
    assert top["risk"] == pytest.approx(product ** (1 / 3))
    assert 0 <= top["risk"] <= 10

    page = world.client(world.observer).get(
        reverse("places:risk_profile", args=["alpha", profile.pk])
    )
    body = page.content.decode()
    assert "Areas ranked by risk" in body and top["area"] in body
    districts = world.client(world.observer).get(
        reverse("places:risk_profile", args=["alpha", profile.pk]), {"level": "subcity"}
    )
    assert "JAKARTA PúSAT" in districts.content.decode()


def test_changing_weights_rescores_at_once_and_is_audited(
    world: World, profile_inputs: dict[str, Any]
) -> None:
    upload_indicators(world, vulnerability_csv())
    profile = start_profile(world, profile_inputs)
    before = profile.scores[0]["area"]
    url = reverse("places:risk_indicators", args=["alpha", profile.pk])
    data = {}
    for spec in profile.indicators:
        column = spec["column"]
        data[f"dimension-{column}"] = spec["dimension"]
        data[f"direction-{column}"] = "worse" if spec["higher_is_worse"] else "better"
        data[f"weight-{column}"] = "1"
    # Poverty is now the only vulnerability indicator, and counts "higher is better" (inverted).
    data["dimension-share_over_65"] = ""
    data["direction-poverty_rate"] = "better"
    response = world.client(world.member).post(url, data)
    assert response.status_code == 302
    profile.refresh_from_db()
    spec = next(s for s in profile.indicators if s["column"] == "poverty_rate")
    assert spec["higher_is_worse"] is False
    assert next(s for s in profile.indicators if s["column"] == "share_over_65")["dimension"] == ""
    assert profile.scores[0]["area"] != before or len(profile.scores) == 1
    assert AuditEntry.objects.filter(action="risk.indicators").count() == 1


def test_bad_weights_change_nothing(world: World, profile_inputs: dict[str, Any]) -> None:
    upload_indicators(world, vulnerability_csv())
    profile = start_profile(world, profile_inputs)
    url = reverse("places:risk_indicators", args=["alpha", profile.pk])
    for bad in ({"weight-poverty_rate": "-1"}, {"weight-poverty_rate": "lots"}):
        response = world.client(world.member).post(url, bad, follow=True)
        assert "Weights are 0 or more" in response.content.decode() or "must be a number" in (
            response.content.decode()
        )
    response = world.client(world.member).post(
        url,
        {"weight-poverty_rate": "1", "minimum-poverty_rate": "9", "maximum-poverty_rate": "3"},
        follow=True,
    )
    assert "must be below the highest" in response.content.decode()
    unchanged = RiskProfile.objects.get(pk=profile.pk)
    assert unchanged.indicators == profile.indicators and unchanged.scores == profile.scores


def test_without_a_vulnerability_indicator_the_page_says_what_is_missing(
    world: World, profile_inputs: dict[str, Any]
) -> None:
    profile = start_profile(world, profile_inputs)
    assert profile.status == RunStatus.DONE
    assert "vulnerability" in profile.score_error.lower()
    body = (
        world.client(world.member)
        .get(reverse("places:risk_profile", args=["alpha", profile.pk]))
        .content.decode()
    )
    assert "cannot be scored yet" in body
    assert "Upload the coalition" in body


def test_an_analysis_by_other_areas_is_refused(
    world: World, profile_inputs: dict[str, Any]
) -> None:
    response = world.client(world.member).post(
        reverse("places:risk_profiles", args=["alpha"]),
        {
            "name": "Mismatch",
            "area_level": "subcity",
            "exposure_run": profile_inputs["run"].pk,
            "distance_m": 1000,
        },
    )
    assert response.status_code == 200
    assert "choose one by the same areas" in response.content.decode()
    assert not RiskProfile.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "hxl", "geojson", "gpkg"])
def test_the_ranking_downloads_at_each_level(
    world: World, profile_inputs: dict[str, Any], fmt: str, tmp_path: Path
) -> None:
    import geopandas as gpd

    upload_indicators(world, vulnerability_csv())
    profile = start_profile(world, profile_inputs)
    url = reverse("places:risk_download", args=["alpha", profile.pk, fmt])
    level = "subcity" if fmt in ("csv", "hxl") else "community"
    response = world.client(world.observer).get(url, {"level": level})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    if fmt in ("csv", "hxl"):
        rows = list(csv.reader(io.StringIO(data.decode())))
        assert "risk" in rows[0] and "hazard_exposure" in rows[0]
        if fmt == "hxl":
            assert "#indicator+risk" in rows[1] and "#adm3+name" in rows[1]
        assert any("JAKARTA PúSAT" in row for row in rows)
    else:
        target = tmp_path / f"risk.{fmt}"
        target.write_bytes(data)
        frame = gpd.read_file(target)
        assert len(frame) == 31 and frame.geometry.notna().all()
        assert frame["rank"].min() == 1
    finest = world.client(world.observer).get(
        reverse("places:risk_download", args=["alpha", profile.pk, "csv"])
    )
    header = b"".join(finest.streaming_content).decode().splitlines()[0]  # type: ignore[attr-defined]
    assert "poverty_rate" in header and "score_poverty_rate" in header


def test_the_map_colours_areas_by_risk_or_any_indicator(
    world: World, profile_inputs: dict[str, Any]
) -> None:
    upload_indicators(world, vulnerability_csv())
    profile = start_profile(world, profile_inputs)
    client = world.client(world.observer)
    map_page = client.get(reverse("places:map", args=["alpha"])).content.decode()
    assert "Flood risk by community" in map_page
    url = reverse("places:area_features", args=["alpha"])
    for level, column, count in [
        ("subcity", "risk", 1),  # the flood units all lie in one district
        ("community", "vulnerability", 31),
        ("community", "poverty_rate", 31),
    ]:
        data = json.loads(
            client.get(url, {"level": level, "risk": str(profile.pk), "indicator": column}).content
        )
        values = [f["properties"]["value"] for f in data["features"]]
        assert len([v for v in values if v is not None]) == count, (level, column)
    data = json.loads(client.get(url, {"level": "community", "risk": str(profile.pk)}).content)
    assert data["legend"]["kind"] == "score"


def test_area_indicators_upload_names_every_bad_row_and_writes_nothing(
    world: World, jakarta_layers: dict[str, Layer]
) -> None:
    response = upload_indicators(
        world,
        "pcode,area,poverty_rate\n,JAKARTA PúSAT,12\n,Atlantis,3\n"
        ",JAKARTA BARAT,many\n,JAKARTA PúSAT,4",
        level="subcity",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "row 3" in body and "Atlantis" in body
    assert "row 4" in body and "&#x27;many&#x27; is not a number" in body
    assert "row 5" in body and "already on row 2" in body
    assert not any(area.indicators for area in Area.objects.all())


def test_area_indicators_are_read_by_pcode_and_merged(
    world: World, jakarta_layers: dict[str, Layer]
) -> None:
    area = Area.objects.get(level="subcity", name="JAKARTA BARAT")
    area.pcode = "ID3173"
    area.save(update_fields=["pcode"])
    assert (
        upload_indicators(
            world, "adm2_pcode,poverty_rate\nid3173,12.5", level="subcity"
        ).status_code
        == 302
    )
    assert (
        upload_indicators(world, "pcode,literacy\nID3173,91%", level="subcity").status_code == 302
    )
    area.refresh_from_db()
    assert area.indicators == {"poverty_rate": 12.5, "literacy": 91.0}
    page = world.client(world.observer).get(
        reverse("places:area_indicators", args=["alpha"]), {"level": "subcity"}
    )
    assert "literacy" in page.content.decode()


def test_readers_cannot_change_profiles_or_upload(
    world: World, profile_inputs: dict[str, Any]
) -> None:
    upload_indicators(world, vulnerability_csv())
    profile = start_profile(world, profile_inputs)
    for user in (world.observer, world.community):
        client = world.client(user)
        assert upload_indicators.__name__  # the same form, posted by a reader:
        upload = io.BytesIO(b"area,x\nA,1")
        upload.name = "x.csv"
        assert (
            client.post(
                reverse("places:area_indicators", args=["alpha"]),
                {"file": upload, "level": "community"},
            ).status_code
            == 403
        )
        assert (
            client.post(
                reverse("places:risk_indicators", args=["alpha", profile.pk]), {}
            ).status_code
            == 403
        )
        assert (
            client.post(reverse("places:risk_refresh", args=["alpha", profile.pk])).status_code
            == 403
        )
        assert (
            client.post(reverse("places:risk_delete", args=["alpha", profile.pk])).status_code
            == 403
        )
        assert (
            client.post(reverse("places:risk_profiles", args=["alpha"]), {"name": "x"}).status_code
            == 403
        )
    assert RiskProfile.objects.count() == 1


def test_a_profile_is_refreshed_and_deleted(world: World, profile_inputs: dict[str, Any]) -> None:
    upload_indicators(world, vulnerability_csv())
    profile = start_profile(world, profile_inputs)
    weights = profile.indicators
    client = world.client(world.member)
    assert (
        client.post(reverse("places:risk_refresh", args=["alpha", profile.pk])).status_code == 302
    )
    run_pending()
    profile.refresh_from_db()
    assert profile.status == RunStatus.DONE and profile.indicators == weights
    assert client.post(reverse("places:risk_delete", args=["alpha", profile.pk])).status_code == 302
    assert not RiskProfile.objects.exists()
    assert AuditEntry.objects.filter(action="risk.delete").exists()


def test_outsiders_see_no_profile(world: World, profile_inputs: dict[str, Any]) -> None:
    upload_indicators(world, vulnerability_csv())
    profile = start_profile(world, profile_inputs)
    client = world.client(world.outsider)
    assert client.get(reverse("places:risk_profile", args=["alpha", profile.pk])).status_code == 404
    # Not through their own coalition's address either.
    assert client.get(reverse("places:risk_profile", args=["beta", profile.pk])).status_code == 404
    url = reverse("places:area_features", args=["beta"])
    assert client.get(url, {"level": "community", "risk": str(profile.pk)}).status_code == 404


def test_the_cli_prints_a_profiles_ranking_at_any_level(
    world: World, profile_inputs: dict[str, Any]
) -> None:
    from commonground.places.cli import main

    upload_indicators(world, vulnerability_csv())
    profile = start_profile(world, profile_inputs)

    def analyse(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        status = main(["risk", "--coalition", "alpha", *argv], "commonground analyse", out, err)
        return status, out.getvalue(), err.getvalue()

    status, out, _err = analyse("--profile", profile.name)
    assert status == 0
    assert out.splitlines()[2].split()[0] == profile.scores[0]["area"].split()[0]
    status, out, _err = analyse("--profile", str(profile.pk), "--level", "city", "--format", "json")
    assert status == 0 and json.loads(out)["rows"][0]["area"] == "Alpha"
    status, out, _err = analyse(
        "--profile", str(profile.pk), "--level", "subcity", "--format", "hxl"
    )
    assert status == 0 and "#indicator+risk" in out.splitlines()[1]
    status, _out, err = analyse("--profile", "Nope")
    assert status == 2 and "its profiles: " in err and profile.name in err
    status, _out, err = analyse("--profile", profile.name, "--refresh")
    assert status == 0
