from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.coalitions.models import AuditEntry
from commonground.organisations import actions
from commonground.organisations.models import CoalitionOrganisation, Contact, Organisation
from conftest import World

LIST = reverse("organisations:list", args=["alpha"])
CREATE = reverse("organisations:create", args=["alpha"])


def detail(world: World, org: Organisation | None = None, slug: str = "alpha") -> str:
    return reverse("organisations:detail", args=[slug, (org or world.org).pk])


def test_every_reader_sees_the_shared_registry(world: World) -> None:
    for user in world.readers:
        body = world.client(user).get(LIST).content.decode()
        assert "Alpha Red Cross" in body
        # The registry is shared: another coalition's organisation is listed too...
        assert "Beta Flood Volunteers" in body


def test_the_list_can_be_limited_to_this_coalition(world: World) -> None:
    body = world.client(world.member).get(LIST, {"scope": "coalition"}).content.decode()
    assert "Alpha Red Cross" in body
    assert "Beta Flood Volunteers" not in body


def test_it_searches_by_name_ignoring_case_and_accents_and_by_acronym(world: World) -> None:
    actions.create_organisation(world.owner, None, name="Cruz Roja Española", acronym="CRE")
    client = world.client(world.member)
    assert "Cruz Roja Española" in client.get(LIST, {"q": "ESPANOLA"}).content.decode()
    body = client.get(LIST, {"q": "cre"}).content.decode()
    assert "Cruz Roja Española" in body and "Alpha Red Cross" not in body


def test_it_filters_by_type_level_and_sector(world: World) -> None:
    actions.create_organisation(
        world.owner, None, name="Water NGO", type="ngo", level="national", sectors=["wsh"]
    )
    client = world.client(world.member)
    assert "Water NGO" in client.get(LIST, {"type": "ngo"}).content.decode()
    assert "Water NGO" not in client.get(LIST, {"type": "red_cross"}).content.decode()
    assert "Water NGO" in client.get(LIST, {"sector": "wsh", "level": "national"}).content.decode()
    assert "Alpha Red Cross" not in client.get(LIST, {"sector": "wsh"}).content.decode()


def test_it_paginates(world: World) -> None:
    for i in range(30):
        actions.create_organisation(world.owner, None, name=f"Org {i:02d}")
    client = world.client(world.member)
    first = client.get(LIST).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "Page 2 of 2" in second


