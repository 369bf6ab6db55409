"""The urban profile's map in a real browser: layers drawn, toggled, areas outlined."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonground.places.models import Layer
from conftest import World

pytestmark = pytest.mark.browser


def test_the_map_draws_layers_toggles_them_and_outlines_areas(
    page: Page,
    jakarta_layers: dict[str, Layer],
    sign_in: Callable[[str], None],
    shot: Callable[[Page, str], Path],
) -> None:
    sign_in("observer@a.test")
    page.goto("/c/alpha/places/map/")

    def drawn() -> dict[str, int]:
        return page.evaluate("window.commongroundMap.drawn()")  # type: ignore[no-any-return]

    page.wait_for_function("window.commongroundMap.drawn()['Buildings'] > 0")
    assert drawn() == {"Flood": 31, "Buildings": 181, "areas": 0}
    expect(page.locator("#legend")).to_contain_text("yes")
    expect(page.locator("#legend")).to_contain_text("no")
    shot(page, "1-layers")

    page.get_by_label("Buildings", exact=False).uncheck()
    page.wait_for_function("!('Buildings' in window.commongroundMap.drawn())")
    assert drawn() == {"Flood": 31, "areas": 0}
    shot(page, "2-buildings-off")

    page.get_by_label("Sub-city (district)").check()
    page.wait_for_function("window.commongroundMap.drawn().areas === 5")
    # A click on a feature shows its attributes.
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".leaflet-popup-content")).to_contain_text("FLOODPRONE")
    page.wait_for_timeout(300)  # let the popup finish fading in for the screenshot
    shot(page, "3-districts")


def test_the_map_colours_areas_by_an_analysis(
    page: Page,
    world: World,
    jakarta_layers: dict[str, Layer],
    sign_in: Callable[[str], None],
    shot: Callable[[Page, str], Path],
) -> None:
    from commonground.jobs.queue import run_pending
    from commonground.places.actions import start_exposure_run

    layers = jakarta_layers
    start_exposure_run(
        world.member,
        world.coalition,
        name="Flooded buildings",
        hazard_layer=layers["Flood"],
        hazard_classes=["YES", "NO"],
        exposure_layer=layers["Buildings"],
        area_level="subcity",
    )
    run_pending()
    sign_in("observer@a.test")
    page.goto("/c/alpha/places/map/")
    page.get_by_label("Colour areas by").select_option(label="Flooded buildings")
    page.wait_for_function("window.commongroundMap.drawn().areas === 5")
    expect(page.locator("#legend")).to_contain_text("80–100 %")
    expect(page.get_by_label("Sub-city (district)")).to_be_checked()
    shot(page, "1-choropleth")

    # The map saved as an image for a report: a real PNG with the map, legend and credits.
    with page.expect_download() as download:
        page.get_by_role("button", name="Save the map as PNG").click()
    target = Path(download.value.path())
    image = target.read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and len(image) > 10_000
    artifact = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    (artifact / "map-saved-as.png").write_bytes(image)

    page.goto("/c/alpha/places/analyses/")
    page.get_by_role("link", name="Flooded buildings").click()
    expect(page.get_by_role("heading", name="Areas ranked by exposure")).to_be_visible()
    expect(page.locator("table.sortable tbody tr").first).to_contain_text("JAKARTA PúSAT")
    shot(page, "2-ranking")


def test_the_risk_ranking_opens_on_the_map_and_switches_level(
    page: Page,
    world: World,
    profile_inputs: dict[str, Any],
    sign_in: Callable[[str], None],
    shot: Callable[[Page, str], Path],
) -> None:
    from commonground.places.tests.risk_setup import (
        start_profile,
        upload_indicators,
        vulnerability_csv,
    )

    upload_indicators(world, vulnerability_csv())
    profile = start_profile(world, profile_inputs)
    top = profile.scores[0]["area"]

    sign_in("observer@a.test")
    page.goto(f"/c/alpha/places/risk/{profile.pk}/")
    expect(page.get_by_role("heading", name="Areas ranked by risk")).to_be_visible()
    expect(page.locator("#risk-ranking tbody tr").first).to_contain_text(top)
    shot(page, "1-ranking")
    page.get_by_role("link", name="Sub-city (district)").click()
    expect(page.locator("#risk-ranking tbody tr").first).to_contain_text("JAKARTA PúSAT")

    page.get_by_role("link", name="Show on the map").click()
    page.wait_for_url("**/places/map/**")
    page.wait_for_function("window.commongroundMap && window.commongroundMap.drawn().areas === 5")
    expect(page.locator("#legend")).to_contain_text("Risk index")
    expect(page.locator("#legend")).to_contain_text("8.0–10.0")
    shot(page, "2-map-subcity")
    # The same index one level down: every neighbourhood coloured.
    page.get_by_label("Community (neighbourhood)").check()
    page.wait_for_function("window.commongroundMap.drawn().areas === 31")
    expect(page.get_by_label("Colour areas by")).not_to_have_value("")
    # Any indicator, e.g. the uploaded poverty rate, scaled from its lowest to highest value.
    page.get_by_label("Colour areas by").select_option(label="poverty rate")
    expect(page.locator("#legend")).to_contain_text("poverty rate")
    shot(page, "3-map-poverty")
