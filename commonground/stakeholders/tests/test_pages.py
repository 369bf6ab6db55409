"""The stakeholder map's pages: list, filters, board, detail, adding, editing, stage moves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.organisations import actions as org_actions
from commonground.stakeholders import actions
from commonground.stakeholders.models import StageChange, Stakeholder
from conftest import World

from .conftest import Map

LIST = reverse("stakeholders:list", args=["alpha"])
BOARD = reverse("stakeholders:board", args=["alpha"])
CREATE = reverse("stakeholders:create", args=["alpha"])


def url(name: str, stakeholder: Stakeholder) -> str:
    return reverse(f"stakeholders:{name}", args=["alpha", stakeholder.pk])


def test_every_reader_sees_the_map_and_not_other_coalitions(world: World, stakes: Map) -> None:
    for user in world.readers:
        body = world.client(user).get(LIST).content.decode()
        assert "Alpha Red Cross" in body and "Ibu Siti Rahayu" in body, user
        assert "Beta Flood Volunteers" not in body


def test_outsiders_and_anonymous_users_get_nothing(world: World, stakes: Map) -> None:
    assert world.client(world.outsider).get(LIST).status_code == 404
    assert world.client(world.outsider).get(url("detail", stakes.red_cross)).status_code == 404
    # Beta's stakeholder is not Alpha's, even for Alpha's focal point.
    assert world.client(world.owner).get(url("detail", stakes.other)).status_code == 404
    assert world.client(None).get(LIST).status_code == 302


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"q": "siti"}, ["Ibu Siti Rahayu"], ["Alpha Red Cross"]),
        ({"q": "ARC"}, ["Alpha Red Cross"], ["Universitas Alpha"]),
        ({"stage": "engaged"}, ["Alpha Red Cross"], ["Universitas Alpha"]),
        ({"role": "core_partner"}, ["Alpha Red Cross"], ["Ibu Siti"]),
        ({"engagement_model": "partnership"}, ["Alpha Red Cross"], ["Ibu Siti"]),
        ({"lived_experience": "yes"}, ["Ibu Siti"], ["Alpha Red Cross"]),
        ({"kind": "person"}, ["Ibu Siti"], ["Universitas Alpha"]),
        ({"type": "academia"}, ["Universitas Alpha"], ["Alpha Red Cross"]),
        ({"sector": "hea"}, ["Alpha Red Cross"], ["Universitas Alpha"]),
        ({"min_power": "3"}, ["Alpha Red Cross"], ["Universitas Alpha"]),
        ({"min_interest": "5"}, ["Alpha Red Cross"], ["Universitas Alpha"]),
    ],
)
def test_the_list_filters_by_every_attribute(
    world: World, stakes: Map, params: dict[str, str], shown: list[str], hidden: list[str]
) -> None:
    body = world.client(world.observer).get(LIST, params).content.decode()
    for name in shown:
        assert name in body, params
    for name in hidden:
        assert name not in body, params


def test_the_list_paginates_with_a_bounded_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    for i in range(30):
        actions.create_stakeholder(world.owner, world.coalition, person_name=f"Person {i:02d}")
    client = world.client(world.member)
    with django_assert_max_num_queries(9):
        first = client.get(LIST).content.decode()
    assert "Page 1 of 2" in first and "Person 00" in first and "Person 29" not in first
    assert "Person 29" in client.get(LIST, {"page": 2}).content.decode()


def test_htmx_search_answers_with_only_the_results(world: World, stakes: Map) -> None:
    response = world.client(world.member).get(
        LIST, {"q": "univ"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = response.content.decode()
    assert "Universitas Alpha" in body and "<html" not in body


def test_the_board_has_a_column_per_stage_with_cards_and_move_forms(
    world: World, stakes: Map, django_assert_max_num_queries
) -> None:
    client = world.client(world.member)
    with django_assert_max_num_queries(9):
        response = client.get(BOARD)
    body = response.content.decode()
    for stage in ("identified", "approached", "engaged", "committed", "member", "declined"):
        assert f'data-stage="{stage}"' in body
    assert f'id="card-{stakes.red_cross.pk}"' in body
    assert 'draggable="true"' in body and 'name="stage"' in body


def test_observers_see_the_board_without_move_forms(world: World, stakes: Map) -> None:
    body = world.client(world.observer).get(BOARD).content.decode()
    assert "Alpha Red Cross" in body
    assert 'draggable="true"' not in body and 'name="stage"' not in body


def test_the_board_shows_a_bounded_number_of_cards_per_column(world: World) -> None:
    for i in range(45):
        actions.create_stakeholder(world.owner, world.coalition, person_name=f"P{i:02d}")
    body = world.client(world.member).get(BOARD).content.decode()
    assert body.count('class="card-s"') == 40
    assert "and 5 more" in body


def test_a_board_move_over_htmx_answers_with_the_new_board(world: World, stakes: Map) -> None:
    response = world.client(world.member).post(
        url("stage", stakes.university), {"stage": "approached"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="board"' in body and "<html" not in body
    stakes.university.refresh_from_db()
    assert stakes.university.stage == "approached"
    assert StageChange.objects.filter(
        stakeholder=stakes.university, to_stage="approached", changed_by=world.member
    ).exists()


def test_the_no_js_move_form_redirects_back_to_the_board(world: World, stakes: Map) -> None:
    response = world.client(world.member).post(
        url("stage", stakes.university), {"stage": "committed", "next": BOARD}
    )
    assert response.status_code == 302 and response["Location"] == BOARD
    stakes.university.refresh_from_db()
    assert stakes.university.stage == "committed"


def test_a_move_never_redirects_to_another_site(world: World, stakes: Map) -> None:
    response = world.client(world.member).post(
        url("stage", stakes.university), {"stage": "engaged", "next": "https://evil.example/"}
    )
    assert response["Location"] == url("detail", stakes.university)


def test_readers_cannot_move_stages(world: World, stakes: Map) -> None:
    for user in (world.community, world.observer):
        response = world.client(user).post(url("stage", stakes.university), {"stage": "member"})
        assert response.status_code == 403
    stakes.university.refresh_from_db()
    assert stakes.university.stage == "identified"


def test_the_detail_shows_history_scores_plan_and_log(
    world: World, stakes: Map, django_assert_max_num_queries
) -> None:
    actions.move_stage(world.member, stakes.person, "approached", "first visit")
    client = world.client(world.observer)
    with django_assert_max_num_queries(14):
        body = client.get(url("detail", stakes.person)).content.decode()
    assert "Ibu Siti Rahayu" in body and "first visit" in body
    assert "Knows every family on the riverbank" in body
    assert "Nobody has scored" in body and "No plan yet" in body
    assert "Log it" not in body  # observers read only


def test_a_member_adds_an_organisation_by_typing_its_acronym(world: World) -> None:
    org_actions.create_organisation(world.owner, None, name="Masjid Al-Falah", type="faith")
    response = world.client(world.member).post(
        CREATE,
        {
            "organisation": "Masjid Al-Falah",
            "stage": "identified",
            "role": "ally",
            "power": "2",
            "interest": "4",
        },
    )
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get(organisation__name="Masjid Al-Falah")
    assert (stakeholder.role, stakeholder.power, stakeholder.interest) == ("ally", 2, 4)
    assert stakeholder.coalition == world.coalition
    client = world.client(world.member)
    assert client.post(CREATE, {"organisation": "arc", "stage": "engaged"}).status_code == 302
    response = client.post(CREATE, {"organisation": "ARC", "stage": "engaged"})
    assert "already on the stakeholder map" in response.content.decode()


def test_an_unknown_or_ambiguous_organisation_is_explained(world: World) -> None:
    body = world.client(world.member).post(CREATE, {"organisation": "Nope", "stage": "identified"})
    assert "No organisation in the registry" in body.content.decode()
    org_actions.create_organisation(world.owner, None, name="Twin", acronym="T1")
    org_actions.create_organisation(world.owner, None, name="Twin", acronym="T2")
    body = world.client(world.member).post(CREATE, {"organisation": "Twin", "stage": "identified"})
    assert "Several organisations match" in body.content.decode()
    ok = world.client(world.member).post(CREATE, {"organisation": "Twin (T2)", "stage": "engaged"})
    assert ok.status_code == 302
    assert Stakeholder.objects.get(organisation__acronym="T2").stage == "engaged"


def test_a_person_needs_a_name_when_no_organisation_is_given(world: World) -> None:
    body = world.client(world.member).post(CREATE, {"stage": "identified"}).content.decode()
    assert "Choose an organisation from the registry, or name a person." in body
    assert not Stakeholder.objects.exists()


def test_suggestions_list_registry_organisations_not_yet_on_the_map(
    world: World, stakes: Map
) -> None:
    org_actions.create_organisation(world.owner, None, name="Alpha Fishermen Union")
    body = (
        world.client(world.member)
        .get(reverse("stakeholders:suggest", args=["alpha"]), {"organisation": "alpha"})
        .content.decode()
    )
    assert "Alpha Fishermen Union" in body
    assert "Alpha Red Cross" not in body  # already on the map


def test_editing_keeps_the_stage_and_deleting_takes_it_off(world: World, stakes: Map) -> None:
    client = world.client(world.member)
    response = client.post(
        url("edit", stakes.red_cross),
        {"organisation": "Alpha Red Cross (ARC)", "role": "lead", "power": "5", "interest": "5"},
    )
    assert response.status_code == 302
    stakes.red_cross.refresh_from_db()
    assert (stakes.red_cross.role, stakes.red_cross.stage) == ("lead", "engaged")
    client.post(url("edit", stakes.red_cross), {"delete": "1"})
    assert not Stakeholder.objects.filter(pk=stakes.red_cross.pk).exists()


def test_readers_cannot_add_or_edit(world: World, stakes: Map) -> None:
    for user in (world.community, world.observer):
        client = world.client(user)
        assert client.get(CREATE).status_code == 403
        assert client.post(url("edit", stakes.person), {"delete": "1"}).status_code == 403
    assert Stakeholder.objects.filter(pk=stakes.person.pk).exists()


def test_the_main_navigation_links_to_the_map(world: World) -> None:
    body = world.client(world.observer).get(reverse("coalitions:dashboard", args=["alpha"]))
    assert f'href="{LIST}"' in body.content.decode()