def test_htmx_searches_get_only_the_results_fragment(world: World) -> None:
    response = world.client(world.member).get(
        LIST, {"q": "alpha"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = response.content.decode()
    assert "Alpha Red Cross" in body and "<html" not in body


def test_the_list_keeps_a_bounded_query_count(world: World, django_assert_max_num_queries) -> None:
    for i in range(40):
        actions.create_organisation(
            world.owner, world.coalition, name=f"Org {i:02d}", sectors=["hea", "wsh"]
        )
    client = world.client(world.member)
    client.get(LIST)  # the first visit also remembers the coalition in the session
    with django_assert_max_num_queries(6):
        client.get(LIST)
    with django_assert_max_num_queries(6):
        client.get(LIST, {"q": "org", "type": "other", "scope": "coalition"})


def test_it_hides_the_list_from_outsiders_through_another_coalitions_address(world: World) -> None:
    assert world.client(world.outsider).get(LIST).status_code == 404
    assert world.client(None).get(LIST).status_code == 302


def test_the_detail_shows_only_this_coalitions_contacts(world: World) -> None:
    body = world.client(world.observer).get(detail(world)).content.decode()
    assert "Ana Alpha" in body
    assert "Bruno Beta Secret" not in body
    body = world.client(world.outsider).get(detail(world, slug="beta")).content.decode()
    assert "Bruno Beta Secret" in body and "Ana Alpha" not in body


def test_it_hides_organisation_pages_under_another_coalitions_address(world: World) -> None:
    assert world.client(world.outsider).get(detail(world)).status_code == 404


def test_a_member_creates_an_organisation_which_joins_the_coalition(world: World) -> None:
    response = world.client(world.member).post(
        CREATE,
        {
            "name": "Kampung Pulo Youth",
            "type": "community",
            "level": "community",
            "sectors": ["drr", "edu"],
            "capacities": "volunteers, local knowledge",
            "latitude": "-6.22",
            "longitude": "106.87",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Kampung Pulo Youth")
    assert org.sectors == ["drr", "edu"] and org.capacities == ["volunteers", "local knowledge"]
    assert CoalitionOrganisation.objects.filter(
        coalition=world.coalition, organisation=org
    ).exists()
    entry = AuditEntry.objects.get(action="organisation.create", target_id=str(org.pk))
    assert entry.actor == world.member and entry.coalition == world.coalition


def test_creating_a_likely_duplicate_warns_first(world: World) -> None:
    client = world.client(world.member)
    data = {"name": "Alpha Red-Cross", "type": "red_cross", "level": "city"}
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert "look similar" in response.content.decode()
    assert not Organisation.objects.filter(name="Alpha Red-Cross").exists()
    response = client.post(CREATE, {**data, "confirm_not_duplicate": "on"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Alpha Red-Cross").exists()


def test_the_same_acronym_counts_as_a_likely_duplicate(world: World) -> None:
    response = world.client(world.member).get(
        reverse("organisations:similar", args=["alpha"]), {"name": "Other", "acronym": "arc"}
    )
    assert "Alpha Red Cross" in response.content.decode()


def test_bad_coordinates_are_refused(world: World) -> None:
    response = world.client(world.member).post(
        CREATE,
        {
            "name": "Somewhere Odd",
            "type": "ngo",
            "level": "city",
            "latitude": "123",
        },
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Somewhere Odd").exists()


@pytest.mark.parametrize("role", ["community", "observer"])
def test_read_only_roles_cannot_add_or_edit_organisations(world: World, role: str) -> None:
    client = world.client(getattr(world, role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {"name": "X", "type": "ngo", "level": "city"}).status_code == 403
    edit = reverse("organisations:edit", args=["alpha", world.org.pk])
    assert client.post(edit, {"name": "Hacked", "type": "ngo", "level": "city"}).status_code == 403
    world.org.refresh_from_db()
    assert world.org.name == "Alpha Red Cross"


def test_an_edit_is_audited_with_before_and_after(world: World) -> None:
    edit = reverse("organisations:edit", args=["alpha", world.org.pk])
    response = world.client(world.member).post(
        edit,
        {
            "name": "Alpha Red Cross Society",
            "acronym": "ARC",
            "type": "red_cross",
            "level": "city",
            "sectors": ["hea"],
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="organisation.update").latest("id")
    assert entry.before == {"name": "Alpha Red Cross"}
    assert entry.after == {"name": "Alpha Red Cross Society"}


def test_organisations_are_added_to_and_taken_off_the_coalitions_list(world: World) -> None:
    url = reverse("organisations:membership", args=["alpha", world.other_org.pk])
    client = world.client(world.member)
    client.post(url, {"in_coalition": "1"})
    assert world.other_org.participations.filter(coalition=world.coalition).exists()
    client.post(url, {"in_coalition": "0"})
    assert not world.other_org.participations.filter(coalition=world.coalition).exists()
    # Beta's own listing is untouched.
    assert world.other_org.participations.filter(coalition=world.other).exists()


def test_contacts_are_added_edited_and_deleted_within_the_coalition(world: World) -> None:
    client = world.client(world.member)
    url = reverse("organisations:contact_create", args=["alpha", world.org.pk])
    client.post(url, {"name": "Carla", "email": "carla@arc.test", "preferred_channel": "whatsapp"})
    contact = Contact.objects.get(name="Carla")
    assert contact.coalition == world.coalition
    edit = reverse("organisations:contact_edit", args=["alpha", contact.pk])
    client.post(edit, {"name": "Carla M.", "email": "carla@arc.test", "preferred_channel": "sms"})
    contact.refresh_from_db()
    assert contact.name == "Carla M." and contact.preferred_channel == "sms"
    client.post(edit, {"delete": "1"})
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert AuditEntry.objects.filter(action="contact.delete").exists()


def test_it_hides_other_coalitions_contacts_from_editing(world: World) -> None:
    for slug in ("alpha", "beta"):
        url = reverse("organisations:contact_edit", args=[slug, world.other_contact.pk])
        assert world.client(world.owner).get(url).status_code in {404}
    url = reverse("organisations:contact_edit", args=["beta", world.contact.pk])
    assert world.client(world.outsider).post(url, {"delete": "1"}).status_code == 404
    assert Contact.objects.filter(pk=world.contact.pk).exists()


def test_an_invalid_contact_email_is_refused(world: World) -> None:
    url = reverse("organisations:contact_create", args=["alpha", world.org.pk])
    response = world.client(world.member).post(
        url, {"name": "Bad", "email": "not-an-email", "preferred_channel": "email"}
    )
    assert response.status_code == 200
    assert not Contact.objects.filter(name="Bad").exists()


def test_the_list_speaks_the_readers_language(world: World) -> None:
    client = world.client(world.member)
    client.cookies["django_language"] = "es"
    body = client.get(LIST).content.decode()
    assert "Cruz Roja / Media Luna Roja" in body and "Salud" in body
    client.cookies["django_language"] = "en"
    body = client.get(LIST).content.decode()
    assert "Red Cross / Red Crescent" in body and "Health" in body
