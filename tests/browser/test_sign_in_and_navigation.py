"""Signing in, switching coalition and switching language, in a real browser."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from commonground.coalitions import actions as coalition_actions
from commonground.coalitions.roles import Role
from conftest import World
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]


def test_it_signs_in_with_email_and_password_and_lands_on_the_dashboard(
    page: Page, world: World, shot: Shot
) -> None:
    page.goto("/accounts/login/")
    shot(page, "1-login")
    page.get_by_label("Email address").fill(world.owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/c/alpha/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha City Coalition")
    shot(page, "2-dashboard")


def test_the_switcher_takes_a_member_of_two_coalitions_to_the_other_dashboard(
    page: Page, world: World, sign_in: Callable[[str], Page], shot: Shot
) -> None:
    coalition_actions.add_member(None, world.other, world.owner, Role.MEMBER)
    sign_in(world.owner.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha City Coalition")
    shot(page, "1-alpha")

    page.get_by_label("Switch coalition").select_option(label="Beta Town Coalition")

    expect(page).to_have_url(re.compile(r"/c/beta/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Beta Town Coalition")
    expect(page.get_by_label("Switch coalition")).to_have_value("/c/beta/")
    shot(page, "2-beta")


def test_the_language_switcher_turns_the_page_spanish(
    page: Page, world: World, sign_in: Callable[[str], Page], shot: Shot
) -> None:
    sign_in(world.owner.email)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_label("Language").select_option("es")

    # Spanish strings are still being written (and the .mo files are built by `make install`),
    # so the page language is what we rely on; the switcher's own label is translated too.
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(r"/c/alpha/$"))
    expect(page.locator("#language")).to_have_value("es")
    shot(page, "1-spanish")
