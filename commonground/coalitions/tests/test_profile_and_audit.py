from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.coalitions.models import AuditEntry
from conftest import World

PROFILE = reverse("coalitions:profile", args=["alpha"])
AUDIT = reverse("coalitions:audit", args=["alpha"])


def _profile_form(**changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Alpha City Coalition",
        "city": "Alpha",
        "country": "id",
        "model": "networked",
        "status": "active",
        "levels_engaged": ["community", "city"],
        "mission_what": "Fewer people harmed by floods.",
    }
    data.update(changes)
    return data


def test_a_focal_point_edits_the_profile_and_the_audit_log_keeps_before_and_after(
    world: World,
) -> None:
    response = world.client(world.owner).post(PROFILE, _profile_form())
    assert response.status_code == 302
    world.coalition.refresh_from_db()
    assert world.coalition.model == "networked"
    assert world.coalition.country == "ID"
    assert world.coalition.levels_engaged == ["community", "city"]
    entry = AuditEntry.objects.filter(action="coalition.update").latest("id")
    assert entry.before["model"] == "hub_and_spoke" and entry.after["model"] == "networked"
    assert "name" not in entry.after  # unchanged fields are left out


def test_a_bad_country_code_is_refused_and_nothing_changes(world: World) -> None:
    response = world.client(world.owner).post(PROFILE, _profile_form(country="Spain"))
    assert response.status_code == 200
    world.coalition.refresh_from_db()
    assert world.coalition.country == "ID"


@pytest.mark.parametrize("role", ["member", "community", "observer"])
def test_only_coalition_admins_edit_the_profile(world: World, role: str) -> None:
    client = world.client(getattr(world, role))
    assert client.get(PROFILE).status_code == 403
    assert client.post(PROFILE, _profile_form()).status_code == 403


def test_the_lead_organisation_admin_edits_the_profile(world: World) -> None:
    assert world.client(world.lead).post(PROFILE, _profile_form()).status_code == 302


def test_it_hides_the_profile_form_from_outsiders(world: World) -> None:
    assert world.client(world.outsider).get(PROFILE).status_code == 404


def test_the_lead_organisation_must_be_in_the_coalition(world: World) -> None:
    data = _profile_form(lead_organisation=str(world.other_org.pk))
    response = world.client(world.owner).post(PROFILE, data)
    assert response.status_code == 200
    world.coalition.refresh_from_db()
    assert world.coalition.lead_organisation is None


def test_focal_points_browse_their_coalitions_audit_log_only(world: World) -> None:
    body = world.client(world.owner).get(AUDIT).content.decode()
    assert "Alpha Red Cross" in body
    assert "Beta Flood Volunteers" not in body
    assert "Bruno Beta Secret" not in body


def test_the_audit_log_filters_by_action(world: World) -> None:
    body = world.client(world.owner).get(AUDIT, {"action": "contact."}).content.decode()
    assert "Ana Alpha" in body
    assert "membership.add" not in body


@pytest.mark.parametrize("role", ["member", "community", "observer"])
def test_the_audit_log_is_for_coalition_admins(world: World, role: str) -> None:
    assert world.client(getattr(world, role)).get(AUDIT).status_code == 403


def test_it_hides_the_audit_log_from_outsiders(world: World) -> None:
    assert world.client(world.outsider).get(AUDIT).status_code == 404


def test_the_audit_log_keeps_a_bounded_query_count(
    world: World, django_assert_max_num_queries
) -> None:
    client = world.client(world.owner)
    with django_assert_max_num_queries(10):
        client.get(AUDIT)


def test_the_audit_log_names_fields_and_choices_in_words(world: World) -> None:
    world.client(world.owner).post(PROFILE, _profile_form())
    body = world.client(world.owner).get(AUDIT).content.decode()
    assert "coalition model" in body
    assert "Hub and spoke" in body and "Networked" in body


def test_not_found_and_not_allowed_pages_explain_themselves(world: World) -> None:
    body = world.client(world.outsider).get(AUDIT).content.decode()
    assert "belongs to a coalition you are not part of" in body
    body = world.client(world.member).get(AUDIT).content.decode()
    assert "Your role in this coalition does not allow this" in body
