"""From a posted need to a confirmed delivery: every step, who may take it, and quantities."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commonground.accounts.models import User
from commonground.coalitions.models import Membership
from commonground.jobs.queue import run_pending
from commonground.marketplace import actions, fulfilment
from commonground.marketplace.fulfilment import TRANSITIONS
from commonground.marketplace.models import (
    Match,
    MatchEvent,
    MatchStatus,
    Need,
    NeedStatus,
    Offer,
)
from conftest import World


def membership(world: World, user: User) -> Membership:
    return Membership.objects.get(coalition=world.coalition, user=user)


@pytest.fixture
def need(world: World) -> Need:
    return actions.create_need(
        world.community,
        world.coalition,
        title="Water filters for 200 households",
        category="water_sanitation",
        subcategory="water_treatment",
        quantity=Decimal(200),
        unit="filters",
        people=800,
    )


@pytest.fixture
def offer(world: World) -> Offer:
    return actions.create_offer(
        world.member,
        world.coalition,
        title="Ceramic water filters",
        category="water_sanitation",
        quantity=Decimal(500),
        unit="filters",
        organisation=world.org,
    )


def go(world: World, user: object, match: Match, target: str, **kwargs: object) -> Match:
    return fulfilment.step(user, membership(world, user), match, target, **kwargs)  # type: ignore[arg-type]


def test_a_match_goes_from_offer_to_confirmed_with_partial_quantities(
    world: World, need: Need, offer: Offer
) -> None:
    match = fulfilment.propose(world.member, membership(world, world.member), need, offer)
    assert match.status == MatchStatus.SUGGESTED
    match = go(world, world.member, match, MatchStatus.OFFERED, quantity=Decimal(150))
    assert fulfilment.outstanding(need) == Decimal(50)
    assert fulfilment.available(offer) == Decimal(350)
    match = go(world, world.community, match, MatchStatus.ACCEPTED)
    match = go(world, world.member, match, MatchStatus.IN_DELIVERY, quantity=Decimal(150))
    assert match.in_transit == Decimal(150)
    match = go(world, world.member, match, MatchStatus.DELIVERED, quantity=Decimal(120))
    assert match.delivered == Decimal(120) and match.in_transit == 0
    need.refresh_from_db()
    assert need.status == NeedStatus.PARTLY_MET
    match = go(
        world,
        world.community,
        match,
        MatchStatus.CONFIRMED,
        people_reached=480,
        note="Thank you, the whole RW has clean water.",
    )
    assert match.status == MatchStatus.CONFIRMED and match.people_reached == 480
    steps = list(MatchEvent.objects.filter(match=match).values_list("to_status", flat=True))
    assert steps == ["offered", "accepted", "in_delivery", "delivered", "confirmed"]


def test_each_step_emails_the_other_side(world: World, need: Need, offer: Offer) -> None:
    match = fulfilment.propose(world.member, membership(world, world.member), need, offer)
    go(world, world.member, match, MatchStatus.OFFERED, quantity=Decimal(10))
    mail.outbox.clear()
    run_pending()
    sent = [m for m in mail.outbox if "Water filters" in m.subject]
    assert [m.to for m in sent] == [[world.community.email]]
    assert "/marketplace/matches/" in sent[0].body
    fulfilment.post_message(world.community, membership(world, world.community), match, "When?")
    mail.outbox.clear()
    run_pending()
    assert [m.to for m in mail.outbox if "New message" in m.subject] == [[world.member.email]]


def test_a_need_never_gets_more_committed_than_it_needs(
    world: World, need: Need, offer: Offer
) -> None:
    other = actions.create_offer(
        world.owner,
        world.coalition,
        title="More filters",
        category="water_sanitation",
        quantity=Decimal(300),
        unit="filters",
    )
    first = fulfilment.propose(world.member, membership(world, world.member), need, offer)
    go(world, world.member, first, MatchStatus.OFFERED, quantity=Decimal(180))
    second = fulfilment.propose(world.owner, membership(world, world.owner), need, other)
    with pytest.raises(ValidationError, match="Only 20"):
        go(world, world.owner, second, MatchStatus.OFFERED, quantity=Decimal(50))
    assert Match.objects.get(pk=second.pk).status == MatchStatus.SUGGESTED
    # A cancelled commitment frees its quantity again.
    go(world, world.member, first, MatchStatus.CANCELLED)
    go(world, world.owner, second, MatchStatus.OFFERED, quantity=Decimal(200))
    assert fulfilment.outstanding(need) == 0


def test_an_offer_never_commits_more_than_it_has(world: World, need: Need, offer: Offer) -> None:
    small = actions.create_offer(
        world.member,
        world.coalition,
        title="Five filters",
        category="water_sanitation",
        quantity=Decimal(5),
        unit="filters",
    )
    match = fulfilment.propose(world.member, membership(world, world.member), need, small)
    with pytest.raises(ValidationError, match="only 5"):
        go(world, world.member, match, MatchStatus.OFFERED, quantity=Decimal(6))


@pytest.mark.parametrize(("source", "target"), sorted(TRANSITIONS))
def test_every_allowed_step_is_refused_to_the_wrong_side(
    world: World, need: Need, offer: Offer, source: str, target: str
) -> None:
    match = Match.objects.create(
        coalition=world.coalition, need=need, offer=offer, status=source, committed=Decimal(10)
    )
    side = TRANSITIONS[(source, target)]
    # The observer is on neither side; the need's poster cannot take the provider's steps.
    with pytest.raises(PermissionDenied):
        go(world, world.observer, match, target, quantity=Decimal(5))
    if side == "offer":
        with pytest.raises(PermissionDenied):
            go(world, world.community, match, target, quantity=Decimal(5))
    if side == "need":
        with pytest.raises(PermissionDenied):
            go(world, world.member, match, target, quantity=Decimal(5))
    actor = world.community if side in ("need", "either") else world.member
    moved = go(world, actor, match, target, quantity=Decimal(5))
    assert moved.status == target


FORBIDDEN = [
    (source, target)
    for source in MatchStatus.values
    for target in MatchStatus.values
    if (source, target) not in TRANSITIONS and source != target
]


@pytest.mark.parametrize(("source", "target"), FORBIDDEN[::3])
def test_steps_outside_the_state_machine_are_refused(
    world: World, need: Need, offer: Offer, source: str, target: str
) -> None:
    match = Match.objects.create(coalition=world.coalition, need=need, offer=offer, status=source)
    with pytest.raises(ValidationError, match="cannot become"):
        go(world, world.owner, match, target, quantity=Decimal(1))
    assert Match.objects.get(pk=match.pk).status == source


def test_offers_need_review_when_the_coalition_asks_for_it(world: World) -> None:
    actions.update_settings(world.owner, world.coalition, review_offers=True)
    offer = actions.create_offer(
        world.member, world.coalition, title="Generators", category="preparedness_equipment"
    )
    assert offer.status == "in_review"
    client = world.client(world.observer)
    listing = client.get(reverse("marketplace:browse", args=["alpha"]), {"show": "offers"})
    assert "Generators" not in listing.content.decode()
    assert client.get(reverse("marketplace:offer", args=["alpha", offer.pk])).status_code == 404
    with pytest.raises(ValidationError):
        actions.review_offer(world.owner, offer, suitable=False, note="")
    url = reverse("marketplace:offer_review", args=["alpha", offer.pk])
    assert world.client(world.member).post(url, {"decision": "list"}).status_code == 403
    assert world.client(world.owner).post(url, {"decision": "list"}).status_code == 302
    offer.refresh_from_db()
    assert offer.status == "open"
    assert client.get(reverse("marketplace:offer", args=["alpha", offer.pk])).status_code == 200


def test_bad_listings_are_refused_and_write_nothing(world: World) -> None:
    bad: list[dict[str, Any]] = [
        {"title": "x", "category": "spaceships"},
        {"title": "x", "category": "food", "quantity": Decimal(-3)},
        {"title": "x", "category": "food", "latitude": 95.0, "longitude": 1.0},
        {"title": "x", "category": "food", "latitude": 5.0},
        {"title": "x", "category": "food", "status": "met"},
    ]
    for values in bad:
        with pytest.raises(ValidationError):
            actions.create_need(world.community, world.coalition, **values)
    with pytest.raises(ValidationError):
        actions.create_offer(
            world.member, world.coalition, title="x", category="food", organisation=world.other_org
        )
    assert not Need.objects.exists() and not Offer.objects.exists()
