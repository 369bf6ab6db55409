"""The organisation registry in a real browser: add, search as you type, duplicates, roles."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from commonground.organisations.models import Organisation
from conftest import World

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]
SignIn = Callable[[str], Page]


def open_registry(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")


def test_a_new_organisation_can_be_added_and_then_found_by_typing_in_the_search_box(
    page: Page, world: World, sign_in: SignIn, shot: Shot
) -> None:
    sign_in(world.owner.email)
    open_registry(page)
    page.get_by_role("link", name="Add an organisation").click()
    expect(page).to_have_url(re.compile(r"/c/alpha/organisations/new/$"))
    page.get_by_label("Name").fill("Jakarta Rescue Divers")
    page.get_by_label("Acronym").fill("JRD")
    page.get_by_label(re.compile(r"^Type")).select_option(label="Community-based / grassroots")
    shot(page, "1-form")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Jakarta Rescue Divers was added.")
    shot(page, "2-detail")

    open_registry(page)
    results = page.locator("#results")
    expect(results).to_contain_text("Alpha Red Cross")
    expect(results).to_contain_text("Beta Flood Volunteers")
    shot(page, "3-list")

    with page.expect_response(lambda r: "q=rescue" in r.url):
        page.get_by_label("Search").press_sequentially("rescue")

    expect(results.get_by_role("link", name="Jakarta Rescue Divers")).to_be_visible()
    expect(results).not_to_contain_text("Alpha Red Cross")
    expect(results).not_to_contain_text("Beta Flood Volunteers")
    expect(page).to_have_url(re.compile(r"[?&]q=rescue"))  # hx-push-url keeps it shareable
    shot(page, "4-search")


def test_a_near_duplicate_name_is_only_saved_after_confirming_it_is_different(
    page: Page, world: World, sign_in: SignIn, shot: Shot
) -> None:
    sign_in(world.owner.email)
    page.goto("/c/alpha/organisations/new/")
    page.get_by_label("Name").fill("Alpha Red Cros")
    page.get_by_label("Name").blur()
    # HTMX asks for likely duplicates as soon as the name changes.
    expect(page.locator("#similar")).to_contain_text("Alpha Red Cross")
    shot(page, "1-hint")

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="look similar")).to_be_visible()
    assert not Organisation.objects.filter(name="Alpha Red Cros").exists()
    shot(page, "2-warning")

    page.get_by_label("Yes, this is a different organisation").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Alpha Red Cros was added.")
    assert Organisation.objects.filter(name="Alpha Red Cros").count() == 1
    shot(page, "3-saved")


def test_an_observer_sees_no_add_an_organisation_button(
    page: Page, world: World, sign_in: SignIn, shot: Shot
) -> None:
    sign_in(world.observer.email)
    open_registry(page)

    expect(page.locator("#results")).to_contain_text("Alpha Red Cross")
    expect(page.get_by_role("link", name="Add an organisation")).to_have_count(0)
    shot(page, "1-list")
