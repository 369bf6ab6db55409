"""Import and export of organisations: CSV, XLSX, HXL; every bad file writes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from commonground.coalitions.models import AuditEntry
from commonground.lib.tabular import TableImportError
from commonground.organisations.exchange import ImportResult, import_organisations
from commonground.organisations.models import CoalitionOrganisation, Contact, Organisation
from conftest import World

PLAIN_CSV = (
    "name,acronym,type,level,sectors,contact name,contact email,latitude,longitude\n"
    "Kampung Melayu Women's Group,KMWG,community,community,pro; fsc,Ibu Ani,ani@kmwg.test,"
    "-6.22,106.86\n"
    "Kampung Melayu Women's Group,KMWG,community,community,pro,Ibu Rina,rina@kmwg.test,,\n"
    "Jakarta Water Utility,PAM,Government,city,Water Sanitation Hygiene,,,,\n"
)
HXL_CSV = (
    "Organisation,Short,Kind,Sector,Person,Mail,Phone,Lat,Lon\n"
    "#org +name,#org+acronym,#org+type,#sector,#contact+name,#contact+email,#contact+phone,"
    "#geo+lat,#geo+lon\n"
    "Bukit Duri Scouts,BDS,community,edu,Pak Joko,joko@bds.test,+62 812,-6.23,106.86\n"
)


def counts() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        Contact.objects.count(),
        CoalitionOrganisation.objects.count(),
        AuditEntry.objects.count(),
    )


def run_import(world: World, data: bytes, name: str = "orgs.csv") -> ImportResult:
    return import_organisations(world.owner, world.coalition, data, name)


def test_a_plain_csv_creates_organisations_with_their_contacts(world: World) -> None:
    result = run_import(world, PLAIN_CSV.encode())
    assert (result.rows, result.created, result.contacts) == (3, 2, 2)
    group = Organisation.objects.get(acronym="KMWG")
    assert group.sectors == ["pro", "fsc"] and group.latitude == -6.22
    assert sorted(group.contacts.values_list("name", flat=True)) == ["Ibu Ani", "Ibu Rina"]
    assert Organisation.objects.get(acronym="PAM").sectors == ["wsh"]
    assert group.participations.filter(coalition=world.coalition).exists()
    assert AuditEntry.objects.filter(action="organisation.import").exists()


def test_an_hxl_hashtag_row_maps_columns_whatever_the_headers_say(world: World) -> None:
    result = run_import(world, HXL_CSV.encode())
    assert result.created == 1
    contact = Contact.objects.get(name="Pak Joko")
    assert contact.email == "joko@bds.test" and contact.coalition == world.coalition


def test_a_hashtag_row_without_a_header_row_works_too(world: World) -> None:
    data = "#org+name,#org+type\nSolo Org,ngo\n"
    assert run_import(world, data.encode()).created == 1


def test_xlsx_imports_like_csv(world: World, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in csv.reader(io.StringIO(HXL_CSV)):
        sheet.append(row)
    path = tmp_path / "orgs.xlsx"
    workbook.save(path)
    result = run_import(world, path.read_bytes(), "orgs.xlsx")
    assert result.created == 1 and Contact.objects.filter(name="Pak Joko").exists()


def test_existing_registry_entries_are_reused_not_duplicated(world: World) -> None:
    data = "name,acronym,contact name\nAlpha Red Cross,ARC,Dana\nBeta Flood Volunteers,,Eli\n"
    result = run_import(world, data.encode())
    assert result.created == 0 and result.matched == 2
    assert Organisation.objects.filter(name="Alpha Red Cross").count() == 1
    assert world.other_org.participations.filter(coalition=world.coalition).exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"name,type\n", "no data rows"),
        (b"acronym,type\nX,ngo\n", "missing column"),
        ("name,type\nCaf\u00e9 Org,ngo\n".encode("latin-1"), "not UTF-8"),
        (b"name,type\nGood,ngo\nBad,charity\n", "row 3, column 'type': 'charity' is not one of"),
        (b"name,latitude\nA,north\n", "row 2, column 'latitude': 'north' is not a number"),
        (b"name,latitude\nA,95\n", "row 2, column 'latitude': 95.0 is outside -90 to 90"),
        (b"name,sectors\nA,hea;astrology\n", "row 2, column 'sectors': 'astrology' is not one of"),
        (b"name,contact email\nA,not-an-email\n", "'not-an-email' is not an email address"),
        (b"name,type\n,ngo\n", "row 2, column 'name': the organisation name is empty"),
    ],
)
def test_bad_files_name_row_and_column_and_write_nothing(
    world: World, data: bytes, expected: str
) -> None:
    before = counts()
    with pytest.raises(TableImportError) as error:
        run_import(world, data)
    assert expected in str(error.value)
    assert counts() == before


def test_all_errors_are_reported_at_once(world: World) -> None:
    data = b"name,type,latitude\nA,ngo,x\nB,alien,1\nC,ngo,1\n"
    with pytest.raises(TableImportError) as error:
        run_import(world, data)
    assert [e.row for e in error.value.errors] == [2, 3]


def test_a_50_megabyte_file_is_refused_before_parsing(world: World) -> None:
    header = b"name,type\n"
    data = header + b"Org,ngo\n" * (50 * 1024 * 1024 // 8)
    before = counts()
    with pytest.raises(TableImportError) as error:
        run_import(world, data)
    assert "the limit is 20 MB" in str(error.value)
    assert counts() == before


def test_a_file_that_is_not_a_spreadsheet_is_refused(world: World) -> None:
    with pytest.raises(TableImportError) as error:
        run_import(world, b"PK\x03\x04garbage", "orgs.xlsx")
    assert "not a readable XLSX" in str(error.value)
    with pytest.raises(TableImportError):
        run_import(world, b"%PDF-1.4", "orgs.pdf")


def test_the_cli_imports_and_reports(world: World, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(PLAIN_CSV, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_organisations", str(path), coalition="alpha", by="owner@a.test", stdout=out
    )
    assert "organisations created: 2" in out.getvalue()


def test_the_cli_dry_run_writes_nothing(world: World, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(PLAIN_CSV, encoding="utf-8")
    before = counts()
    out = io.StringIO()
    call_command("import_organisations", str(path), coalition="alpha", dry_run=True, stdout=out)
    assert "Dry run" in out.getvalue() and counts() == before


def test_the_cli_names_row_and_column_for_a_bad_file(world: World, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,level\nA,planet\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_organisations", str(path), coalition="alpha")
    assert "nothing was imported" in str(error.value)
    assert "row 2, column 'level'" in str(error.value)


def test_the_cli_refuses_a_50_megabyte_file(world: World, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"name\n")
        handle.truncate(50 * 1024 * 1024)
    before = counts()
    with pytest.raises(CommandError, match=r"50\.0 MB; the limit is 20 MB"):
        call_command("import_organisations", str(path), coalition="alpha")
    assert counts() == before


def test_the_cli_refuses_an_unknown_coalition(world: World, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(PLAIN_CSV, encoding="utf-8")
    with pytest.raises(CommandError, match="No coalition"):
        call_command("import_organisations", str(path), coalition="nowhere")


def test_csv_export_round_trips_through_import(world: World, tmp_path: Path) -> None:
    run_import(world, PLAIN_CSV.encode())
    path = tmp_path / "out.csv"
    call_command("export_organisations", coalition="alpha", format="csv", output=str(path))
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    names = {r["name"] for r in rows}
    assert {"Alpha Red Cross", "Kampung Melayu Women's Group", "Jakarta Water Utility"} <= names
    assert "Beta Flood Volunteers" not in names  # not in alpha's list
    emails = {r["contact email"] for r in rows}
    assert "ana@arc.test" in emails and "bruno@beta.test" not in emails  # beta's contact is private
    # Importing the export again into another coalition reuses every organisation.
    result = import_organisations(world.outsider, world.other, path.read_bytes(), "out.csv")
    assert result.created == 0


def test_hxl_export_has_the_hashtag_row(world: World, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    call_command("export_organisations", coalition="alpha", format="hxl", output=str(path))
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[1][:2] == ["#org+name", "#org+acronym"]
    assert "#contact+email" in rows[1] and "#geo+lat" in rows[1] and "#sector" in rows[1]


def test_xlsx_export_opens_as_a_workbook(world: World, tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    call_command("export_organisations", coalition="alpha", format="xlsx", output=str(path))
    sheet = load_workbook(path).active
    assert sheet is not None
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "name" and values[1][0] == "Alpha Red Cross"


def test_the_web_export_downloads_each_format_for_members_only(world: World) -> None:
    from django.urls import reverse

    client = world.client(world.observer)
    for fmt in ("csv", "hxl", "xlsx"):
        response = client.get(reverse("organisations:export", args=["alpha", fmt]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
    response = client.get(
        reverse("organisations:export", args=["alpha", "csv"]), {"scope": "coalition"}
    )
    body = response.getvalue().decode()
    assert "Bruno Beta Secret" not in body and "Ana Alpha" in body
    assert client.get(reverse("organisations:export", args=["alpha", "pdf"])).status_code == 404
    outsider = world.client(world.outsider)
    assert outsider.get(reverse("organisations:export", args=["alpha", "csv"])).status_code == 404


def test_a_web_upload_imports_in_the_background_with_progress(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from commonground.jobs.queue import run_pending

    client = world.client(world.member)
    upload = SimpleUploadedFile("orgs.csv", PLAIN_CSV.encode(), content_type="text/csv")
    response = client.post(reverse("organisations:import", args=["alpha"]), {"file": upload})
    assert response.status_code == 302
    status_url = response["Location"]
    assert "Waiting for the background worker" in client.get(status_url).content.decode()
    assert not Organisation.objects.filter(acronym="KMWG").exists()
    assert run_pending() == 1
    body = client.get(status_url).content.decode()
    assert "organisations created: 2" in body
    assert Organisation.objects.filter(acronym="KMWG").exists()
    # Someone from another coalition cannot follow the import.
    assert world.client(world.outsider).get(status_url).status_code == 404


def test_a_bad_web_upload_lists_every_problem_and_imports_nothing(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from commonground.jobs.queue import run_pending

    client = world.client(world.member)
    upload = SimpleUploadedFile("bad.csv", b"name,type,latitude\nA,ngo,x\nB,alien,1\n")
    response = client.post(reverse("organisations:import", args=["alpha"]), {"file": upload})
    before = counts()
    run_pending()
    body = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in body
    assert "row 2, column &#x27;latitude&#x27;" in body and "row 3, column &#x27;type&#x27;" in body
    assert counts()[:3] == before[:3]


def test_uploads_of_the_wrong_kind_are_refused_at_once(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("organisations:import", args=["alpha"])
    upload = SimpleUploadedFile("orgs.pdf", b"%PDF-1.4")
    response = world.client(world.member).post(url, {"file": upload})
    assert (
        response.status_code == 200 and "Upload a .csv or .xlsx file" in response.content.decode()
    )
    assert world.client(world.observer).post(url, {"file": upload}).status_code == 403
