"""Needs in and out: spreadsheets with HXL, Kobo exports with repeat groups, row errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from commonground.marketplace import actions
from commonground.marketplace.models import Need
from commonground.places.models import Area
from conftest import World


@pytest.fixture
def areas(world: World) -> list[Area]:
    return [
        Area.objects.create(
            coalition=world.coalition, level="community", name="Kampung Bali", pcode="ID317101"
        ),
        Area.objects.create(
            coalition=world.coalition, level="community", name="Cideng", pcode="ID317102"
        ),
    ]


HXL_CSV = """title,category,quantity,unit,people,pcode,urgency,needed by
#item+name,#sector,#item+num,#item+unit,#targeted,#adm2+code,#severity,#date+end
Water filters,water_sanitation,200,filters,800,ID317101,critical,2026-12-31
Primeros auxilios,Training and skills,,,40,id317102,alta,
"""


def kobo_workbook() -> bytes:
    """A household survey: one submission per household, a repeat group of needs in it."""
    book = Workbook()
    main = book.worksheets[0]
    main.title = "Household survey"
    main.append(
        [
            "start",
            "grp_location/community",
            "_location_latitude",
            "_location_longitude",
            "_location_altitude",
            "_index",
            "_uuid",
        ]
    )
    main.append(["2026-11-01T08:00:00", "Kampung Bali", "-6.1862", "106.8133", "7", "1", "u1"])
    main.append(["2026-11-01T09:00:00", "Cideng", "-6.1750", "106.8090", "8", "2", "u2"])
    repeat = book.create_sheet("needs")
    repeat.append(
        [
            "grp_needs/need_title",
            "grp_needs/categoria",
            "grp_needs/cantidad",
            "_index",
            "_parent_index",
            "_parent_table_name",
        ]
    )
    repeat.append(["Kasur lipat", "shelter", "12", "1", "1", "Household survey"])
    repeat.append(["Sabun dan ember", "water_sanitation", "30", "2", "1", "Household survey"])
    repeat.append(["Lampu darurat", "preparedness_equipment", "5", "3", "2", "Household survey"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(world: World, data: bytes, name: str) -> str:
    handle = io.BytesIO(data)
    handle.name = name
    response = world.client(world.community).post(
        reverse("marketplace:need_import", args=["alpha"]), {"file": handle}
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    return response["Location"]


def test_a_hxl_spreadsheet_imports_after_checking_the_columns(
    world: World, areas: list[Area]
) -> None:
    client = world.client(world.community)
    step2 = upload(world, HXL_CSV.encode(), "needs.csv")
    page = client.get(step2).content.decode()
    assert "Water filters" in page and 'value="title" selected' in page
    response = client.post(
        step2,
        {
            f"col-{i}": f
            for i, f in enumerate(
                ["title", "category", "quantity", "unit", "people", "area", "urgency", "needed_by"]
            )
        },
    )
    assert response.status_code == 302
    water, aid = Need.objects.order_by("title")[1], Need.objects.order_by("title")[0]
    assert (water.area, water.urgency, str(water.needed_by)) == (areas[0], 4, "2026-12-31")
    assert (aid.category, aid.area, aid.urgency) == ("training_skills", areas[1], 3)
    assert water.created_by == world.community


def test_a_kobo_export_with_a_repeat_group_gives_one_need_per_repeat(
    world: World, areas: list[Area]
) -> None:
    client = world.client(world.community)
    step2 = upload(world, kobo_workbook(), "survey.xlsx")
    page = client.get(step2).content.decode()
    assert "grp_needs/need_title" in page and "3 needs to import" in page
    fields = {
        "grp_needs/need_title": "title",
        "grp_needs/categoria": "category",
        "grp_needs/cantidad": "quantity",
        "grp_location/community": "area",
        "_location_latitude": "latitude",
        "_location_longitude": "longitude",
    }
    headers = [
        "grp_needs/need_title",
        "grp_needs/categoria",
        "grp_needs/cantidad",
        "_index",
        "_parent_index",
        "_parent_table_name",
        "start",
        "grp_location/community",
        "_location_latitude",
        "_location_longitude",
        "_location_altitude",
    ]
    data = {f"col-{i}": fields.get(h, "") for i, h in enumerate(headers)}
    assert client.post(step2, data).status_code == 302
    needs = {n.title: n for n in Need.objects.all()}
    assert set(needs) == {"Kasur lipat", "Sabun dan ember", "Lampu darurat"}
    assert needs["Sabun dan ember"].area == areas[0]
    assert needs["Lampu darurat"].area == areas[1] and needs["Lampu darurat"].latitude == -6.175


def test_bad_rows_are_all_named_and_nothing_is_written(world: World, areas: list[Area]) -> None:
    bad = (
        "title,category,quantity,pcode,urgency,latitude,longitude\n"
        "Filters,water_sanitation,-5,ID317101,high,,\n"
        "Tents,spaceships,3,NOWHERE,soon,,\n"
        ",health,3,,,,\n"
        "Lamps,other,2,,,95,10\n"
    )
    client = world.client(world.community)
    step2 = upload(world, bad.encode(), "bad.csv")
    body = client.post(
        step2,
        {
            "col-0": "title",
            "col-1": "category",
            "col-2": "quantity",
            "col-3": "area",
            "col-4": "urgency",
            "col-5": "latitude",
            "col-6": "longitude",
        },
    ).content.decode()
    assert "Nothing was imported" in body
    for expected in (
        "row 2",
        "quantity must be more than 0",
        "row 3",
        "unknown category",
        "no area with this P-code",
        "use 1-4",
        "row 4",
        "has no title",
        "row 5",
        "out of range",
    ):
        assert expected in body, expected
    assert not Need.objects.exists()


def test_the_command_line_imports_and_refuses_alike(
    world: World, areas: list[Area], tmp_path: Path
) -> None:
    good = tmp_path / "needs.csv"
    good.write_text(HXL_CSV)
    out = io.StringIO()
    call_command("import_needs", str(good), coalition="alpha", by="community@a.test", stdout=out)
    assert "2 needs imported" in out.getvalue() and Need.objects.count() == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_needs", str(bad), coalition="alpha", stdout=io.StringIO())
    kobo = tmp_path / "kobo.xlsx"
    kobo.write_bytes(kobo_workbook())
    out = io.StringIO()
    call_command(
        "import_needs",
        str(kobo),
        coalition="alpha",
        dry_run=True,
        map=["grp_needs/cantidad=quantity", "grp_location/community=area"],
        stdout=out,
    )
    assert "Dry run, nothing written: 3 needs" in out.getvalue()
    assert Need.objects.count() == 2


def test_needs_export_as_csv_hxl_and_xlsx(world: World, areas: list[Area]) -> None:
    actions.create_need(
        world.community,
        world.coalition,
        title="Filtros",
        category="water_sanitation",
        area=areas[0],
        people=80,
    )
    client = world.client(world.observer)
    hxl = client.get(reverse("marketplace:need_export", args=["alpha", "hxl"]))
    rows = list(csv.reader(io.StringIO(b"".join(hxl.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[1][rows[0].index("area_code")] == "#adm2+code"
    assert rows[2][rows[0].index("title")] == "Filtros" and rows[2][rows[0].index("people")] == "80"
    assert "#targeted" in rows[1] and "#reached" in rows[1] and "#date+start" in rows[1]
    xlsx = client.get(reverse("marketplace:need_export", args=["alpha", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.cell(row=2, column=2).value == "Filtros"
    outsider = world.client(world.outsider)
    leaked = outsider.get(reverse("marketplace:need_export", args=["beta", "csv"]))
    assert b"Filtros" not in b"".join(leaked.streaming_content)  # type: ignore[attr-defined]


def test_offers_export_with_their_organisation_and_areas(world: World, areas: list[Area]) -> None:
    offer = actions.create_offer(
        world.member,
        world.coalition,
        title="Hygiene kits",
        category="water_sanitation",
        organisation=world.org,
    )
    offer.areas.set(areas)
    response = world.client(world.observer).get(
        reverse("marketplace:offer_export", args=["alpha", "hxl"])
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[1][rows[0].index("organisation")] == "#org+name"
    assert rows[2][rows[0].index("areas")] == "ID317101 ID317102"
    assert rows[2][rows[0].index("organisation")] == "Alpha Red Cross"


def test_offers_import_from_their_own_export_and_refuse_bad_rows(
    world: World, areas: list[Area], tmp_path: Path
) -> None:
    from commonground.marketplace.models import Offer

    good = (
        "title,category,subcategory,organisation,quantity,unit,areas,available_until\n"
        "#item+name,#sector,#subsector,#org+name,#item+num,#item+unit,#adm2+code,#date+end\n"
        "Hygiene kits,water_sanitation,hygiene_items,ARC,40,kits,ID317101;ID317102,2027-01-31\n"
        "Engineers,expertise,engineering,Alpha Red Cross,,,,\n"
    )
    handle = io.BytesIO(good.encode())
    handle.name = "offers.csv"
    response = world.client(world.member).post(
        reverse("marketplace:offer_import", args=["alpha"]), {"file": handle}
    )
    assert response.status_code == 302
    kits = Offer.objects.get(title="Hygiene kits")
    assert kits.organisation == world.org and set(kits.areas.all()) == set(areas)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "title,category,subcategory,organisation,radius_km\n"
        "Tents,shelter,grants,Nobody Inc,\n"
        "Boats,logistics,,,5\n"
    )
    with pytest.raises(CommandError) as failure:
        call_command("import_offers", str(bad), coalition="alpha", stdout=io.StringIO())
    message = str(failure.value)
    assert "row 2" in message and "another category" in message and "no organisation" in message
    assert "row 3" in message and "radius needs the location" in message
    assert Offer.objects.count() == 2
    assert (
        world.client(world.community)
        .get(reverse("marketplace:offer_import", args=["alpha"]))
        .status_code
        == 403
    )
