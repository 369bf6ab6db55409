"""Writing relationships: the coalition's rules, and an audit record for every change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commonground.coalitions.models import AuditEntry
from commonground.organisations import actions as org_actions
from commonground.relationships import actions
from commonground.relationships.models import Relationship
from conftest import World

from .conftest import SmallNetwork


def test_creating_a_relationship_records_who_did_it(world: World, network: SmallNetwork) -> None:
    rel = actions.create_relationship(
        world.member, world.coalition, network["Bee"], network["Hach"], "funds", strength=2
    )
    entry = AuditEntry.objects.get(action="relationship.create", target_id=str(rel.pk))
    assert entry.actor == world.member and entry.coalition == world.coalition
    assert entry.after["strength"] == 2 and entry.after["target"] == network["Hach"].pk


def test_partnerships_run_both_ways_and_funding_one_way_unless_told(
    world: World, network: SmallNetwork
) -> None:
    partners = actions.create_relationship(
        world.owner, world.coalition, network["Hach"], network["Bee"], "partners_with"
    )
    funds = actions.create_relationship(
        world.owner, world.coalition, network["Hach"], network["Cee"], "funds"
    )
    told = actions.create_relationship(
        world.owner, world.coalition, network["Hach"], network["Dee"], "funds", directed=False
    )
    assert (partners.directed, funds.directed, told.directed) == (False, True, False)


def test_an_organisation_cannot_relate_to_itself(world: World, network: SmallNetwork) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_relationship(
            world.owner, world.coalition, network["Bee"], network["Bee"], "funds"
        )
    assert "target" in error.value.message_dict


def test_both_organisations_must_be_on_the_coalitions_list(
    world: World, network: SmallNetwork
) -> None:
    outside = org_actions.create_organisation(world.owner, None, name="Not Listed NGO")
    with pytest.raises(ValidationError) as error:
        actions.create_relationship(world.owner, world.coalition, outside, network["Bee"], "funds")
    assert set(error.value.message_dict) == {"source"}
    # Nor can another coalition's organisation be linked in.
    with pytest.raises(ValidationError):
        actions.create_relationship(
            world.owner, world.coalition, network["Bee"], world.other_org, "funds"
        )


def test_the_same_relationship_cannot_be_recorded_twice(
    world: World, network: SmallNetwork
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_relationship(
            world.owner, world.coalition, network["ARC"], network["Cee"], "funds"
        )
    assert "already recorded" in str(error.value)
    # "Bee partners with ARC" is "ARC partners with Bee", which runs both ways.
    with pytest.raises(ValidationError):
        actions.create_relationship(
            world.owner, world.coalition, network["Bee"], network["ARC"], "partners_with"
        )
    # But funding each other is two relationships, and another type is another relationship.
    actions.create_relationship(
        world.owner, world.coalition, network["Cee"], network["ARC"], "funds"
    )
    actions.create_relationship(
        world.owner, world.coalition, network["ARC"], network["Cee"], "reports_to"
    )


def test_strength_stays_between_1_and_5(world: World, network: SmallNetwork) -> None:
    for strength in (0, 6):
        with pytest.raises(ValidationError) as error:
            actions.create_relationship(
                world.owner,
                world.coalition,
                network["Bee"],
                network["Hach"],
                "funds",
                strength=strength,
            )
        assert "strength" in error.value.message_dict


def test_updating_keeps_before_and_after_in_the_audit_log(
    world: World, network: SmallNetwork
) -> None:
    rel = network.relationships[0]
    actions.update_relationship(world.member, rel, strength=1, notes="Cooling off")
    entry = AuditEntry.objects.get(action="relationship.update", target_id=str(rel.pk))
    assert entry.before == {"strength": 4, "notes": ""}
    assert entry.after == {"strength": 1, "notes": "Cooling off"}


def test_an_update_cannot_turn_a_relationship_into_a_duplicate(
    world: World, network: SmallNetwork
) -> None:
    rel = Relationship.objects.get(source=network["ARC"], target=network["Cee"])
    with pytest.raises(ValidationError):
        actions.update_relationship(world.owner, rel, target=network["Bee"], type="partners_with")


def test_deleting_leaves_a_record_of_what_was_there(world: World, network: SmallNetwork) -> None:
    rel = network.relationships[3]
    pk = rel.pk
    actions.delete_relationship(world.member, rel)
    assert not Relationship.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="relationship.delete", target_id=str(pk))
    assert entry.before["type"] == "funds" and entry.actor == world.member
