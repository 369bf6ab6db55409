"""Importing relationships: all rows or none, with every bad row named; exports read back."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from commonground.coalitions.models import AuditEntry
from commonground.lib.tabular import TableImportError
from commonground.organisations import actions as org_actions
from commonground.relationships.exchange import ImportResult, export_rows, import_relationships
from commonground.relationships.models import Relationship
from conftest import World

from .conftest import SmallNetwork

IMPORT = reverse("relationships:import", args=["alpha"])


def run(world: World, text: str, **kwargs: bool) -> ImportResult:
    return import_relationships(world.member, world.coalition, text.encode(), "r.csv", **kwargs)


def problems(world: World, text: str) -> list[str]:
    before = Relationship.objects.count()
    with pytest.raises(TableImportError) as error:
        run(world, text)
    assert Relationship.objects.count() == before  # nothing written
    return [str(e) for e in error.value.errors]


def test_it_imports_by_name_or_acronym_with_types_by_label(
    world: World, network: SmallNetwork
) -> None:
    result = run(
        world,
        "source,target,type,strength,notes\n"
        "Hach Radio,Bee,shares information with,4,Weekly show\n"
        "hach,cee council,Funds,,\n"
        "Bee Foundation,Hach,partners with,2,\n",
    )
    assert (result.rows, result.created, result.updated) == (3, 3, 0)
    shows = Relationship.objects.get(source=network["Hach"], target=network["Bee"])
    assert shows.type == "shares_information" and shows.strength == 4 and shows.directed
    funds = Relationship.objects.get(source=network["Hach"], target=network["Cee"])
    assert funds.strength == 3 and funds.created_by == world.member
    partners = Relationship.objects.get(source=network["Bee"], target=network["Hach"])
    assert partners.directed is False
    entry = AuditEntry.objects.get(action="relationship.import")
    assert entry.after["created"] == 3


def test_unknown_organisations_bad_types_and_strengths_are_named_by_row_and_column(
    world: World, network: SmallNetwork
) -> None:
    found = problems(
        world,
        "source,target,type,strength\n"
        "Nobody Foundation,Bee,funds,3\n"
        "Bee,Cee,befriends,3\n"
        "Bee,Cee,funds,7\n"
        "Bee,Dee,funds,two\n"
        "Bee,Bee,funds,3\n"
        "Beta Flood Volunteers,Bee,funds,1\n",
    )
    assert found[0].startswith("row 2, column 'source': no organisation")
    assert "Nobody Foundation" in found[0]
    assert found[1].startswith("row 3, column 'type': 'befriends' is not one of")
    assert found[2] == "row 4, column 'strength': '7' is not a whole number from 1 to 5"
    assert found[3].startswith("row 5, column 'strength'")
    assert found[4] == "row 6, column 'target': an organisation cannot relate to itself"
    # Another coalition's organisation is not on this coalition's list.
    assert found[5].startswith("row 7, column 'source': no organisation")


def test_duplicate_rows_are_refused_even_the_other_way_round_for_partnerships(
    world: World, network: SmallNetwork
) -> None:
    found = problems(
        world,
        "source,target,type\nHach,Bee,funds\nHach,Bee,funds\nHach,Cee,partners with\n"
        "Cee,Hach,partners with\nCee,Hach,funds\n",
    )
    assert found == [
        "row 3: the same relationship is already on row 2",
        "row 5: the same relationship is already on row 4",
    ]


def test_missing_columns_and_ambiguous_acronyms_are_explained(
    world: World, network: SmallNetwork
) -> None:
    assert problems(world, "from,relationship\nBee,funds\n") == [
        "row 1, column 'target': missing column: add a 'target' column"
    ]
    org_actions.create_organisation(
        world.owner, world.coalition, name="Bee Builders", acronym="BEE"
    )
    found = problems(world, "from,to,relationship\nBee,Cee,funds\n")
    assert "could be any of: Bee Builders; Bee Foundation" in found[0]


def test_a_relationship_already_recorded_is_updated_not_duplicated(
    world: World, network: SmallNetwork
) -> None:
    result = run(
        world,
        "source,target,type,strength,notes,direction\n"
        "ARC,Cee,funds,1,Grant ended,one way\n"
        "Bee,ARC,partners with,5,,both ways\n",
    )
    assert (result.created, result.updated) == (0, 2)
    assert Relationship.objects.count() == 7
    rel = Relationship.objects.get(source=network["ARC"], target=network["Cee"])
    assert rel.strength == 1 and rel.notes == "Grant ended"


def test_a_dry_run_writes_nothing(world: World, network: SmallNetwork) -> None:
    result = run(world, "source,target,type\nHach,Bee,funds\n", dry_run=True)
    assert result.created == 1 and Relationship.objects.count() == 7


def test_the_export_imports_back_into_another_coalition_with_the_same_organisations(
    world: World, network: SmallNetwork
) -> None:
    from commonground.relationships.models import Relationship as R

    rows = list(export_rows(R.objects.filter(coalition=world.coalition)))
    text = "\n".join(",".join(f'"{v}"' for v in row) for row in rows)
    for org in network.orgs.values():
        org_actions.add_to_coalition(world.outsider, world.other, org)
    result = import_relationships(world.outsider, world.other, text.encode(), "back.csv")
    assert result.created == 7
    copied = {
        (r.source_id, r.target_id, r.type, r.strength, r.directed)
        for r in R.objects.filter(coalition=world.other)
    }
    original = {
        (r.source_id, r.target_id, r.type, r.strength, r.directed)
        for r in R.objects.filter(coalition=world.coalition)
    }
    assert copied == original


def test_the_import_page_lists_every_bad_row_and_imports_a_good_file(
    world: World, network: SmallNetwork
) -> None:
    client = world.client(world.member)
    bad = SimpleUploadedFile("r.csv", b"source,target,type\nNobody,Bee,funds\nBee,Cee,hugs\n")
    body = client.post(IMPORT, {"file": bad}).content.decode()
    assert "Nothing was imported" in body and "row 2" in body and "row 3" in body
    good = SimpleUploadedFile("r.csv", b"source,target,type\nHach,Bee,funds\n")
    response = client.post(IMPORT, {"file": good})
    assert response.status_code == 302
    assert Relationship.objects.filter(source=network["Hach"]).count() == 1


def test_only_those_who_edit_the_registry_may_import(world: World, network: SmallNetwork) -> None:
    assert world.client(world.observer).get(IMPORT).status_code == 403
    assert world.client(world.community).get(IMPORT).status_code == 403
    assert world.client(world.outsider).get(IMPORT).status_code == 404
    assert world.client(world.member).get(IMPORT).status_code == 200


def test_the_commands_export_and_import_relationships(
    world: World, network: SmallNetwork, tmp_path: Path
) -> None:
    target = tmp_path / "network.csv"
    call_command("export_relationships", coalition="alpha", output=str(target))
    assert target.read_text().startswith("source,target,type,strength,notes,direction")
    gexf = tmp_path / "network.gexf"
    call_command("export_relationships", coalition="alpha", format="gexf", output=str(gexf))
    assert nx.read_gexf(gexf).number_of_nodes() == 7
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target,type\nNobody,Bee,funds\n")
    with pytest.raises(CommandError, match="row 2, column 'source'"):
        call_command("import_relationships", str(bad), coalition="alpha")
    good = tmp_path / "good.csv"
    good.write_text("source,target,type\nHach,Bee,funds\n")
    out = io.StringIO()
    call_command("import_relationships", str(good), coalition="alpha", stdout=out)
    assert "relationships added: 1" in out.getvalue()
