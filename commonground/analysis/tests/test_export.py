"""Result tables written as CSV, HXL-tagged CSV, GeoJSON and GeoPackage."""

from __future__ import annotations

import io as stdio
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from commonground.analysis import export
from commonground.analysis.errors import LayerError
from commonground.analysis.export import hxl_tags, with_area_geometry, write_table
from commonground.analysis.exposure import exposure_by_area
from commonground.analysis.summary import exposed_shares, with_totals

from .shapes import layer, rect

AREAS = layer(
    [rect(0, 0, 100, 100), rect(100, 0, 200, 100), rect(100, 0, 150, 50)],
    adm2_name=["Gambir", "Menteng", "Menteng"],
    adm2_pcode=["ID317101", "ID317102", "ID317102"],
)


@pytest.fixture
def result() -> pd.DataFrame:
    zones = layer([rect(50, 0, 150, 100)], flood=["yes"])
    buildings = layer(
        [rect(10, 10, 20, 20), rect(60, 10, 70, 20), rect(110, 10, 120, 20), rect(500, 0, 510, 10)]
    )
    people = layer([rect(0, 0, 200, 100)], population=[1000])
    return exposure_by_area(
        zones, "flood", buildings, areas=AREAS, population=people, population_field="population"
    )


def test_hxl_csv_has_the_hashtag_row_under_the_header(tmp_path: Path, result: pd.DataFrame) -> None:
    write_table(result, tmp_path / "result.csv", format="hxl")
    lines = (tmp_path / "result.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "area,area_code,hazard_class,count,population"
    assert lines[1] == "#adm2+name,#adm2+code,#severity+hazard,#affected,#population"
    data = pd.read_csv(tmp_path / "result.csv", skiprows=[1])
    assert len(data) == len(result) and data["count"].sum() == 4


def test_hxl_tags_cover_the_risk_and_capacity_columns() -> None:
    columns = [
        "area",
        "parent",
        "risk",
        "rank",
        "per_1000",
        "exposed_population_share",
        "Literacy %",
    ]
    assert hxl_tags(columns, admin_level=3) == [
        "#adm3+name",
        "#adm2+name",
        "#indicator+risk",
        "#priority+rank",
        "#capacity+per_1000",
        "#affected+ind+share",
        "#indicator+literacy",
    ]


def test_plain_csv_has_no_hashtag_row(result: pd.DataFrame) -> None:
    text = export.csv_text(result)
    assert "#adm2" not in text
    assert pd.read_csv(stdio.StringIO(text))["count"].sum() == 4


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_results_carry_their_area_geometry(
    tmp_path: Path, result: pd.DataFrame, suffix: str
) -> None:
    target = write_table(
        with_area_geometry(result, AREAS, "adm2_name"), tmp_path / f"result{suffix}"
    )
    read = pyogrio.read_dataframe(target)
    assert len(read) == len(result)
    assert read.crs.to_epsg() == 4326
    menteng = read[read["area"] == "Menteng"].geometry.iloc[0]
    assert menteng.geom_type == "Polygon"  # its two polygons dissolved into one
    assert read[read["area"] == "Outside areas"].geometry.isna().all()


def test_a_table_without_geometry_still_exports_as_features(
    tmp_path: Path, result: pd.DataFrame
) -> None:
    read = pyogrio.read_dataframe(write_table(exposed_shares(result), tmp_path / "shares.gpkg"))
    assert set(read["area"]) == {"Gambir", "Menteng", "Outside areas"}


def test_an_unknown_export_format_is_refused(tmp_path: Path, result: pd.DataFrame) -> None:
    with pytest.raises(LayerError, match=r"Cannot tell the format of result.xlsx"):
        write_table(result, tmp_path / "result.xlsx")


def test_a_failed_export_leaves_no_file_behind(
    tmp_path: Path, result: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(export, "_write_features", explode)
    with pytest.raises(OSError, match=r"disk full"):
        write_table(result, tmp_path / "result.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_totals_add_up_per_area_and_over_all_areas(result: pd.DataFrame) -> None:
    table = with_totals(result)
    grand = table[(table["area"] == "All areas") & (table["hazard_class"] == "Total")]
    assert int(grand["count"].iloc[0]) == 4
    assert float(grand["population"].iloc[0]) == pytest.approx(1000)
    gambir = table[(table["area"] == "Gambir") & (table["hazard_class"] == "Total")]
    assert int(gambir["count"].iloc[0]) == 2
    assert table.iloc[-1]["area"] == "All areas"


def test_exposed_shares_are_ready_as_risk_indicators(result: pd.DataFrame) -> None:
    shares = exposed_shares(result).set_index("area")
    assert shares.loc["Gambir", "exposed_share"] == pytest.approx(0.5)
    assert shares.loc["Menteng", "exposed_population_share"] == pytest.approx(0.5, rel=1e-4)
