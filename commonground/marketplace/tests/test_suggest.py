"""Suggestions: posted listings are matched in the background and explained on the page."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from commonground.jobs.queue import run_pending
from commonground.marketplace import actions
from commonground.marketplace.models import Match, MatchStatus
from commonground.marketplace.suggest import rematch_coalition
from conftest import World


def test_a_new_need_finds_the_right_offer_within_the_worker_run(world: World) -> None:
    filters = actions.create_offer(
        world.member,
        world.coalition,
        title="Ceramic water filters for households",
        description="Water filters, delivered",
        category="water_sanitation",
        subcategory="water_treatment",
        quantity=Decimal(300),
        unit="filters",
        latitude=-6.18,
        longitude=106.82,
        radius_km=30,
    )
    actions.create_offer(
        world.member,
        world.coalition,
        title="Rice and cooking oil",
        category="food",
        latitude=-6.18,
        longitude=106.82,
        radius_km=30,
    )
    need = actions.create_need(
        world.community,
        world.coalition,
        title="Filtros de agua para 200 familias",
        description="Agua potable después de la inundación",
        category="water_sanitation",
        quantity=Decimal(200),
        unit="filtros",
        latitude=-6.17,
        longitude=106.81,
        urgency=4,
    )
    run_pending()
    suggested = list(Match.objects.filter(need=need, status=MatchStatus.SUGGESTED))
    assert [m.offer_id for m in suggested] == [filters.pk]
    parts = suggested[0].parts
    assert parts["category"] >= 0.8 and parts["distance"] > 0.5
    page = world.client(world.observer).get(reverse("marketplace:need", args=["alpha", need.pk]))
    body = page.content.decode()
    assert "Ceramic water filters" in body and "km away" in body and "Rice" not in body
    offer_page = world.client(world.member).get(
        reverse("marketplace:offer", args=["alpha", filters.pk])
    )
    assert "Filtros de agua" in offer_page.content.decode()


def test_rematching_keeps_what_people_acted_on(world: World) -> None:
    offer = actions.create_offer(
        world.member,
        world.coalition,
        title="Hygiene kits",
        category="water_sanitation",
        subcategory="hygiene_items",
    )
    need = actions.create_need(
        world.community,
        world.coalition,
        title="Hygiene kits",
        category="water_sanitation",
        subcategory="hygiene_items",
    )
    run_pending()
    match = Match.objects.get(need=need, offer=offer)
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.DECLINED)
    actions.update_offer(world.member, offer, title="Hygiene kits", category="food", subcategory="")
    run_pending()
    rematch_coalition(world.coalition.pk)
    assert Match.objects.get(pk=match.pk).status == MatchStatus.DECLINED


def test_closed_listings_lose_their_suggestions(world: World) -> None:
    offer = actions.create_offer(
        world.member,
        world.coalition,
        title="Tents",
        category="shelter",
        subcategory="emergency_shelter",
    )
    need = actions.create_need(
        world.community,
        world.coalition,
        title="Tents for families",
        category="shelter",
        subcategory="emergency_shelter",
    )
    run_pending()
    assert Match.objects.filter(need=need).exists()
    actions.update_need(world.community, need, status="withdrawn")
    run_pending()
    assert not Match.objects.filter(need=need).exists()
    assert offer.pk
