"""The network map in a real browser: drawn, a node's details, an introduction path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from commonground.coalitions import actions as coalition_actions
from commonground.organisations import actions as org_actions
from commonground.relationships import actions
from conftest import World

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]
SignIn = Callable[[str], Page]


def small_network(world: World) -> None:
    """Two triangles joined by Cee Council – Dee Kampung Forum, and Hach Radio alone."""
    orgs = {"ARC": world.org}
    for name in ["Bee Foundation", "Cee Council", "Dee Kampung Forum", "Eff Mosque Team"]:
        orgs[name.split()[0]] = org_actions.create_organisation(
            world.owner, world.coalition, name=name
        )
    orgs["Gee"] = org_actions.create_organisation(world.owner, world.coalition, name="Gee Youth")
    org_actions.create_organisation(world.owner, world.coalition, name="Hach Radio")
    for a, kind, b, strength in [
        ("ARC", "partners_with", "Bee", 4),
        ("Bee", "shares_information", "Cee", 3),
        ("ARC", "funds", "Cee", 5),
        ("Cee", "funds", "Dee", 2),
        ("Dee", "partners_with", "Eff", 4),
        ("Eff", "member_of", "Gee", 3),
        ("Dee", "reports_to", "Gee", 5),
    ]:
        actions.create_relationship(
            world.owner, world.coalition, orgs[a], orgs[b], kind, strength=strength
        )
    coalition_actions.update_coalition_profile(
        world.owner, world.coalition, lead_organisation=world.org
    )


def test_the_map_shows_a_nodes_details_and_who_could_introduce_the_lead_to_a_target(
    page: Page, world: World, sign_in: SignIn, shot: Shot
) -> None:
    small_network(world)
    sign_in(world.observer.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Network")
    page.wait_for_function("window.commongroundNetwork && window.commongroundNetwork.ready()")
    assert page.evaluate("window.commongroundNetwork.drawn()") == {"nodes": 7, "links": 7}
    expect(page.locator("#single-points")).to_contain_text("Cee Council")
    expect(page.locator("#isolated")).to_contain_text("Hach Radio")
    shot(page, "1-map")

    page.locator('circle[aria-label="Cee Council"]').click()
    details = page.locator("#node-details")
    expect(details).to_contain_text("Cee Council")
    expect(details).to_contain_text("Single point of failure")
    shot(page, "2-node-details")

    # The lead organisation is already chosen: introduce it to Gee Youth.
    expect(page.get_by_label("Introduce")).to_have_value(str(world.org.pk))
    page.get_by_label("to", exact=True).select_option(label="Gee Youth")
    page.get_by_role("button", name="Show the path").click()
    result = page.locator("#path-result")
    expect(result).to_contain_text("Introduction path")
    expect(result.locator("li")).to_have_count(4)
    expect(result.locator("li").nth(1)).to_contain_text("Cee Council")
    page.wait_for_function("window.commongroundNetwork.onPath().length === 4")
    shot(page, "3-introduction-path")

    # Zoom and pan move the drawing, not the page.
    before = page.locator("svg#network-map g.viewport").get_attribute("transform")
    page.get_by_role("button", name="Zoom in").click()
    box = page.locator("#network-map").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 80, steps=5)
    page.mouse.up()
    assert page.locator("svg#network-map g.viewport").get_attribute("transform") != before

    # Colour by organisation type, then keep only the funding relationships.
    page.get_by_label("Colour by").select_option("type")
    expect(page.locator("#network-legend")).to_contain_text("Organisation type")
    page.get_by_label("Relationship", exact=True).select_option(label="funds")
    # ARC, Cee and Dee fund or are funded; Gee stays because it is on the path shown.
    page.wait_for_function("window.commongroundNetwork.drawn().nodes === 4")
    expect(page.locator("#network-notes")).to_contain_text("3 of the network's 7 organisations")
    shot(page, "4-funding-only")
