"""The checklist's actions: defaults, edits, order, validation and the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commonground.coalitions.models import AuditEntry
from commonground.municipal import actions
from commonground.municipal.models import (
    AgendaItem,
    Milestone,
    MunicipalSession,
    Objective,
    Participant,
    Task,
)
from conftest import World


def texts(session: MunicipalSession) -> list[str]:
    return [o.text for o in Objective.objects.filter(session=session).order_by("position")]


def test_starting_seeds_the_usual_seats_points_tasks_dates_and_agenda(world: World) -> None:
    session = actions.start_session(world.owner, world.coalition)
    seats = Participant.objects.filter(session=session).order_by("id")
    roles = list(seats.values_list("role", "side"))
    assert roles == [
        ("mayor", "municipality"),
        ("resilience_officer", "municipality"),
        ("director", "lead"),
        ("city_representative", "lead"),
    ]
    assert "Agree a shared resilience vision for the city" in texts(session)
    assert "Nominate focal points on both sides" in texts(session)
    assert "Agree the risk-assessment workshop date" in texts(session)
    kinds = list(Milestone.objects.filter(session=session).values_list("kind", flat=True))
    assert kinds == ["workshop", "launch"]
    assert Task.objects.filter(session=session, responsible="both").exists()
    assert AgendaItem.objects.filter(session=session).count() == 7
    assert AuditEntry.objects.filter(action="municipal.start", actor=world.owner).count() == 1


def test_starting_twice_keeps_the_first_checklist(world: World) -> None:
    first = actions.start_session(world.owner, world.coalition)
    Objective.objects.filter(session=first).delete()
    again = actions.start_session(world.lead, world.coalition)
    assert again.pk == first.pk
    assert texts(again) == []
    assert AuditEntry.objects.filter(action="municipal.start").count() == 1


def test_each_coalition_has_its_own_checklist(world: World, session: MunicipalSession) -> None:
    other = actions.start_session(world.outsider, world.other)
    assert other.pk != session.pk
    assert Objective.objects.filter(coalition=world.other).count() == 6


def test_an_edit_is_audited_with_before_and_after(world: World, session: MunicipalSession) -> None:
    actions.update_session(world.owner, session, endorsement_status="requested", venue="City Hall")
    entry = AuditEntry.objects.filter(action="municipal.update").latest("id")
    assert entry.before == {"endorsement_status": "not_requested", "venue": ""}
    assert entry.after == {"endorsement_status": "requested", "venue": "City Hall"}
    assert entry.coalition == world.coalition


def test_an_unknown_status_or_field_is_refused(world: World, session: MunicipalSession) -> None:
    with pytest.raises(ValidationError) as error:
        actions.update_session(world.owner, session, endorsement_status="maybe")
    assert "endorsement_status" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.update_session(world.owner, session, progress_done=99)
    assert "progress_done" in error.value.message_dict


def test_a_participant_is_confirmed_only_once_named(
    world: World, session: MunicipalSession
) -> None:
    seat = Participant.objects.get(session=session, role="mayor")
    with pytest.raises(ValidationError) as error:
        actions.toggle_item(world.owner, seat)
    assert "name" in error.value.message_dict
    actions.update_item(world.owner, seat, name="Ana Alpha", title="Deputy mayor")
    actions.toggle_item(world.owner, seat)
    seat.refresh_from_db()
    assert seat.confirmed and seat.is_done


def test_a_refused_edit_leaves_the_item_as_it_was(world: World, session: MunicipalSession) -> None:
    seat = Participant.objects.get(session=session, role="mayor")
    with pytest.raises(ValidationError):
        actions.update_item(world.owner, seat, role="observer", confirmed=True)
    assert (seat.role, seat.side, seat.confirmed) == ("mayor", "municipality", False)


def test_a_participant_links_only_to_this_coalitions_contacts(
    world: World, session: MunicipalSession
) -> None:
    seat = Participant.objects.get(session=session, role="director")
    actions.update_item(world.owner, seat, contact=world.contact)
    with pytest.raises(ValidationError) as error:
        actions.update_item(world.owner, seat, contact=world.other_contact)
    assert "contact" in error.value.message_dict
    seat.refresh_from_db()
    assert seat.contact == world.contact


def test_a_milestone_is_confirmed_only_with_a_date(world: World, session: MunicipalSession) -> None:
    workshop = Milestone.objects.get(session=session, kind="workshop")
    with pytest.raises(ValidationError):
        actions.update_item(world.owner, workshop, confirmed=True)
    actions.update_item(world.owner, workshop, date="2026-03-02", confirmed=True)
    workshop.refresh_from_db()
    assert str(workshop.date) == "2026-03-02" and workshop.confirmed


def test_items_are_added_at_the_end_and_moved_and_removed_in_order(
    world: World, session: MunicipalSession
) -> None:
    added = actions.add_item(world.owner, session, "objectives", text="Agree a budget line")
    assert texts(session)[-1] == "Agree a budget line"
    actions.move_item(world.owner, added, 0)
    assert texts(session)[0] == "Agree a budget line"
    positions = list(Objective.objects.filter(session=session).values_list("position", flat=True))
    assert sorted(positions) == list(range(7))
    first_default = Objective.objects.get(session=session, position=1)
    actions.delete_item(world.owner, first_default)
    positions = list(Objective.objects.filter(session=session).values_list("position", flat=True))
    assert sorted(positions) == list(range(6))
    actions_logged = AuditEntry.objects.filter(action__startswith="municipal.objectives")
    assert set(actions_logged.values_list("action", flat=True)) == {
        "municipal.objectives.create",
        "municipal.objectives.move",
        "municipal.objectives.delete",
    }


def test_moving_past_either_end_stops_there(world: World, session: MunicipalSession) -> None:
    last = Objective.objects.filter(session=session).order_by("position").last()
    assert last is not None
    actions.move_item(world.owner, last, 99)
    assert actions.sibling_index(last) == 5
    actions.move_item(world.owner, last, -3)
    assert texts(session)[0] == last.text


def test_participants_are_ordered_within_their_side(
    world: World, session: MunicipalSession
) -> None:
    staff = actions.add_item(world.owner, session, "participants", role="lead_staff", name="Leo")
    assert isinstance(staff, Participant)
    assert (staff.side, staff.position) == ("lead", 2)
    actions.move_item(world.owner, staff, 0)
    lead_side = Participant.objects.filter(session=session, side="lead").order_by("position")
    assert [p.name or p.role for p in lead_side] == ["Leo", "director", "city_representative"]
    # A new role on the other side of the table: last there; the old side closes up.
    actions.update_item(world.owner, staff, role="municipal_staff")
    staff.refresh_from_db()
    assert (staff.side, staff.position) == ("municipality", 2)
    lead_positions = list(lead_side.values_list("position", flat=True))
    assert lead_positions == [0, 1]


def test_every_action_has_words_in_the_activity_feed(
    world: World, session: MunicipalSession
) -> None:
    point = actions.add_item(world.owner, session, "objectives", text="Agree a budget")
    actions.move_item(world.owner, point, 0)
    actions.delete_item(world.owner, point)
    actions.update_session(world.owner, session, venue="Hall")
    for entry in AuditEntry.objects.filter(action__startswith="municipal."):
        assert entry.action_label != entry.action, entry.action
    labels = {e.action: e.action_label for e in AuditEntry.objects.all()}
    assert labels["municipal.objectives.create"] == "added a point to agree"
