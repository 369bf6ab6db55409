"""Writing the stakeholder map: validation, the dated stage history, audit, diversity trend."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commonground.coalitions.models import AuditEntry
from commonground.organisations.models import CoalitionOrganisation
from commonground.stakeholders import actions
from commonground.stakeholders.models import DiversitySnapshot, StageChange, Stakeholder
from conftest import World

from .conftest import Map


def test_a_new_stakeholder_starts_its_history_at_its_first_stage(world: World) -> None:
    stakeholder = actions.create_stakeholder(
        world.member, world.coalition, organisation=world.org, stage="approached", note="met at"
    )
    [first] = StageChange.objects.filter(stakeholder=stakeholder)
    assert (first.from_stage, first.to_stage, first.changed_by) == ("", "approached", world.member)
    assert first.note == "met at"
    assert AuditEntry.objects.filter(action="stakeholder.create", target_id=stakeholder.pk).exists()


def test_moving_a_stage_records_from_to_who_when_and_note(world: World, stakes: Map) -> None:
    before = timezone.now()
    change = actions.move_stage(world.member, stakes.university, "approached", "Called the dean")
    assert change is not None
    assert (change.from_stage, change.to_stage) == ("identified", "approached")
    assert change.changed_by == world.member and change.note == "Called the dean"
    assert change.changed_at >= before
    actions.move_stage(world.owner, stakes.university, "committed")
    history = list(
        stakes.university.stage_changes.order_by("changed_at", "id").values_list(
            "from_stage", "to_stage"
        )
    )
    assert history == [
        ("", "identified"),
        ("identified", "approached"),
        ("approached", "committed"),
    ]
    stakes.university.refresh_from_db()
    assert stakes.university.stage == "committed"
    entry = AuditEntry.objects.filter(action="stakeholder.stage").first()
    assert entry is not None and entry.before == {"stage": "approached"}
    assert entry.action_label == "moved a stakeholder to another stage"


def test_moving_to_the_same_stage_writes_nothing(world: World, stakes: Map) -> None:
    count = StageChange.objects.count()
    assert actions.move_stage(world.member, stakes.red_cross, "engaged") is None
    assert StageChange.objects.count() == count


def test_an_unknown_stage_is_refused(world: World, stakes: Map) -> None:
    with pytest.raises(ValidationError) as error:
        actions.move_stage(world.member, stakes.red_cross, "friends")
    assert "stage" in error.value.message_dict


def test_an_organisation_that_becomes_a_member_joins_the_coalitions_list(
    world: World, stakes: Map
) -> None:
    assert not CoalitionOrganisation.objects.filter(
        coalition=world.coalition, organisation=stakes.campus
    ).exists()
    actions.move_stage(world.owner, stakes.university, "member")
    assert CoalitionOrganisation.objects.filter(
        coalition=world.coalition, organisation=stakes.campus
    ).exists()


def test_a_stakeholder_is_an_organisation_or_a_person_never_both_never_neither(
    world: World,
) -> None:
    with pytest.raises(ValidationError) as neither:
        actions.create_stakeholder(world.member, world.coalition)
    assert "organisation" in neither.value.message_dict
    with pytest.raises(ValidationError) as both:
        actions.create_stakeholder(
            world.member, world.coalition, organisation=world.org, person_name="Ana"
        )
    assert "person_name" in both.value.message_dict


def test_an_organisation_is_on_the_map_once(world: World, stakes: Map) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_stakeholder(world.member, world.coalition, organisation=world.org)
    assert "already" in error.value.message_dict["organisation"][0]
    # Another coalition may map the same organisation.
    actions.create_stakeholder(world.outsider, world.other, organisation=world.org)


def test_another_coalitions_contact_cannot_be_linked(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_stakeholder(
            world.member, world.coalition, person_name="Bruno", contact=world.other_contact
        )
    assert "contact" in error.value.message_dict
    ok = actions.create_stakeholder(
        world.member, world.coalition, person_name="Ana", contact=world.contact
    )
    assert ok.contact == world.contact


def test_power_and_interest_stay_between_0_and_5(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_stakeholder(world.member, world.coalition, person_name="X", power=6)
    assert "power" in error.value.message_dict


def test_an_update_is_audited_with_before_and_after(world: World, stakes: Map) -> None:
    actions.update_stakeholder(world.member, stakes.person, wants="A seat at the table")
    entry = AuditEntry.objects.filter(action="stakeholder.update").get()
    assert entry.before == {"wants": ""} and entry.after == {"wants": "A seat at the table"}


def test_every_change_updates_todays_diversity_snapshot(world: World, stakes: Map) -> None:
    snap = DiversitySnapshot.objects.get(coalition=world.coalition)
    assert snap.date == timezone.localdate()
    assert snap.stakeholders == 3
    assert snap.by_type == {"red_cross": 1, "academia": 1}
    assert "faith" in snap.gaps and "lived_experience" not in snap.gaps
    actions.move_stage(world.owner, stakes.university, "declined")
    snap.refresh_from_db()
    assert snap.stakeholders == 2 and snap.by_type == {"red_cross": 1}


def test_a_snapshot_from_an_earlier_day_is_kept(world: World, stakes: Map) -> None:
    DiversitySnapshot.objects.filter(coalition=world.coalition).update(
        date=timezone.localdate() - datetime.timedelta(days=3)
    )
    actions.delete_stakeholder(world.owner, stakes.person)
    dates = list(
        DiversitySnapshot.objects.filter(coalition=world.coalition).values_list(
            "stakeholders", flat=True
        )
    )
    assert dates == [3, 2]
    assert not Stakeholder.objects.filter(pk=stakes.person.pk).exists()
