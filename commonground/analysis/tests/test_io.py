"""Reading every format users bring, and refusing bad files with messages they can act on."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
import shapely

from commonground.analysis import io
from commonground.analysis.errors import LayerError
from commonground.analysis.io import read_layer, recognise_area_fields, repair_geometries

from .shapes import layer, point, rect


@pytest.fixture
def sample() -> gpd.GeoDataFrame:
    """Three polygons in UTM 48S with text and number attributes."""
    return layer(
        [rect(0, 0, 10, 10), rect(20, 0, 35, 12), rect(50, 50, 60, 58)],
        name=["Masjid", "Sekolah", "Klinik"],
        levels=[1, 2, 3],
    )


def write_shapefile(frame: gpd.GeoDataFrame, folder: Path, stem: str = "layer") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}.shp"
    pyogrio.write_dataframe(frame, target)
    return target


def zip_folder(folder: Path, target: Path, skip: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(folder.iterdir()):
            if part.suffix not in skip:
                archive.write(part, f"export/{part.name}")
    return target


def assert_same_features(read: gpd.GeoDataFrame, original: gpd.GeoDataFrame) -> None:
    """Same CRS handling and geometries; in any order (FlatGeobuf sorts by its index)."""
    assert read.crs is not None and read.crs.to_epsg() == 4326
    assert len(read) == len(original)
    got = shapely.normalize(read.geometry.array)
    for want in shapely.normalize(original.to_crs(4326).geometry.array):
        assert shapely.equals_exact(got, want, 1e-7).any(), want


@pytest.mark.parametrize(
    ("suffix", "driver"),
    [(".geojson", "GeoJSON"), (".gpkg", "GPKG"), (".fgb", "FlatGeobuf"), (".kml", "KML")],
)
def test_each_format_reads_back_the_same_features_in_degrees(
    tmp_path: Path, sample: gpd.GeoDataFrame, suffix: str, driver: str
) -> None:
    target = tmp_path / f"layer{suffix}"
    source = sample.to_crs(4326) if driver in ("GeoJSON", "KML") else sample
    pyogrio.write_dataframe(source, target, driver=driver)
    read = read_layer(target)
    assert_same_features(read, sample)
    names = read["Name"] if driver == "KML" else read["name"]
    assert sorted(names) == ["Klinik", "Masjid", "Sekolah"]


def test_a_plain_shapefile_reads_back_reprojected(tmp_path: Path, sample: gpd.GeoDataFrame) -> None:
    read = read_layer(write_shapefile(sample, tmp_path / "shp"))
    assert_same_features(read, sample)
    assert list(read["levels"]) == [1, 2, 3]


def test_a_zipped_shapefile_is_read_through_the_archive(
    tmp_path: Path, sample: gpd.GeoDataFrame
) -> None:
    write_shapefile(sample, tmp_path / "shp")
    read = read_layer(zip_folder(tmp_path / "shp", tmp_path / "upload.zip"))
    assert_same_features(read, sample)
    assert not any(p.suffix == ".shp" for p in tmp_path.glob("*"))  # nothing extracted


def test_geoparquet_is_read_like_the_stored_layers(
    tmp_path: Path, sample: gpd.GeoDataFrame
) -> None:
    sample.to_parquet(tmp_path / "layer.parquet")
    assert_same_features(read_layer(tmp_path / "layer.parquet"), sample)


@pytest.mark.parametrize(
    ("header", "separator"),
    [
        ("name,Latitude,Longitude", ","),
        ("name;lat;lng", ";"),
        ("name,Y,X", ","),
        ("name\tLAT\tLON", "\t"),
    ],
)
def test_csv_coordinates_are_found_by_their_usual_names(
    tmp_path: Path, header: str, separator: str
) -> None:
    rows = [("Posko A", -6.18, 106.82), ("Posko B", -6.17, 106.81)]
    text = "\n".join([header, *(separator.join(map(str, r)) for r in rows)]) + "\n"
    (tmp_path / "points.csv").write_text(text, encoding="utf-8")
    read = read_layer(tmp_path / "points.csv")
    assert read.crs.to_epsg() == 4326
    assert [(p.x, p.y) for p in read.geometry] == [(106.82, -6.18), (106.81, -6.17)]
    assert list(read["name"]) == ["Posko A", "Posko B"]


def test_a_csv_written_by_gdal_with_x_and_y_reads_back(tmp_path: Path) -> None:
    points = layer([point(0, 0), point(120, 40)], name=["Posko A", "Posko B"]).to_crs(4326)
    target = tmp_path / "points.csv"
    pyogrio.write_dataframe(points, target, driver="CSV", layer_options={"GEOMETRY": "AS_XY"})
    assert target.read_text().splitlines()[0] == "X,Y,name"
    read = read_layer(target)
    assert_same_features(read, points)
    assert list(read["name"]) == ["Posko A", "Posko B"]


def test_an_hxl_tagged_csv_skips_its_hashtag_row(tmp_path: Path) -> None:
    text = "Site,Lat,Lon\n#loc+name,#geo+lat,#geo+lon\nPosko,-6.18,106.82\n"
    (tmp_path / "hxl.csv").write_text(text, encoding="utf-8")
    read = read_layer(tmp_path / "hxl.csv")
    assert len(read) == 1 and read.geometry.iloc[0].y == -6.18


def test_a_csv_with_a_bad_coordinate_names_its_line_and_column(tmp_path: Path) -> None:
    text = "name,lat,lon\nA,-6.18,106.82\nB,north,106.81\n"
    (tmp_path / "bad.csv").write_text(text, encoding="utf-8")
    with pytest.raises(LayerError, match=r"bad.csv, line 3, column 'lat': 'north' is not a number"):
        read_layer(tmp_path / "bad.csv")


def test_a_csv_without_coordinates_lists_its_columns(tmp_path: Path) -> None:
    (tmp_path / "table.csv").write_text("name,district\nA,Gambir\n", encoding="utf-8")
    with pytest.raises(
        LayerError, match=r"needs a latitude and a longitude column.*name, district"
    ):
        read_layer(tmp_path / "table.csv")


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.geojson").write_bytes(b"")
    with pytest.raises(LayerError, match=r"empty.geojson is empty \(0 bytes\)"):
        read_layer(tmp_path / "empty.geojson")


def test_a_file_without_features_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "none.geojson"
    target.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    with pytest.raises(LayerError, match=r"none.geojson has no features"):
        read_layer(target)


def test_an_unknown_format_is_refused_with_the_formats_we_read(tmp_path: Path) -> None:
    (tmp_path / "sites.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(LayerError, match=r"unknown file type '.xlsx'.*GeoPackage \(.gpkg\)"):
        read_layer(tmp_path / "sites.xlsx")


def test_a_damaged_file_is_refused_as_unreadable(tmp_path: Path) -> None:
    (tmp_path / "broken.gpkg").write_bytes(b"this is not a geopackage" * 100)
    with pytest.raises(LayerError, match=r"broken.gpkg could not be read as GeoPackage"):
        read_layer(tmp_path / "broken.gpkg")


def test_a_zip_without_a_shapefile_says_what_it_holds(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "upload.zip", "w") as archive:
        archive.writestr("readme.txt", "hello")
        archive.writestr("data.csv", "a,b\n")
    with pytest.raises(
        LayerError, match=r"holds no .shp file \(it contains: readme.txt, data.csv\)"
    ):
        read_layer(tmp_path / "upload.zip")


def test_a_zip_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    (tmp_path / "upload.zip").write_bytes(b"not a zip at all")
    with pytest.raises(LayerError, match=r"not a valid zip archive"):
        read_layer(tmp_path / "upload.zip")


def test_a_shapefile_without_its_prj_is_refused_for_want_of_a_crs(
    tmp_path: Path, sample: gpd.GeoDataFrame
) -> None:
    shp = write_shapefile(sample, tmp_path / "shp")
    shp.with_suffix(".prj").unlink()
    with pytest.raises(LayerError, match=r"the shapefile has no .prj file"):
        read_layer(shp)
    zipped = zip_folder(tmp_path / "shp", tmp_path / "noprj.zip")
    with pytest.raises(LayerError, match=r"noprj.zip: the shapefile has no .prj file"):
        read_layer(zipped)
    assumed = read_layer(shp, assume_crs="EPSG:32748")
    assert_same_features(assumed, sample)


def test_a_zipped_shapefile_missing_its_dbf_is_refused(
    tmp_path: Path, sample: gpd.GeoDataFrame
) -> None:
    write_shapefile(sample, tmp_path / "shp")
    zipped = zip_folder(tmp_path / "shp", tmp_path / "nodbf.zip", skip=(".dbf",))
    with pytest.raises(LayerError, match=r"comes without its .dbf file"):
        read_layer(zipped)


def test_metres_labelled_as_degrees_are_refused_as_out_of_range(
    tmp_path: Path, sample: gpd.GeoDataFrame
) -> None:
    mislabelled = sample.set_crs(4326, allow_override=True)
    target = tmp_path / "mislabelled.gpkg"
    pyogrio.write_dataframe(mislabelled, target)
    with pytest.raises(LayerError, match=r"outside the range of longitude and latitude"):
        read_layer(target)


def test_a_missing_field_is_named_with_the_fields_there_are(
    tmp_path: Path, sample: gpd.GeoDataFrame
) -> None:
    target = tmp_path / "layer.gpkg"
    pyogrio.write_dataframe(sample, target)
    with pytest.raises(
        LayerError, match=r"no field 'nme'. Did you mean 'name'\? Its fields are: name, levels"
    ):
        read_layer(target, fields=["nme"])


def test_a_file_over_the_size_limit_is_refused_before_reading(
    tmp_path: Path, sample: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "layer.gpkg"
    pyogrio.write_dataframe(sample, target)
    monkeypatch.setattr(io.pyogrio, "read_dataframe", _must_not_be_called)
    with pytest.raises(LayerError, match=r"layer.gpkg is .* over the 1.0 KB limit"):
        read_layer(target, max_bytes=1024)


def test_a_zip_bomb_is_refused_from_its_directory_without_extracting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("layer.dbf", "w") as member:
            zeros = bytes(1024 * 1024)
            for _ in range(64):  # 64 MB of zeros, about 64 KB compressed
                member.write(zeros)
        archive.writestr("layer.shp", b"")
        archive.writestr("layer.shx", b"")
    assert bomb.stat().st_size < 1024 * 1024
    monkeypatch.setattr(io.pyogrio, "read_dataframe", _must_not_be_called)
    monkeypatch.setattr(io.pyogrio, "list_layers", _must_not_be_called)
    monkeypatch.setattr(zipfile.ZipFile, "open", _must_not_be_called)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", _must_not_be_called)
    with pytest.raises(
        LayerError, match=r"bomb.zip would expand to 64.0 MB, far beyond the 20.0 MB"
    ):
        read_layer(bomb, max_bytes=1024 * 1024)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.zip"]


def test_a_multi_layer_geopackage_asks_which_layer(
    tmp_path: Path, sample: gpd.GeoDataFrame
) -> None:
    target = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(sample, target, layer="buildings")
    pyogrio.write_dataframe(sample.iloc[:1], target, layer="schools", append=True)
    with pytest.raises(LayerError, match=r"several layers \(buildings, schools\); choose one"):
        read_layer(target)
    assert len(read_layer(target, layer="schools")) == 1
    with pytest.raises(LayerError, match=r"no layer 'roads'"):
        read_layer(target, layer="roads")


def test_repair_fixes_a_bow_tie_and_drops_null_and_empty_geometries() -> None:
    bow_tie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    frame = layer([rect(0, 0, 1, 1), bow_tie, None, shapely.Polygon()], name=list("abcd"))
    frame.index = [10, 11, 12, 13]
    repaired, report = repair_geometries(frame)
    assert list(repaired.index) == [10, 11]
    assert repaired.geometry.is_valid.all()
    assert repaired.geometry.iloc[1].geom_type == "MultiPolygon"
    assert repaired.geometry.iloc[1].area == pytest.approx(50)
    assert [(r["index"], r["action"]) for r in report] == [
        (11, "repaired"),
        (12, "dropped"),
        (13, "dropped"),
    ]
    assert report[0]["reason"].startswith("Self-intersection")
    assert report[1]["message"] == "Feature 12 was dropped (no geometry)."
    json.dumps(report)  # stored as JSON beside the layer


def test_repair_leaves_valid_layers_alone() -> None:
    frame = layer([rect(0, 0, 1, 1), point(5, 5)])
    repaired, report = repair_geometries(frame)
    assert report == [] and repaired.geometry.equals(frame.geometry)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (
            ["adm2_name", "adm2_pcode", "adm1_name", "adm1_pcode"],
            {1: ("adm1_name", "adm1_pcode"), 2: ("adm2_name", "adm2_pcode")},
        ),
        (["ADM2_EN", "ADM2_PCODE", "ADM2_REF"], {2: ("ADM2_EN", "ADM2_PCODE")}),
        (["ADM3_NAME", "ADM3_PCODE"], {3: ("ADM3_NAME", "ADM3_PCODE")}),
        (["adm2_en", "adm2_fr"], {2: ("adm2_en", None)}),
        (["ADM0_FR", "adm4_pcode"], {0: ("ADM0_FR", None), 4: (None, "adm4_pcode")}),
        (["KEL_NAME", "name", "admin"], {}),
    ],
)
def test_cod_ab_area_fields_are_recognised_current_and_legacy(
    columns: list[str], expected: dict[int, tuple[Any, Any]]
) -> None:
    found = recognise_area_fields(columns)
    assert {level: (f.name, f.pcode) for level, f in found.items()} == expected
    assert all(found[level].level == level for level in found)


def _must_not_be_called(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("the file was opened although it should have been refused first")
