"""The stakeholder map in a real browser: the grid, a board move, logging an interaction."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from commonground.stakeholders import actions, engagement_actions
from commonground.stakeholders.models import Interaction, StageChange, Stakeholder
from conftest import World

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]
SignIn = Callable[[str], Page]


def seed(world: World) -> dict[str, Stakeholder]:
    red_cross = actions.create_stakeholder(
        world.owner, world.coalition, organisation=world.org, stage="engaged", power=4, interest=5
    )
    siti = actions.create_stakeholder(
        world.member,
        world.coalition,
        person_name="Ibu Siti Rahayu",
        lived_experience=True,
        power=1,
        interest=4,
    )
    engagement_actions.save_plan(
        world.owner, siti, owner=world.member, frequency="fortnightly", channels=["whatsapp"]
    )
    return {"red_cross": red_cross, "siti": siti}


def open_map(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stakeholders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stakeholders")


def test_the_power_interest_grid_places_and_advises(
    page: Page, world: World, sign_in: SignIn, shot: Shot
) -> None:
    seed(world)
    sign_in(world.observer.email)
    open_map(page)
    expect(page.locator("#results")).to_contain_text("Ibu Siti Rahayu")
    shot(page, "1-list")
    page.get_by_role("navigation", name="Stakeholders").get_by_role(
        "link", name="Power–interest grid"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Power–interest grid")
    expect(page.locator("svg.grid-chart circle")).to_have_count(2)
    expect(page.locator("#manage_closely")).to_contain_text("Alpha Red Cross")
    expect(page.locator("#keep_informed")).to_contain_text("Ibu Siti Rahayu")
    expect(page.locator("#keep_satisfied")).to_contain_text("Nobody here.")
    shot(page, "2-grid")


def test_a_card_dragged_to_another_column_moves_the_stakeholder(
    page: Page, world: World, sign_in: SignIn, shot: Shot
) -> None:
    people = seed(world)
    sign_in(world.member.email)
    page.goto("/c/alpha/stakeholders/board/")
    card = page.locator(f"#card-{people['siti'].pk}")
    expect(page.locator('.column[data-stage="identified"]')).to_contain_text("Ibu Siti Rahayu")
    shot(page, "1-board")

    with page.expect_response(lambda r: "/stage/" in r.url and r.request.method == "POST"):
        # Grab the card by its edge: its select and button are controls, not handles.
        card.drag_to(
            page.locator('.column[data-stage="approached"]'), source_position={"x": 3, "y": 3}
        )
    approached = page.locator('.column[data-stage="approached"]')
    expect(approached).to_contain_text("Ibu Siti Rahayu")
    expect(page.locator('.column[data-stage="identified"]')).not_to_contain_text("Ibu Siti")
    people["siti"].refresh_from_db()
    assert people["siti"].stage == "approached"
    assert StageChange.objects.filter(
        stakeholder=people["siti"], from_stage="identified", to_stage="approached"
    ).exists()
    shot(page, "2-dragged")

    # The card's own form does the same without dragging (and without JavaScript).
    form_card = page.locator(f"#card-{people['siti'].pk}")
    form_card.get_by_label(re.compile("Stage")).select_option("engaged")
    with page.expect_response(lambda r: "/stage/" in r.url):
        form_card.get_by_role("button", name="Move").click()
    expect(page.locator('.column[data-stage="engaged"]')).to_contain_text("Ibu Siti Rahayu")
    shot(page, "3-moved-by-form")


def test_logging_an_interaction_moves_the_next_contact(
    page: Page, world: World, sign_in: SignIn, shot: Shot
) -> None:
    people = seed(world)
    sign_in(world.member.email)
    page.goto(f"/c/alpha/stakeholders/{people['siti'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ibu Siti Rahayu")
    log = page.get_by_role("form", name="Log an interaction")
    log.get_by_label("Channel").select_option(label="WhatsApp")
    log.get_by_label("Summary").fill("Shared the river gauge alert levels")
    log.get_by_label("Outcome").fill("She will relay them to her RT group")
    shot(page, "1-form")
    log.get_by_role("button", name="Log it").click()

    expect(page.get_by_role("status")).to_contain_text("Interaction logged. Next contact:")
    expect(page.locator(".log")).to_contain_text("Shared the river gauge alert levels")
    interaction = Interaction.objects.get(stakeholder=people["siti"])
    assert interaction.logged_by == world.member and interaction.channel == "whatsapp"
    people["siti"].plan.refresh_from_db()
    assert people["siti"].plan.next_contact is not None
    shot(page, "2-logged")
