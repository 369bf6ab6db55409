"""Writing result tables as CSV, HXL-tagged CSV, GeoJSON and GeoPackage.

HXL tags (the hashtag row written under the header of an HXL CSV), by column:

==========================  ==========================================================
``area``, ``area_code``     ``#adm2+name``, ``#adm2+code`` (the level is a parameter)
``parent`` (roll-up)        ``#adm1+name`` (one level up)
``hazard_class``            ``#severity+hazard``
``exposure_class``          ``#indicator+exposure+type``
``resource_class``          ``#capacity+type``
``count``, ``exposed``      ``#affected`` (features in that row's class; "Not exposed"
                            rows say so in ``#severity+hazard``)
``length_m``, ``area_m2``   ``#affected+length_m``, ``#affected+area_m2``
``population``              ``#population`` (people in that row: area, class)
``exposed_population``      ``#affected+ind`` (people, as HXL uses ``+ind``)
``*_share``                 the column's tag ``+share`` (a fraction 0-1, not a percentage)
``resources``, ``per_1000`` ``#capacity+num``, ``#capacity+per_1000``
risk dimensions, ``risk``   ``#indicator+hazard_exposure`` … ``#indicator+risk``
``rank``                    ``#priority+rank`` (1 = most at risk)
anything else               ``#indicator+<column name>``
==========================  ==========================================================

Files are written to a temporary name beside the target and renamed into place, so a failed
export never leaves half a file.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from .errors import LayerError

Format = Literal["csv", "hxl", "geojson", "gpkg"]
FORMATS: tuple[str, ...] = ("csv", "hxl", "geojson", "gpkg")
_SUFFIXES = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}

_TAGS: dict[str, str] = {
    "hazard_class": "#severity+hazard",
    "exposure_class": "#indicator+exposure+type",
    "resource_class": "#capacity+type",
    "count": "#affected",
    "exposed": "#affected",
    "total": "#indicator+total",
    "length_m": "#affected+length_m",
    "area_m2": "#affected+area_m2",
    "population": "#population",
    "exposed_population": "#affected+ind",
    "resources": "#capacity+num",
    "per_1000": "#capacity+per_1000",
    "population_beyond": "#population+beyond",
    "mean_distance_m": "#indicator+distance_m",
    "distance_m": "#indicator+distance_m",
    "rank": "#priority+rank",
    "level": "#meta+level",
}


def hxl_tags(
    columns: Sequence[str], *, admin_level: int = 2, tags: Mapping[str, str] | None = None
) -> list[str]:
    """The HXL hashtag for each column (see the module docstring); ``tags`` overrides any."""
    out = []
    for column in columns:
        if tags and column in tags:
            out.append(tags[column])
        elif column == "area":
            out.append(f"#adm{admin_level}+name")
        elif column == "area_code":
            out.append(f"#adm{admin_level}+code")
        elif column == "parent":
            out.append(f"#adm{max(admin_level - 1, 0)}+name")
        elif column in _TAGS:
            out.append(_TAGS[column])
        elif column.endswith("_share") and column[: -len("_share")] in _TAGS:
            out.append(_TAGS[column[: -len("_share")]] + "+share")
        elif column.endswith("_share"):
            out.append(f"#indicator+{_attribute(column[: -len('_share')])}+share")
        else:
            out.append(f"#indicator+{_attribute(column)}")
    return out


def _attribute(name: str) -> str:
    text = re.sub(r"[^a-z0-9_]+", "_", name.casefold()).strip("_") or "value"
    return text if text[0].isalpha() else f"x{text}"


def with_area_geometry(
    table: pd.DataFrame, areas: gpd.GeoDataFrame, area_field: str, *, on: str = "area"
) -> gpd.GeoDataFrame:
    """The table with each row's area geometry (polygons of one name dissolved), EPSG:4326.

    Rows whose area is not in the layer ("Outside areas", totals) get no geometry.
    """
    if area_field not in areas:
        raise LayerError(f"The areas layer has no field '{area_field}'.")
    names = areas[area_field].map(lambda v: "" if pd.isna(v) else str(v).strip())
    shapes = gpd.GeoDataFrame({"_name": names}, geometry=areas.geometry.values, crs=areas.crs)
    shapes = shapes.to_crs(4326).dissolve(by="_name")
    geometry = table[on].map(shapes.geometry)
    return gpd.GeoDataFrame(table.copy(), geometry=gpd.GeoSeries(geometry, crs=4326))


def write_table(
    table: pd.DataFrame,
    path: str | Path,
    *,
    format: Format | None = None,
    admin_level: int = 2,
    tags: Mapping[str, str] | None = None,
    layer: str = "result",
) -> Path:
    """Write ``table`` as CSV, HXL CSV, GeoJSON or GeoPackage (format from the suffix if None).

    GeoJSON and GeoPackage take the table's geometry when it is a GeoDataFrame (see
    ``with_area_geometry``) and write features without geometry otherwise.
    """
    path = Path(path)
    chosen = format or _SUFFIXES.get(path.suffix.lower())
    if chosen not in FORMATS:
        raise LayerError(
            f"Cannot tell the format of {path.name}; use one of: {', '.join(FORMATS)}."
        )
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(fd)
    try:
        if chosen in ("csv", "hxl"):
            _write_csv(table, temporary, chosen == "hxl", admin_level, tags)
        else:
            _write_features(table, temporary, chosen, layer)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def _write_csv(
    table: pd.DataFrame,
    target: str,
    hxl: bool,
    admin_level: int,
    tags: Mapping[str, str] | None,
) -> None:
    text = csv_text(table, hxl=hxl, admin_level=admin_level, tags=tags)
    Path(target).write_text(text, encoding="utf-8")


def csv_text(
    table: pd.DataFrame,
    *,
    hxl: bool = False,
    admin_level: int = 2,
    tags: Mapping[str, str] | None = None,
) -> str:
    """The table as CSV text, with the HXL hashtag row under the header when ``hxl``."""
    frame = pd.DataFrame(table.drop(columns=_geometry_columns(table)))
    if hxl:
        tag_row = pd.DataFrame(
            [hxl_tags(list(frame.columns), admin_level=admin_level, tags=tags)],
            columns=frame.columns,
        )
        frame = pd.concat([tag_row, frame.astype(object)], ignore_index=True)
    return str(frame.to_csv(index=False, lineterminator="\n"))


def _write_features(table: pd.DataFrame, target: str, chosen: str, layer: str) -> None:
    if isinstance(table, gpd.GeoDataFrame):
        frame = table
    else:
        frame = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries([None] * len(table)), crs=4326)
    driver = "GeoJSON" if chosen == "geojson" else "GPKG"
    os.unlink(target)  # GDAL creates the file itself
    # Through Arrow, nullable integers keep their type and their missing values.
    frame.to_file(
        target,
        driver=driver,
        layer=layer if driver == "GPKG" else None,
        engine="pyogrio",
        use_arrow=True,
    )


def _geometry_columns(table: pd.DataFrame) -> list[str]:
    if not isinstance(table, gpd.GeoDataFrame):
        return []
    return [c for c in table.columns if isinstance(table[c].dtype, gpd.array.GeometryDtype)]
