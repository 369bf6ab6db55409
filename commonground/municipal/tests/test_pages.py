"""The checklist page and its inline edits, with and without HTMX, for every role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commonground.coalitions.models import AuditEntry
from commonground.municipal import actions
from commonground.municipal.models import MunicipalSession, Objective, Participant, Task
from conftest import World

PAGE = reverse("municipal:session", args=["alpha"])
HTMX = {"HX-Request": "true"}


def url(name: str, *args: object) -> str:
    return reverse(f"municipal:{name}", args=["alpha", *args])


def first_task(session: MunicipalSession) -> Task:
    task = Task.objects.filter(session=session).order_by("position").first()
    assert task is not None
    return task


@pytest.mark.parametrize("who", ["owner", "lead"])
def test_a_manager_starts_the_checklist_on_a_first_visit(world: World, who: str) -> None:
    response = world.client(getattr(world, who)).get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Agree a shared resilience vision for the city" in body
    assert "Mayor or representative" in body and "Chief resilience officer" in body
    assert MunicipalSession.objects.filter(coalition=world.coalition).count() == 1


@pytest.mark.parametrize("who", ["member", "community", "observer"])
def test_readers_see_an_empty_state_until_it_is_started(world: World, who: str) -> None:
    body = world.client(getattr(world, who)).get(PAGE).content.decode()
    assert "has not been started yet" in body
    assert not MunicipalSession.objects.exists()


def test_every_reader_sees_the_checklist_and_its_progress(
    world: World, session: MunicipalSession
) -> None:
    for user in world.readers:
        body = world.client(user).get(PAGE).content.decode()
        assert "Overall progress" in body, user
        assert "0 of 30 done" in body, user
        assert "Roles and responsibilities" in body and "Proposed agenda" in body


@pytest.mark.parametrize("who", ["member", "community", "observer"])
def test_readers_get_no_edit_controls_and_403_on_every_edit(
    world: World, session: MunicipalSession, who: str
) -> None:
    client = world.client(getattr(world, who))
    body = client.get(PAGE).content.decode()
    assert "Add a task" not in body and "Remove" not in body
    task = first_task(session)
    for target in [
        url("overview"),
        url("goal"),
        url("endorsement"),
        url("item_create", "tasks"),
        url("item_edit", "tasks", task.pk),
    ]:
        assert client.get(target).status_code == 403, target
    for target in [
        url("item_toggle", "tasks", task.pk),
        url("item_move", "tasks", task.pk),
        url("item_delete", "tasks", task.pk),
        url("document_remove"),
        url("item_create", "tasks"),
    ]:
        assert client.post(target, {"new-tasks-title": "x"}).status_code == 403, target
    task.refresh_from_db()
    assert not task.done and Task.objects.filter(session=session).count() == 7


def test_outsiders_get_404_and_cannot_reach_items_through_their_own_coalition(
    world: World, session: MunicipalSession
) -> None:
    outsider = world.client(world.outsider)
    assert outsider.get(PAGE).status_code == 404
    task = first_task(session)
    # The outsider manages beta; alpha's task does not exist there.
    beta_task = reverse("municipal:item_toggle", args=["beta", "tasks", task.pk])
    actions.start_session(world.outsider, world.other)
    assert outsider.post(beta_task).status_code == 404
    task.refresh_from_db()
    assert task.done is False


def test_anonymous_visitors_are_asked_to_sign_in(world: World) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_task_is_added_without_javascript(world: World, session: MunicipalSession) -> None:
    response = world.client(world.owner).post(
        url("item_create", "tasks"),
        {
            "new-tasks-title": "Book the meeting room",
            "new-tasks-responsible": "municipality",
            "new-tasks-due_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#section-tasks")
    task = Task.objects.get(session=session, title="Book the meeting room")
    assert (task.responsible, str(task.due_on), task.position) == ("municipality", "2026-02-01", 7)
    assert AuditEntry.objects.filter(action="municipal.tasks.create").count() == 1


def test_a_refused_addition_shows_the_form_again_with_its_errors(
    world: World, session: MunicipalSession
) -> None:
    client = world.client(world.owner)
    plain = client.post(url("item_create", "objectives"), {"new-objectives-text": ""})
    assert plain.status_code == 200
    assert "This field is required." in plain.content.decode()
    swapped = client.post(
        url("item_create", "objectives"), {"new-objectives-text": ""}, headers=HTMX
    )
    body = swapped.content.decode()
    assert 'id="section-objectives"' in body and "This field is required." in body
    assert '<details class="add no-print" open>' in body
    assert swapped["HX-Retarget"] == "#section-objectives"
    assert Objective.objects.filter(session=session).count() == 6


def test_ticking_an_item_with_htmx_swaps_its_section_and_the_overall_progress(
    world: World, session: MunicipalSession
) -> None:
    task = first_task(session)
    response = world.client(world.owner).post(url("item_toggle", "tasks", task.pk), headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="section-tasks"' in body and "1 of 7 done" in body
    assert 'id="overall-progress"' in body and 'hx-swap-oob="true"' in body
    assert "1 of 30 done" in body
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#section-tasks", "outerHTML")
    task.refresh_from_db()
    assert task.done is True


def test_ticking_without_javascript_redirects_back_to_the_section(
    world: World, session: MunicipalSession
) -> None:
    task = first_task(session)
    response = world.client(world.lead).post(url("item_toggle", "tasks", task.pk))
    assert response.status_code == 302 and response["Location"].endswith("#section-tasks")
    task.refresh_from_db()
    assert task.done is True


def test_a_refused_tick_says_why(world: World, session: MunicipalSession) -> None:
    seat = Participant.objects.get(session=session, role="mayor")
    client = world.client(world.owner)
    swapped = client.post(url("item_toggle", "participants", seat.pk), headers=HTMX)
    assert "Name the participant before confirming them." in swapped.content.decode()
    plain = client.post(url("item_toggle", "participants", seat.pk), follow=True)
    assert "Name the participant before confirming them." in plain.content.decode()
    seat.refresh_from_db()
    assert seat.confirmed is False


def test_an_item_is_edited_inline(world: World, session: MunicipalSession) -> None:
    seat = Participant.objects.get(session=session, role="director")
    client = world.client(world.owner)
    form = client.get(url("item_edit", "participants", seat.pk), headers=HTMX).content.decode()
    assert form.startswith('<li class="item editing">') and "Ana Alpha (Alpha Red Cross)" in form
    assert "Bruno Beta Secret" not in form  # another coalition's contact is never offered
    prefix = f"participants-{seat.pk}"
    response = client.post(
        url("item_edit", "participants", seat.pk),
        {
            f"{prefix}-role": "director",
            f"{prefix}-name": "Ana Alpha",
            f"{prefix}-title": "Branch director",
            f"{prefix}-contact": world.contact.pk,
            f"{prefix}-confirmed": "on",
        },
        headers=HTMX,
    )
    assert response["HX-Retarget"] == "#section-participants"
    assert "Branch director" in response.content.decode()
    seat.refresh_from_db()
    assert (seat.name, seat.contact, seat.confirmed) == ("Ana Alpha", world.contact, True)
    entry = AuditEntry.objects.filter(action="municipal.participants.update").latest("id")
    assert entry.before["name"] == "" and entry.after["name"] == "Ana Alpha"


def test_the_edit_form_has_a_page_of_its_own_without_javascript(
    world: World, session: MunicipalSession
) -> None:
    task = first_task(session)
    body = world.client(world.owner).get(url("item_edit", "tasks", task.pk)).content.decode()
    assert "<html" in body and task.title in body


def test_a_participant_linked_to_another_coalitions_contact_is_refused(
    world: World, session: MunicipalSession
) -> None:
    seat = Participant.objects.get(session=session, role="director")
    prefix = f"participants-{seat.pk}"
    response = world.client(world.owner).post(
        url("item_edit", "participants", seat.pk),
        {f"{prefix}-role": "director", f"{prefix}-contact": world.other_contact.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    seat.refresh_from_db()
    assert seat.contact is None


def test_items_move_up_and_down_and_are_removed(world: World, session: MunicipalSession) -> None:
    client = world.client(world.owner)
    points = list(Objective.objects.filter(session=session).order_by("position"))
    client.post(url("item_move", "objectives", points[2].pk), {"direction": "up"})
    client.post(url("item_move", "objectives", points[0].pk), {"direction": "down"}, headers=HTMX)
    order = list(
        Objective.objects.filter(session=session).order_by("position").values_list("pk", flat=True)
    )
    assert order[:3] == [points[2].pk, points[0].pk, points[1].pk]
    bad = client.post(url("item_move", "objectives", points[0].pk), {"direction": "sideways"})
    assert bad.status_code == 302
    client.post(url("item_delete", "objectives", points[1].pk))
    assert not Objective.objects.filter(pk=points[1].pk).exists()


def test_the_goal_and_the_date_are_edited_in_place(world: World, session: MunicipalSession) -> None:
    client = world.client(world.owner)
    form = client.get(url("goal"), headers=HTMX).content.decode()
    assert form.startswith('<section class="card" id="section-objectives">')
    response = client.post(url("goal"), {"goal": "Every ward knows its risks"}, headers=HTMX)
    body = response.content.decode()
    assert "Every ward knows its risks" in body and "1 of 7 done" in body
    plain = client.post(url("overview"), {"held_on": "2026-01-20", "venue": "City Hall"})
    assert plain.status_code == 302
    session.refresh_from_db()
    assert (session.goal, str(session.held_on), session.venue) == (
        "Every ward knows its risks",
        "2026-01-20",
        "City Hall",
    )


def test_a_section_can_be_fetched_alone_to_cancel_an_edit(
    world: World, session: MunicipalSession
) -> None:
    body = world.client(world.owner).get(PAGE, {"section": "agenda"}, headers=HTMX).content.decode()
    assert body.startswith('<section class="card" id="section-agenda">')
    assert "Total: 120 minutes" in body


def test_the_page_keeps_a_bounded_query_count(
    world: World, session: MunicipalSession, django_assert_max_num_queries
) -> None:
    for i in range(30):
        actions.add_item(world.owner, session, "tasks", title=f"Task {i}")
        actions.add_item(world.owner, session, "participants", role="observer", name=f"O {i}")
    for user in (world.owner, world.observer):
        client = world.client(user)
        client.get(PAGE)  # the first visit also remembers the coalition in the session
        with django_assert_max_num_queries(12):
            assert client.get(PAGE).status_code == 200


def test_the_printable_version_has_every_section_in_tables(
    world: World, session: MunicipalSession
) -> None:
    actions.update_session(world.owner, session, venue="City Hall")
    for user in world.readers:
        response = world.client(user).get(url("print"))
        assert response.status_code == 200
        body = response.content.decode()
        assert "css/municipal.css" in body and "City Hall" in body
        assert body.count('<table class="table print-table">') == 4
        assert "Nominate the municipality&#x27;s focal point" in body


def test_the_dashboard_shows_the_checklists_progress(
    world: World, session: MunicipalSession
) -> None:
    actions.update_session(world.owner, session, goal="Safer together")
    body = world.client(world.observer).get(reverse("coalitions:dashboard", args=["alpha"]))
    text = body.content.decode()
    assert "Session with the municipal authorities" in text
    assert "1 of 30 items done (3%)" in text
    assert PAGE in text


def test_the_dashboard_says_when_the_checklist_is_not_started(world: World) -> None:
    body = world.client(world.member).get(reverse("coalitions:dashboard", args=["alpha"]))
    assert "Not started yet." in body.content.decode()
