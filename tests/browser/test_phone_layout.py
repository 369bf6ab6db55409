"""Pages at a phone's size (390×844): community representatives often work from phones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import World
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


def test_the_dashboard_fits_a_phone_screen(
    page: Page, world: World, sign_in: Callable[[str], Page], shot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(world.owner.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha City Coalition")
    shot(page, "1-dashboard")

    assert page.evaluate(SIDEWAYS) <= 0


def test_the_organisation_list_fits_a_phone_screen(
    page: Page, world: World, sign_in: Callable[[str], Page], shot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(world.owner.email)
    page.goto("/c/alpha/organisations/")
    expect(page.locator("#results")).to_contain_text("Alpha Red Cross")
    shot(page, "1-organisations")

    overflow = page.evaluate(SIDEWAYS)
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
