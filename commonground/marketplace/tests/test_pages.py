"""The marketplace's pages: who posts, who reads, who sees which thread, and nothing leaks."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from commonground.coalitions.models import Membership
from commonground.marketplace import actions, fulfilment
from commonground.marketplace.models import Attachment, Match, MatchStatus, Need, Offer
from conftest import World

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def listings(world: World) -> tuple[Need, Offer]:
    need = actions.create_need(
        world.community,
        world.coalition,
        title="Primeros auxilios para la comunidad",
        category="training_skills",
        subcategory="first_aid_training",
        people=40,
        urgency=3,
    )
    offer = actions.create_offer(
        world.member,
        world.coalition,
        title="First-aid training sessions",
        category="training_skills",
        organisation=world.org,
    )
    return need, offer


def url(name: str, *args: object) -> str:
    return reverse(f"marketplace:{name}", args=["alpha", *args])


def test_a_community_representative_posts_a_need_from_the_page(world: World) -> None:
    client = world.client(world.community)
    response = client.post(
        url("need_create"),
        {
            "title": "Filtros de agua para 200 familias",
            "description": "Agua potable después de la inundación",
            "category": "water_sanitation",
            "quantity": "200",
            "unit": "filtros",
            "urgency": "4",
            "status": "open",
        },
    )
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.created_by == world.community and need.urgency == 4
    page = client.get(response["Location"]).content.decode()
    assert "Filtros de agua" in page and "200 filtros still to commit" in page


def test_readers_browse_and_search_in_any_case_and_accent(
    world: World, listings: tuple[Need, Offer], django_assert_max_num_queries: object
) -> None:
    client = world.client(world.observer)
    page = client.get(url("browse"), {"q": "PRIMEROS auxílios"}).content.decode()
    assert "Primeros auxilios" in page
    assert "Primeros auxilios" not in client.get(url("browse"), {"q": "agua"}).content.decode()
    offers = client.get(url("browse"), {"show": "offers", "category": "training_skills"})
    assert "First-aid training sessions" in offers.content.decode()
    for number in range(30):
        actions.create_need(world.owner, world.coalition, title=f"Need {number}", category="food")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(url("browse"), {"page": "2"})
    assert "Page 2 of 2" in response.content.decode()


def test_observers_and_community_cannot_post_offers_and_observers_no_needs(world: World) -> None:
    assert world.client(world.observer).get(url("need_create")).status_code == 403
    assert world.client(world.observer).get(url("offer_create")).status_code == 403
    assert world.client(world.community).get(url("offer_create")).status_code == 403
    assert world.client(world.community).get(url("need_create")).status_code == 200


def test_only_the_poster_and_managers_edit_a_need(
    world: World, listings: tuple[Need, Offer]
) -> None:
    need, _offer = listings
    assert world.client(world.member).get(url("need_edit", need.pk)).status_code == 403
    assert world.client(world.owner).get(url("need_edit", need.pk)).status_code == 200
    response = world.client(world.community).post(
        url("need_edit", need.pk),
        {
            "title": "Primeros auxilios",
            "category": "training_skills",
            "urgency": "2",
            "status": "withdrawn",
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "withdrawn"


def test_threads_belong_to_the_two_sides(world: World, listings: tuple[Need, Offer]) -> None:
    need, offer = listings
    member = Membership.objects.get(coalition=world.coalition, user=world.member)
    match = fulfilment.propose(world.member, member, need, offer)
    fulfilment.post_message(world.member, member, match, "We can train 40 people on Saturday.")
    for user in (world.member, world.community, world.owner):
        page = world.client(user).get(url("match", match.pk))
        assert page.status_code == 200 and "Saturday" in page.content.decode()
    assert world.client(world.observer).get(url("match", match.pk)).status_code == 404
    response = world.client(world.observer).post(url("match_message", match.pk), {"body": "hi"})
    assert response.status_code == 404


def test_the_match_page_walks_through_the_steps(world: World, listings: tuple[Need, Offer]) -> None:
    need, offer = listings
    provider, owner = world.client(world.member), world.client(world.community)
    response = provider.post(url("propose", need.pk), {"offer": offer.pk})
    match = Match.objects.get()
    assert response["Location"].endswith(f"/matches/{match.pk}/")
    assert "Commit to this need" in provider.get(url("match", match.pk)).content.decode()
    provider.post(url("match_step", match.pk), {"status": "offered"})
    page = owner.get(url("match", match.pk)).content.decode()
    assert "Accept" in page and "Decline" in page
    for client, status in [
        (owner, "accepted"),
        (provider, "in_delivery"),
        (provider, "delivered"),
    ]:
        client.post(url("match_step", match.pk), {"status": status})
    owner.post(
        url("match_step", match.pk),
        {"status": "confirmed", "people_reached": "38", "note": "¡Gracias!"},
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED and match.people_reached == 38
    dashboard = world.client(world.observer).get(url("dashboard")).content.decode()
    assert "38" in dashboard


def test_attachments_are_checked_and_served_to_members_only(
    world: World, listings: tuple[Need, Offer], settings: object, tmp_path: object
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    need, _offer = listings
    client = world.client(world.community)
    fake = io.BytesIO(b"MZ not a photo")
    fake.name = "photo.png"
    client.post(url("need_attach", need.pk), {"file": fake})
    assert not Attachment.objects.exists()
    photo = io.BytesIO(PNG)
    photo.name = "flooded-street.png"
    client.post(url("need_attach", need.pk), {"file": photo})
    attachment = Attachment.objects.get()
    response = world.client(world.observer).get(url("attachment", attachment.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    outsider = world.client(world.outsider)
    assert outsider.get(url("attachment", attachment.pk)).status_code == 404
    beta = reverse("marketplace:attachment", args=["beta", attachment.pk])
    assert outsider.get(beta).status_code == 404


def test_outsiders_see_nothing_of_alphas_marketplace(
    world: World, listings: tuple[Need, Offer]
) -> None:
    need, offer = listings
    client = world.client(world.outsider)
    for name, args in [("need", need.pk), ("offer", offer.pk)]:
        assert client.get(url(name, args)).status_code == 404
        beta = reverse(f"marketplace:{name}", args=["beta", args])
        assert client.get(beta).status_code == 404
    beta_browse = client.get(reverse("marketplace:browse", args=["beta"])).content.decode()
    assert "Primeros" not in beta_browse
    response = client.post(
        reverse("marketplace:propose", args=["beta", need.pk]), {"offer": offer.pk}
    )
    assert response.status_code == 404
    assert not Match.objects.exists()


def test_settings_are_for_focal_points(world: World) -> None:
    assert world.client(world.member).get(url("settings")).status_code == 403
    response = world.client(world.owner).post(url("settings"), {"public": "on"})
    assert response.status_code == 302
    assert actions.settings_for(world.coalition).public is True


def test_the_public_marketplace_exists_only_when_the_coalition_allows(
    world: World, listings: tuple[Need, Offer]
) -> None:
    from django.test import Client

    actions.create_need(
        world.community, world.coalition, title="Secret draft", category="food", status="draft"
    )
    anonymous = Client()
    address = reverse("public_marketplace", args=["alpha"])
    assert anonymous.get(address).status_code == 404
    actions.update_settings(world.owner, world.coalition, public=True)
    page = anonymous.get(address).content.decode()
    assert "Primeros auxilios" in page and "Secret draft" not in page
    assert world.community.get_full_name() not in page
    offers = anonymous.get(address, {"show": "offers"}).content.decode()
    assert "First-aid training sessions" in offers
    assert anonymous.get(reverse("public_marketplace", args=["beta"])).status_code == 404
