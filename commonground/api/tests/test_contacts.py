from __future__ import annotations

import pytest

from commonground.coalitions.models import AuditEntry
from commonground.organisations import actions
from commonground.organisations.models import Contact
from conftest import World

from .conftest import ApiFor

CONTACTS = "/api/v1/coalitions/alpha/contacts/"


def test_every_reader_can_list_this_coalitions_contacts(world: World, api_for: ApiFor) -> None:
    for user in world.readers:
        response = api_for(user).get(CONTACTS)
        assert response.status_code == 200, user
        rows = response.json()["results"]
        assert [(r["name"], r["organisation"]) for r in rows] == [("Ana Alpha", world.org.pk)]
        assert rows[0]["organisation_name"] == "Alpha Red Cross"


def test_it_hides_other_coalitions_contacts_on_the_same_organisation(
    world: World, api_for: ApiFor
) -> None:
    owner = api_for(world.owner)
    response = owner.get(CONTACTS, {"organisation": world.org.pk})
    assert [r["name"] for r in response.json()["results"]] == ["Ana Alpha"]
    assert "Bruno" not in response.content.decode()
    secret = f"{CONTACTS}{world.other_contact.pk}/"
    assert owner.get(secret).status_code == 404
    assert owner.patch(secret, {"name": "Exposed"}).status_code == 404
    assert owner.delete(secret).status_code == 404
    world.other_contact.refresh_from_db()
    assert world.other_contact.name == "Bruno Beta Secret"


def test_it_hides_alphas_contacts_from_outsiders(world: World, api_for: ApiFor) -> None:
    outsider = api_for(world.outsider)
    mine = f"{CONTACTS}{world.contact.pk}/"
    assert outsider.get(CONTACTS).status_code == 404
    assert outsider.post(CONTACTS, {"organisation": world.org.pk, "name": "X"}).status_code == 404
    assert outsider.get(mine).status_code == 404
    assert outsider.patch(mine, {"name": "Exposed"}).status_code == 404
    assert outsider.delete(mine).status_code == 404
    # Through their own coalition's endpoint too.
    assert outsider.get(f"/api/v1/coalitions/beta/contacts/{world.contact.pk}/").status_code == 404
    world.contact.refresh_from_db()
    assert world.contact.name == "Ana Alpha"


def test_it_filters_contacts_by_organisation(world: World, api_for: ApiFor) -> None:
    actions.create_contact(world.owner, world.coalition, world.other_org, name="Citra")
    client = api_for(world.observer)
    response = client.get(CONTACTS, {"organisation": world.other_org.pk})
    assert [r["name"] for r in response.json()["results"]] == ["Citra"]
    assert client.get(CONTACTS, {"organisation": "abc"}).status_code == 400


def test_every_reader_can_read_a_contact(world: World, api_for: ApiFor) -> None:
    response = api_for(world.observer).get(f"{CONTACTS}{world.contact.pk}/")
    assert response.status_code == 200
    assert response.json()["email"] == "ana@arc.test"


@pytest.mark.parametrize("who", ["owner", "lead", "member"])
def test_editors_can_add_a_contact_at_any_registry_organisation(
    world: World, api_for: ApiFor, who: str
) -> None:
    response = api_for(getattr(world, who)).post(
        CONTACTS,
        {
            "organisation": world.other_org.pk,
            "name": "Dewi",
            "email": "dewi@flood.test",
            "preferred_channel": "whatsapp",
        },
    )
    assert response.status_code == 201, response.json()
    contact = Contact.objects.get(pk=response.json()["id"])
    assert (contact.coalition, contact.organisation) == (world.coalition, world.other_org)
    entry = AuditEntry.objects.get(action="contact.create", target_id=str(contact.pk))
    assert (entry.actor, entry.coalition) == (getattr(world, who), world.coalition)
    # Beta keeps that organisation but does not see alpha's contact.
    beta = api_for(world.outsider).get("/api/v1/coalitions/beta/contacts/")
    assert "Dewi" not in beta.content.decode()


@pytest.mark.parametrize("who", ["community", "observer"])
def test_community_reps_and_observers_cannot_change_contacts(
    world: World, api_for: ApiFor, who: str
) -> None:
    client = api_for(getattr(world, who))
    mine = f"{CONTACTS}{world.contact.pk}/"
    assert client.post(CONTACTS, {"organisation": world.org.pk, "name": "X"}).status_code == 403
    assert client.patch(mine, {"name": "Changed"}).status_code == 403
    assert client.delete(mine).status_code == 403
    world.contact.refresh_from_db()
    assert world.contact.name == "Ana Alpha"
    assert Contact.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "Eko", "email": "not-an-email"}, "email"),
        ({"name": "Eko"}, "organisation"),
        ({"name": "Eko", "organisation": 999999}, "organisation"),
        ({"name": "", "organisation": "ORG"}, "name"),
        (
            {"name": "Eko", "organisation": "ORG", "preferred_channel": "pigeon"},
            "preferred_channel",
        ),
    ],
)
def test_it_rejects_bad_contacts_with_field_errors_and_writes_nothing(
    world: World, api_for: ApiFor, data: dict[str, object], field: str
) -> None:
    if data.get("organisation") == "ORG":
        data = {**data, "organisation": world.org.pk}
    response = api_for(world.member).post(CONTACTS, data)
    assert response.status_code == 400
    assert field in response.json()
    assert Contact.objects.count() == 2
    assert not AuditEntry.objects.filter(action="contact.create", actor=world.member).exists()


def test_a_member_can_edit_a_contact_and_it_is_audited(world: World, api_for: ApiFor) -> None:
    response = api_for(world.member).patch(
        f"{CONTACTS}{world.contact.pk}/",
        {"phone": "+62 21 555", "organisation": world.other_org.pk},
    )
    assert response.status_code == 200
    body = response.json()
    # A contact stays with its organisation; the organisation in the request is ignored.
    assert (body["phone"], body["organisation"]) == ("+62 21 555", world.org.pk)
    entry = AuditEntry.objects.get(action="contact.update")
    assert (entry.before, entry.after) == ({"phone": ""}, {"phone": "+62 21 555"})


def test_a_bad_email_on_edit_is_rejected_and_nothing_changes(world: World, api_for: ApiFor) -> None:
    response = api_for(world.member).patch(
        f"{CONTACTS}{world.contact.pk}/", {"email": "nope", "name": "Changed"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"email"}
    world.contact.refresh_from_db()
    assert (world.contact.name, world.contact.email) == ("Ana Alpha", "ana@arc.test")
    assert not AuditEntry.objects.filter(action="contact.update").exists()


def test_a_member_can_delete_a_contact_and_it_is_audited(world: World, api_for: ApiFor) -> None:
    response = api_for(world.member).delete(f"{CONTACTS}{world.contact.pk}/")
    assert response.status_code == 204
    assert not Contact.objects.filter(pk=world.contact.pk).exists()
    entry = AuditEntry.objects.get(action="contact.delete")
    assert entry.before["email"] == "ana@arc.test"
    assert Contact.objects.filter(pk=world.other_contact.pk).exists()


def test_the_list_keeps_a_bounded_query_count(
    world: World, api_for: ApiFor, django_assert_max_num_queries
) -> None:
    for n in range(30):
        organisation = world.org if n % 2 else world.other_org
        actions.create_contact(world.owner, world.coalition, organisation, name=f"Person {n:02}")
    client = api_for(world.observer)
    with django_assert_max_num_queries(3):
        response = client.get(CONTACTS)
    assert response.json()["count"] == 31
