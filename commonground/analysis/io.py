"""Reading layers from the files users have, and refusing the ones that cannot be used.

``read_layer`` reads GeoJSON, GeoPackage, zipped Shapefile, Shapefile, KML/KMZ, FlatGeobuf,
GeoParquet and CSV with latitude/longitude columns, and returns a GeoDataFrame in EPSG:4326
(the storage CRS) with its attributes untouched. Every refusal is a ``LayerError`` whose message
says what is wrong and what to do, and every check that can run before reading does (size,
emptiness, format, zip contents and declared sizes), so a bad upload costs nothing.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from numpy.typing import NDArray
from pyproj import CRS

from ._repair import RepairEntry, repair, repair_geometries
from .errors import LayerError

__all__ = [
    "FORMATS",
    "STORAGE_CRS",
    "AreaFields",
    "LayerError",
    "RepairEntry",
    "Source",
    "check_degrees",
    "open_source",
    "read_layer",
    "read_ogr_arrow",
    "recognise_area_fields",
    "repair",
    "repair_geometries",
    "require_fields",
    "resolve_field",
]

STORAGE_CRS = "EPSG:4326"
FORMATS: dict[str, str] = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GeoPackage",
    ".zip": "zipped Shapefile",
    ".shp": "Shapefile",
    ".kml": "KML",
    ".kmz": "KMZ",
    ".fgb": "FlatGeobuf",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
    ".csv": "CSV with latitude/longitude",
}
# An archive may expand to this many times the upload limit (shapefiles compress ~5-10x);
# without an upload limit, to this many bytes.
ZIP_EXPANSION = 20
DEFAULT_MAX_UNCOMPRESSED = 4 * 1024**3

LATITUDE_NAMES = ("lat", "latitude", "y", "#geo+lat")
LONGITUDE_NAMES = ("lon", "lng", "long", "longitude", "x", "#geo+lon")


def read_layer(
    path: str | Path,
    layer: str | None = None,
    *,
    max_bytes: int | None = None,
    max_uncompressed_bytes: int | None = None,
    assume_crs: str | None = None,
    fields: Sequence[str] = (),
) -> gpd.GeoDataFrame:
    """Read one layer of a vector file into EPSG:4326.

    ``layer`` names the layer of a multi-layer file (or the .shp inside a zip). ``max_bytes``
    caps the file size in bytes; ``max_uncompressed_bytes`` caps what a zip may expand to
    (default: 20 × ``max_bytes``, or 4 GiB), checked from the archive's directory before anything
    is extracted or read. ``assume_crs`` is used only for files that declare no CRS. ``fields``
    must exist in the layer. CSV files take their coordinates from lat/latitude/y and
    lon/lng/longitude/x columns (any case, HXL ``#geo+lat``/``#geo+lon`` too) in EPSG:4326.
    """
    src = open_source(
        path, layer, max_bytes=max_bytes, max_uncompressed_bytes=max_uncompressed_bytes
    )
    path, name, suffix, source, layer = src

    if suffix == ".csv":
        frame = _read_csv(path)
    elif suffix in (".parquet", ".geoparquet"):
        frame = _read_parquet(path)
    else:
        frame = _read_ogr(source, name, FORMATS[suffix], layer)

    if len(frame) == 0:
        raise LayerError(f"{name} has no features.")
    if frame.crs is None:
        if assume_crs:
            frame = frame.set_crs(assume_crs)
        elif suffix in (".zip", ".shp"):
            raise LayerError(
                f"{name}: the shapefile has no .prj file, so its coordinate system is unknown. "
                "Add the .prj file (it comes with the .shp from the same export) or name the "
                "coordinate system."
            )
        else:
            raise LayerError(
                f"{name} does not say which coordinate system its coordinates are in. Export "
                "it again with a CRS, or name the coordinate system."
            )
    frame = _to_storage_crs(frame, name)
    require_fields(frame, fields, name)
    return frame


class Source(NamedTuple):
    """A file that passed the checks that need no reading, and what GDAL should open."""

    path: Path
    name: str
    suffix: str
    source: str  # the path, or a /vsizip/ path to the .shp inside a zip
    layer: str | None


def open_source(
    path: str | Path,
    layer: str | None = None,
    *,
    max_bytes: int | None = None,
    max_uncompressed_bytes: int | None = None,
) -> Source:
    """The checks ``read_layer`` makes before reading: existence, format, size, zip contents."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise LayerError(f"{name}: no such file.")
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise LayerError(
            f"{name}: unknown file type '{suffix or '(none)'}'. Use one of: "
            + ", ".join(f"{kind} ({ext})" for ext, kind in FORMATS.items() if ext != ".json")
            + "."
        )
    size = _size(path)
    if size == 0:
        raise LayerError(f"{name} is empty (0 bytes).")
    if max_bytes is not None and size > max_bytes:
        raise LayerError(
            f"{name} is {_human(size)}, over the {_human(max_bytes)} limit. Split it or clip "
            "it to the area you need."
        )
    source = str(path)
    if suffix == ".zip":
        limit = max_uncompressed_bytes
        if limit is None:
            limit = ZIP_EXPANSION * max_bytes if max_bytes else DEFAULT_MAX_UNCOMPRESSED
        member = _shapefile_in_zip(path, layer, limit)
        source, layer = f"/vsizip/{path.resolve()}/{member}", None
    elif suffix == ".shp":
        _check_shapefile_parts(path, [p.name for p in path.parent.iterdir()], path.name)
    return Source(path, name, suffix, source, layer)


def _size(path: Path) -> int:
    if path.suffix.lower() != ".shp":
        return path.stat().st_size
    # A shapefile is its sidecar files too (the .dbf is often the biggest).
    return sum(p.stat().st_size for p in path.parent.glob(path.stem + ".*") if p.is_file())


def _human(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _shapefile_in_zip(path: Path, layer: str | None, limit: int) -> str:
    """The .shp member to read, after the archive's declared sizes were checked."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and not info.filename.startswith("__MACOSX/")
            ]
    except zipfile.BadZipFile:
        raise LayerError(f"{path.name} is not a valid zip archive (it may be damaged).") from None
    expanded = sum(info.file_size for info in members)
    if expanded > limit:
        raise LayerError(
            f"{path.name} would expand to {_human(expanded)}, far beyond the "
            f"{_human(limit)} allowed for an archive of this size; it was not opened."
        )
    names = [info.filename for info in members]
    shapefiles = [n for n in names if n.lower().endswith(".shp")]
    if not shapefiles:
        listed = ", ".join(names[:8]) + (", …" if len(names) > 8 else "") or "nothing"
        raise LayerError(
            f"{path.name} holds no .shp file (it contains: {listed}). A zipped shapefile needs "
            "the .shp, .shx, .dbf and .prj files of one layer."
        )
    if layer is not None:
        wanted = [n for n in shapefiles if Path(n).stem.casefold() == layer.casefold()]
        if not wanted:
            choices = ", ".join(Path(n).stem for n in shapefiles)
            raise LayerError(f"{path.name} has no layer '{layer}'; it has: {choices}.")
        shapefiles = wanted
    if len(shapefiles) > 1:
        choices = ", ".join(Path(n).stem for n in shapefiles)
        raise LayerError(f"{path.name} holds several shapefiles ({choices}); choose one.")
    _check_shapefile_parts(path, names, shapefiles[0])
    return shapefiles[0]


def _check_shapefile_parts(path: Path, names: Iterable[str], shp: str) -> None:
    stem = shp[: -len(".shp")].casefold()
    present = {n[len(stem) :].casefold() for n in names if n.casefold().startswith(stem)}
    missing = [ext for ext in (".shx", ".dbf") if ext not in present]
    if missing:
        raise LayerError(
            f"{path.name}: the shapefile {Path(shp).name} comes without its "
            f"{' and '.join(missing)} file. Include all the files of the shapefile."
        )


def _read_ogr(source: str, name: str, kind: str, layer: str | None) -> gpd.GeoDataFrame:
    frame = _ogr(
        source,
        name,
        kind,
        layer,
        lambda: pyogrio.read_dataframe(source, layer=layer, use_arrow=True),
    )
    if not isinstance(frame, gpd.GeoDataFrame):
        raise LayerError(f"{name} holds a table without geometries; it is not a map layer.")
    return frame


def read_ogr_arrow(src: Source) -> tuple[dict[str, Any], Any]:
    """(meta, pyarrow table) of an OGR-readable file, geometries as WKB: pyogrio's raw read."""
    return _ogr(
        src.source,
        src.name,
        FORMATS[src.suffix],
        src.layer,
        lambda: pyogrio.read_arrow(src.source, layer=src.layer),
    )


def _ogr(source: str, name: str, kind: str, layer: str | None, read: Callable[[], Any]) -> Any:
    """``read()`` once the layer is known to exist; GDAL's errors become ``LayerError``s."""
    try:
        layers = pyogrio.list_layers(source)
        if layer is None and len(layers) > 1:
            choices = ", ".join(str(row[0]) for row in layers)
            raise LayerError(f"{name} holds several layers ({choices}); choose one.")
        if layer is not None and layer not in [str(row[0]) for row in layers]:
            choices = ", ".join(str(row[0]) for row in layers)
            raise LayerError(f"{name} has no layer '{layer}'; it has: {choices}.")
        return read()
    except LayerError:
        raise
    except Exception as error:  # GDAL reports damage through several exception types
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise LayerError(f"{name} could not be read as {kind}: {detail}") from None


def _read_parquet(path: Path) -> gpd.GeoDataFrame:
    try:
        return gpd.read_parquet(path)
    except Exception as error:
        raise LayerError(f"{path.name} could not be read as GeoParquet: {error}") from None


def _read_csv(path: Path) -> gpd.GeoDataFrame:
    name = path.name
    with path.open("rb") as handle:
        head = handle.read(65536)
    encoding = "utf-8-sig"
    try:  # incremental: the 64 KB may end inside a multi-byte character
        sample = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        encoding, sample = "latin-1", head.decode("latin-1")
    try:
        delimiter = csv.Sniffer().sniff(sample.split("\n", 20)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    try:
        table = pd.read_csv(path, sep=delimiter, encoding=encoding, low_memory=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise LayerError(f"{name} could not be read as CSV: {error}") from None
    first_line = 2
    tags: dict[str, str] = {}
    if len(table) and _is_hxl_row(table.iloc[0]):
        tags = {str(v).strip().lower(): c for c, v in table.iloc[0].items() if isinstance(v, str)}
        table = table.iloc[1:].reset_index(drop=True)
        first_line = 3
    lat = _coordinate_column(table.columns, LATITUDE_NAMES, "latitude", tags)
    lon = _coordinate_column(table.columns, LONGITUDE_NAMES, "longitude", tags)
    if lat is None or lon is None:
        columns = ", ".join(str(c) for c in table.columns)
        raise LayerError(
            f"{name} needs a latitude and a longitude column (named lat/latitude/y and "
            f"lon/lng/longitude/x); its columns are: {columns}."
        )
    y = _numbers(table[lat], lat, first_line, name, -90, 90)
    x = _numbers(table[lon], lon, first_line, name, -180, 180)
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(x, y), crs=STORAGE_CRS)


def _is_hxl_row(row: pd.Series) -> bool:
    cells = [str(v).strip() for v in row if isinstance(v, str) and str(v).strip()]
    return bool(cells) and sum(c.startswith("#") for c in cells) >= max(1, len(cells) // 2)


def _coordinate_column(
    columns: Iterable[Any], names: Sequence[str], word: str, tags: dict[str, str]
) -> str | None:
    by_name = {str(c).strip().casefold(): str(c) for c in columns}
    for candidate in names:
        if candidate in by_name:
            return by_name[candidate]
        if candidate in tags:
            return tags[candidate]
    endings = [c for key, c in by_name.items() if key.endswith(word)]  # Kobo: _gps_latitude
    return endings[0] if len(endings) == 1 else None


def _numbers(
    column: pd.Series, label: str, first_line: int, name: str, low: float, high: float
) -> np.ndarray[Any, np.dtype[np.float64]]:
    text = column.astype("string").str.strip()
    values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    bad = values.isna() | (values < low) | (values > high)
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        raw = text.iloc[row]
        if pd.isna(raw) or raw == "":
            why = "is blank"
        elif pd.isna(values.iloc[row]):
            why = f"'{raw}' is not a number"
        else:
            why = f"{raw} is outside {low:g}..{high:g} (swapped columns, or not in degrees?)"
        raise LayerError(f"{name}, line {first_line + row}, column '{label}': {why}.")
    return values.to_numpy(dtype=np.float64)


def _to_storage_crs(frame: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    crs = CRS.from_user_input(frame.crs)
    if crs.is_geographic:
        _check_degrees(frame, name, "")
    if not crs.equals(CRS.from_user_input(STORAGE_CRS)):
        try:
            frame = frame.to_crs(STORAGE_CRS)
        except Exception as error:
            raise LayerError(
                f"{name} could not be converted from {crs.name} to longitude/latitude: {error}"
            ) from None
        _check_degrees(frame, name, f" after conversion from {crs.name}")
    return frame


def _check_degrees(frame: gpd.GeoDataFrame, name: str, after: str) -> None:
    geoms = np.asarray(frame.geometry.array, dtype=object)
    usable = ~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)
    check_degrees(shapely.bounds(geoms), usable, name, after)


def check_degrees(
    bounds: NDArray[np.float64], usable: NDArray[np.bool_], name: str, after: str = ""
) -> None:
    """Refuse features whose ``bounds`` (``usable`` ones only) are not longitude/latitude."""
    finite = np.isfinite(bounds).all(axis=1)
    broken = ~finite & usable
    if broken.any():
        raise LayerError(
            f"{name}: feature {int(np.argmax(broken))} has coordinates that are not numbers"
            f"{after}. Check the coordinate system."
        )
    if not finite.any():
        return
    b = bounds[finite]
    west, south, east, north = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    if west < -180 or east > 180 or south < -90 or north > 90:
        raise LayerError(
            f"{name}: coordinates run from ({west:.6g}, {south:.6g}) to ({east:.6g}, "
            f"{north:.6g}){after}, outside the range of longitude and latitude. The file is "
            "probably in a projected coordinate system but labelled as degrees: fix its CRS "
            "(for a shapefile, its .prj)."
        )


# --- fields -----------------------------------------------------------------------------------


def resolve_field(frame: pd.DataFrame, wanted: str, layer_name: str) -> str:
    """The column called ``wanted``, matching case-insensitively when that is unambiguous."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    columns = [str(c) for c in frame.columns if c != geometry]
    if wanted in columns:
        return wanted
    folded = [c for c in columns if c.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    hint = difflib.get_close_matches(wanted, columns, n=1, cutoff=0.6)
    suggestion = f" Did you mean '{hint[0]}'?" if hint else ""
    raise LayerError(
        f"The {layer_name} has no field '{wanted}'.{suggestion} "
        f"Its fields are: {', '.join(columns) or 'none'}."
    )


def require_fields(frame: pd.DataFrame, fields: Iterable[str], layer_name: str) -> list[str]:
    """The actual column names for ``fields``; a ``LayerError`` names the first missing one."""
    return [resolve_field(frame, f, layer_name) for f in fields]


# --- administrative area fields (COD-AB) ------------------------------------------------------


class AreaFields(NamedTuple):
    """The fields of one administrative level in a COD-AB style layer."""

    level: int
    name: str | None
    pcode: str | None


_NAME_SUFFIXES = ("name", "en", "fr", "es", "pt", "ar", "ru", "name1", "ref", "ref_name")
_AREA_FIELD = re.compile(r"^adm([0-4])_?([a-z0-9_]+)$")


def recognise_area_fields(columns: Iterable[Any]) -> dict[int, AreaFields]:
    """COD-AB name and P-code fields per admin level (0-4), current and legacy names alike.

    Current: ``adm2_name``, ``adm2_pcode`` (also ``adm2_en`` and other languages); legacy:
    ``ADM2_EN``, ``ADM2_PCODE``, ``ADM2_NAME``. The name prefers ``_name``, then English, then
    other languages. Keys are levels; ``name`` or ``pcode`` is None when only the other exists.
    """
    found: dict[int, dict[str, str]] = {}
    for column in columns:
        match = _AREA_FIELD.match(str(column).strip().casefold())
        if match:
            level, suffix = int(match.group(1)), match.group(2)
            found.setdefault(level, {}).setdefault(suffix, str(column))
    result: dict[int, AreaFields] = {}
    for level, suffixes in sorted(found.items()):
        name = next((suffixes[s] for s in _NAME_SUFFIXES if s in suffixes), None)
        pcode = suffixes.get("pcode")
        if name or pcode:
            result[level] = AreaFields(level, name, pcode)
    return result
