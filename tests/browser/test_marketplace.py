"""The marketplace in a real browser: a need is posted, matched, committed, delivered, thanked."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from commonground.jobs.queue import run_pending
from commonground.marketplace import actions
from conftest import World

pytestmark = pytest.mark.browser


def test_a_need_goes_from_posted_to_confirmed(
    page: Page,
    world: World,
    sign_in: Callable[[str], Page],
    shot: Callable[[Page, str], Path],
) -> None:
    actions.create_offer(
        world.member,
        world.coalition,
        title="Ceramic water filters",
        category="water_sanitation",
        subcategory="water_treatment",
        quantity=Decimal(300),
        unit="filters",
        organisation=world.org,
    )
    run_pending()

    # The community representative posts the need, in Spanish.
    sign_in("community@a.test")
    page.goto("/c/alpha/marketplace/needs/new/")
    page.locator("#id_title").fill("Filtros de agua para 200 familias")
    page.locator("#id_description").fill("Agua potable después de la inundación")
    page.locator("#id_category").select_option("water_sanitation")
    page.locator("#id_quantity").fill("200")
    page.locator("#id_unit").fill("filtros")
    page.locator("#id_urgency").select_option("4")
    shot(page, "1-posting")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Filtros de agua para 200 familias")).to_be_visible()
    need_url = page.url
    run_pending()  # the worker matches it
    page.reload()
    suggestion = page.locator(".suggestion").first
    expect(suggestion).to_contain_text("Ceramic water filters")
    expect(suggestion.locator(".reasons")).to_contain_text("What")
    expect(suggestion.locator(".reasons")).to_contain_text("How much")
    shot(page, "2-suggested-with-reasons")
    match_url = suggestion.get_by_role("link", name="Open the match").get_attribute("href")
    assert match_url

    # The provider commits 150 filters.
    page.context.clear_cookies()
    sign_in("member@a.test")
    page.goto(match_url)
    page.get_by_label("Quantity").fill("150")
    page.get_by_role("button", name="Commit to this need").click()
    expect(page.locator("#match-status")).to_have_text("Offered")
    page.get_by_label("Message").fill("Podemos entregar el sábado.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".thread")).to_contain_text("sábado")
    shot(page, "3-offered")

    # The community accepts.
    page.context.clear_cookies()
    sign_in("community@a.test")
    page.goto(match_url)
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#match-status")).to_have_text("Accepted")

    # The provider dispatches and delivers.
    page.context.clear_cookies()
    sign_in("member@a.test")
    page.goto(match_url)
    page.get_by_role("button", name="Dispatched").click()
    expect(page.locator("#match-status")).to_have_text("In delivery")
    page.get_by_role("button", name="Delivered").click()
    expect(page.locator("#match-status")).to_have_text("Delivered")

    # The community confirms with the people reached and a thank-you.
    page.context.clear_cookies()
    sign_in("community@a.test")
    page.goto(match_url)
    page.get_by_label("People reached").fill("600")
    page.get_by_label("Thank-you note").fill("¡Gracias! Agua limpia para todo el barrio.")
    page.get_by_role("button", name="Confirm and thank").click()
    expect(page.locator("#match-status")).to_have_text("Confirmed")
    expect(page.locator(".thanks")).to_contain_text("Gracias")
    shot(page, "4-confirmed")
    page.goto(need_url)
    expect(page.get_by_text("Partly met")).to_be_visible()
    page.goto("/c/alpha/marketplace/dashboard/")
    expect(page.locator(".figures")).to_contain_text("600")
    shot(page, "5-dashboard")
