"""Import and export of the stakeholder map (CSV, XLSX, HXL) and contacts as vCard 4.0."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from commonground.coalitions.models import AuditEntry
from commonground.lib.tabular import TableImportError
from commonground.organisations import actions as org_actions
from commonground.stakeholders import actions, criteria_actions
from commonground.stakeholders.exchange import import_stakeholders
from commonground.stakeholders.models import Score, StageChange, Stakeholder
from conftest import World

from .conftest import Map


def export(world: World, fmt: str, **params: str) -> bytes:
    url = reverse("stakeholders:export", args=["alpha", fmt])
    response = world.client(world.observer).get(url, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()  # type: ignore[attr-defined]


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode())))


def scored(world: World, stakes: Map) -> None:
    criteria = {c.key: c for c in criteria_actions.ensure_default_criteria(None, world.coalition)}
    criteria_actions.set_scores(
        world.member, stakes.red_cross, {criteria["interest"].pk: 4, criteria["urgency"].pk: 2}
    )
    criteria_actions.set_scores(world.owner, stakes.red_cross, {criteria["interest"].pk: 5})


def test_the_csv_export_has_stages_and_scores(world: World, stakes: Map) -> None:
    scored(world, stakes)
    table = rows(export(world, "csv"))
    header = table[0]
    assert header[:3] == ["organisation", "acronym", "person"]
    assert "score: Interest" in header and "weighted score" in header
    by_name = {r[0] or r[2]: dict(zip(header, r, strict=True)) for r in table[1:]}
    assert set(by_name) == {"Alpha Red Cross", "Universitas Alpha", "Ibu Siti Rahayu"}
    red_cross = by_name["Alpha Red Cross"]
    assert red_cross["stage"] == "engaged" and red_cross["role"] == "core_partner"
    assert red_cross["score: Interest"] == "4.5" and red_cross["scorers"] == "2"
    assert red_cross["weighted score"] == "3.25"  # (4.5 + 2) / 2
    assert by_name["Ibu Siti Rahayu"]["lived experience"] == "yes"


def test_the_export_follows_the_lists_filters(world: World, stakes: Map) -> None:
    table = rows(export(world, "csv", stage="engaged"))
    assert [r[0] for r in table[1:]] == ["Alpha Red Cross"]


def test_the_hxl_export_has_a_hashtag_row(world: World, stakes: Map) -> None:
    table = rows(export(world, "hxl"))
    assert table[1][:3] == ["#org+name", "#org+acronym", "#contact+name"]
    assert "#status+stage" in table[1] and "#indicator+score+interest" in table[1]


def test_the_xlsx_export_opens_in_a_spreadsheet(world: World, stakes: Map) -> None:
    sheet = load_workbook(io.BytesIO(export(world, "xlsx"))).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "organisation" and len(values) == 4


def test_an_export_round_trips_through_the_import(world: World, stakes: Map) -> None:
    data = export(world, "hxl")
    result = import_stakeholders(world.member, world.coalition, data, "map.csv")
    assert (result.rows, result.created, result.moved) == (3, 0, 0)
    assert Stakeholder.objects.filter(coalition=world.coalition).count() == 3


def test_an_import_adds_updates_and_scores(world: World, stakes: Map) -> None:
    org_actions.create_organisation(world.owner, None, name="Pasar Baru Traders", acronym="PBT")
    data = (
        b"organisation,acronym,person,stage,role,engagement model,lived experience,power,"
        b"interest,score: Interest,score: urgency\n"
        b"Pasar Baru Traders,,,approached,ally,networks,no,2,3,4,\n"
        b"ARC,,,committed,,,,,,,5\n"
        b",,Pak Budi,identified,observer,,yes,,,,\n"
    )
    result = import_stakeholders(world.member, world.coalition, data, "map.csv")
    assert (result.created, result.updated, result.moved, result.scored) == (2, 1, 1, 2)
    traders = Stakeholder.objects.get(organisation__acronym="PBT")
    assert (traders.stage, traders.role, traders.engagement_model) == (
        "approached",
        "ally",
        "networks",
    )
    assert (traders.power, traders.interest) == (2, 3)
    stakes.red_cross.refresh_from_db()
    assert stakes.red_cross.stage == "committed" and stakes.red_cross.role == "core_partner"
    assert StageChange.objects.filter(
        stakeholder=stakes.red_cross, from_stage="engaged", to_stage="committed"
    ).exists()
    assert Stakeholder.objects.get(person_name="Pak Budi").lived_experience
    mine = Score.objects.filter(scorer=world.member)
    assert sorted((s.stakeholder_id, s.criterion.key, s.value) for s in mine) == sorted(
        [(traders.pk, "interest", 4), (stakes.red_cross.pk, "urgency", 5)]
    )
    assert AuditEntry.objects.filter(action="stakeholder.import").count() == 1


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        (
            "organisation,stage\nNobody Inc,identified\n",
            ["row 2, column 'organisation': no organisation in the registry is called"],
        ),
        (
            "organisation,stage\nARC,identified\nAlpha Red Cross,engaged\n",
            ["row 3, column 'organisation': the same stakeholder as row 2"],
        ),
        (
            "person,stage\nAna,identified\nANA,engaged\n",
            ["row 3, column 'person': the same stakeholder as row 2"],
        ),
        (
            "organisation,stage\nARC,friendly\n",
            ["row 2, column 'stage': 'friendly' is not one of: identified, approached"],
        ),
        (
            "person,power,score: interest\nAna,9,3.5\n",
            [
                "row 2, column 'power': '9' is not a whole number from 0 to 5",
                "row 2, column 'score: interest': '3.5' is not a whole number from 0 to 5",
            ],
        ),
        (
            "person,lived experience,role\nAna,maybe,boss\n",
            [
                "row 2, column 'role': 'boss' is not one of",
                "row 2, column 'lived experience': 'maybe' is not yes or no",
            ],
        ),
        (
            "organisation,person,stage\nARC,Ana,\n,,engaged\n",
            [
                "row 2, column 'person': a row is an organisation or a person, not both",
                "row 3, column 'organisation': name an organisation or a person",
            ],
        ),
        ("stage,role\nidentified,ally\n", ["row 1, column 'organisation': missing column"]),
    ],
)
def test_a_bad_file_is_refused_whole_naming_row_and_column(
    world: World, csv_text: str, expected: list[str]
) -> None:
    before = (Stakeholder.objects.count(), StageChange.objects.count(), AuditEntry.objects.count())
    with pytest.raises(TableImportError) as error:
        import_stakeholders(world.member, world.coalition, csv_text.encode(), "bad.csv")
    messages = [str(e) for e in error.value.errors]
    for fragment, message in zip(expected, messages, strict=True):
        assert message.startswith(fragment), messages
    after = (Stakeholder.objects.count(), StageChange.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_good_rows_are_not_written_when_a_later_row_is_bad(world: World) -> None:
    data = b"organisation,stage\nAlpha Red Cross,engaged\nNobody Inc,identified\n"
    with pytest.raises(TableImportError):
        import_stakeholders(world.member, world.coalition, data, "bad.csv")
    assert not Stakeholder.objects.exists()


def test_an_ambiguous_name_asks_for_the_acronym(world: World) -> None:
    org_actions.create_organisation(world.owner, None, name="Forum Warga", acronym="FW1")
    org_actions.create_organisation(world.owner, None, name="Forum Warga", acronym="FW2")
    with pytest.raises(TableImportError) as error:
        import_stakeholders(world.member, world.coalition, b"organisation\nForum Warga\n", "a.csv")
    assert "add the acronym" in str(error.value)
    data = b"organisation,acronym\nForum Warga,FW2\n"
    import_stakeholders(world.member, world.coalition, data, "a.csv")
    assert Stakeholder.objects.get().organisation.acronym == "FW2"  # type: ignore[union-attr]


def test_hxl_hashtags_are_read_in_any_order_of_attributes(world: World) -> None:
    data = b"Org,Stage\n#org +name,#status+stage\nARC,member\n"
    import_stakeholders(world.member, world.coalition, data, "hxl.csv")
    assert Stakeholder.objects.get().stage == "member"


def test_the_import_page_lists_every_error_and_writes_nothing(world: World) -> None:
    page = reverse("stakeholders:import", args=["alpha"])
    upload = SimpleUploadedFile("bad.csv", b"organisation,stage\nNobody,identified\nARC,zzz\n")
    response = world.client(world.member).post(page, {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported" in body
    assert "row 2" in body and "row 3" in body
    assert not Stakeholder.objects.exists()
    good = SimpleUploadedFile("good.csv", b"organisation,stage\nARC,engaged\n")
    response = world.client(world.member).post(page, {"file": good})
    assert response.status_code == 302 and Stakeholder.objects.get().stage == "engaged"
    assert world.client(world.observer).post(page, {"file": good}).status_code == 403


def test_the_vcard_file_holds_the_contacts_of_the_map(world: World, stakes: Map) -> None:
    org_actions.update_contact(
        world.owner, world.contact, role="Head; logistics, DRR", phone="+62 21 390-6666"
    )
    actions.update_stakeholder(world.member, stakes.person, contact=world.contact)
    actions.create_stakeholder(world.member, world.coalition, person_name="Pak Budi, RT 05")
    response = world.client(world.observer).get(reverse("stakeholders:vcards", args=["alpha"]))
    assert response["Content-Type"].startswith("text/vcard")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    cards = text.split("BEGIN:VCARD\r\n")[1:]
    assert len(cards) == 2  # Siti (with Ana's details linked), Pak Budi; Ana not twice
    assert all(card.startswith("VERSION:4.0\r\n") for card in cards)
    assert "FN:Ibu Siti Rahayu\r\n" in text and "FN:Pak Budi\\, RT 05\r\n" in text
    assert "TITLE:Head\\; logistics\\, DRR\r\n" in text
    assert "TEL;VALUE=uri;TYPE=voice:tel:+62-21-390-6666\r\n" in text
    assert "Bruno" not in text  # Beta's contact at the same organisation stays private


def test_a_stakeholder_organisations_contacts_are_in_its_vcard(world: World, stakes: Map) -> None:
    url = reverse("stakeholders:vcard", args=["alpha", stakes.red_cross.pk])
    text = b"".join(world.client(world.member).get(url).streaming_content).decode()  # type: ignore[attr-defined]
    assert "FN:Ana Alpha\r\n" in text and "EMAIL;TYPE=work:ana@arc.test" in text
    assert "ORG:Alpha Red Cross\r\n" in text
    assert world.client(world.outsider).get(url).status_code == 404
