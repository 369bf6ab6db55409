"""Storing a layer: read, check, repair and write it as GeoParquet, in one pass.

``store_layer`` does what ``read_layer``, ``repair_geometries`` and ``write_geoparquet`` do
one after another, with the same checks, repairs, report and refusals, but for the common case
(a GDAL-readable file already in longitude/latitude) it never builds a million Shapely
geometries only to turn them back into the WKB they came from:

* the file is read as an Arrow table, geometries as WKB (pyogrio's raw read);
* plain polygons (one ring, 2D, little-endian: nearly every building) are decoded straight
  from their WKB with numpy, which gives their bounds, and checked for validity by testing
  every pair of their edges (``_overlap.certainly_valid``);
* only the features that are anything else, or that might be invalid, become Shapely
  geometries: GEOS checks them and ``_repair.repair`` repairs them as ``repair_geometries``
  would;
* the source WKB of every valid feature is written as it came, rows in Hilbert order of their
  boxes with a covering ``bbox`` column (GeoParquet 1.1), so a map's bounding-box read touches
  only the row groups it needs.

Everything else (CSV, GeoParquet, files in another CRS, which must be reprojected) goes the
long way round, with the same result.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from numpy.typing import NDArray
from pyproj import CRS

from . import io
from ._edges import certainly_valid, ring_edges
from ._repair import RepairEntry, repair, repair_geometries
from ._vector import _WORKERS, Floats, Index
from .errors import LayerError

__all__ = ["StoredLayer", "hilbert_order", "store_layer", "write_geoparquet"]

TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}
GEOMETRY = "geometry"  # the geometry column of every stored layer
ROW_GROUP = 20_000
# A little-endian 2D WKB polygon with one ring: byte order 1, type 3, 1 ring.
_PLAIN_POLYGON = np.frombuffer(b"\x01\x03\x00\x00\x00\x01\x00\x00\x00", dtype=np.uint8)

Check = Callable[[list[str], int], None]


class StoredLayer(NamedTuple):
    """What was written: geometry types, bounds, number of features, fields, repairs made."""

    geometry_types: list[str]
    bounds: tuple[float, float, float, float]  # west, south, east, north (NaN if no features)
    features: int = 0
    fields: list[str] = []
    repairs: list[RepairEntry] = []


def store_layer(
    path: str | Path,
    target: str | Path,
    *,
    max_bytes: int | None = None,
    check: Check | None = None,
) -> StoredLayer:
    """Read the layer at ``path``, repair it and write it to ``target`` as GeoParquet.

    Refuses what ``read_layer`` refuses, with the same messages. ``check(fields, count)`` runs
    after the repairs and before anything is written: it may refuse the layer by raising.
    """
    src = io.open_source(path, max_bytes=max_bytes)
    if src.suffix not in (".csv", ".parquet", ".geoparquet"):
        meta, table = io.read_ogr_arrow(src)
        if _plain_enough(meta, table):
            return _store_table(src.name, meta, table, Path(target), check)
    frame = io.read_layer(path, max_bytes=max_bytes)
    frame, repairs = repair_geometries(frame)
    fields = [str(c) for c in frame.columns if c != frame.geometry.name]
    if check is not None:
        check(fields, len(frame))
    stored = write_geoparquet(frame, target)
    return stored._replace(features=len(frame), fields=fields, repairs=repairs)


def _plain_enough(meta: dict[str, Any], table: pa.Table) -> bool:
    """Can the table be stored as it is: longitude/latitude, WKB geometries, no name clash?"""
    name = meta.get("geometry_name") or "wkb_geometry"
    crs = meta.get("crs")
    if table.num_rows == 0 or not crs or name not in table.column_names:
        return False  # read_layer refuses these with its messages
    fields = [c for c in table.column_names if c != name]
    if GEOMETRY in fields or not pa.types.is_binary(table.schema.field(name).type):
        return False
    return bool(CRS.from_user_input(crs).equals(CRS.from_user_input(io.STORAGE_CRS)))


class _Geometries(NamedTuple):
    """What the checks found per feature."""

    missing: NDArray[np.bool_]
    empty: NDArray[np.bool_]
    valid: NDArray[np.bool_]
    bounds: Floats  # n × 4, NaN where missing or empty
    types: Index  # GEOS type id, -1 where missing
    shapes: dict[int, Any]  # the features that became Shapely geometries, by row


def _store_table(
    name: str, meta: dict[str, Any], table: pa.Table, target: Path, check: Check | None
) -> StoredLayer:
    column = meta.get("geometry_name") or "wkb_geometry"
    wkb = table.column(column)
    found = _examine(wkb)
    io.check_degrees(found.bounds, ~found.missing & ~found.empty, name)
    attributes = table.drop_columns([column])
    fields = list(attributes.column_names)
    if "bbox" in fields:
        raise LayerError(
            "The layer has a field named 'bbox', a name GeoParquet reserves; rename it and "
            "import the layer again."
        )
    # The features needing attention, in file order, through the same repair as ever.
    attention = np.flatnonzero(found.missing | found.empty | ~found.valid)
    geoms = np.array([found.shapes.get(int(i)) for i in attention], dtype=object)
    fixed, dropped, repairs = repair(
        geoms,
        found.missing[attention],
        found.empty[attention],
        ~found.valid[attention] & ~found.missing[attention] & ~found.empty[attention],
        attention,
    )
    repaired = attention[~dropped]
    fixed = fixed[~dropped]
    keep = np.ones(len(found.missing), dtype=bool)
    keep[attention] = False
    as_read = np.flatnonzero(keep)
    rows = np.concatenate([as_read, repaired])
    if check is not None:
        check(fields, len(rows))
    bounds = np.concatenate([found.bounds[as_read], shapely.bounds(fixed).reshape(-1, 4)])
    types = np.concatenate([found.types[as_read], shapely.get_type_id(fixed)])
    # Row groups taken straight into Hilbert order: the rows as read, then the repaired ones.
    total = _total_bounds(bounds)
    order = hilbert_order(bounds, total)
    fixed_wkb = pa.array(shapely.to_wkb(fixed), type=pa.binary())
    geometry = pa.concat_arrays([*(c.cast(pa.binary()) for c in wkb.chunks), fixed_wkb])
    at = np.concatenate([as_read, len(found.missing) + np.arange(len(repaired))])
    attributes = attributes.combine_chunks()

    def group(part: Index) -> pa.Table:
        table = attributes.take(rows[part])
        table = table.append_column(pa.field(GEOMETRY, pa.binary()), geometry.take(at[part]))
        return table.append_column("bbox", _bbox_column(bounds[part]))

    type_names = _type_names(types)
    crs = CRS.from_user_input(io.STORAGE_CRS)
    _write(target, group, order, GEOMETRY, type_names, total, crs)
    return StoredLayer(type_names, total, len(rows), fields, repairs)


def _examine(wkb: pa.ChunkedArray) -> _Geometries:
    """Missing, empty, valid, bounds and type of every feature, from its WKB."""
    chunks = [chunk for chunk in wkb.chunks if len(chunk)]
    with ThreadPoolExecutor(_WORKERS) as pool:  # numpy and GEOS release the GIL
        parts = list(pool.map(_examine_chunk, chunks))
    shapes: dict[int, Any] = {}
    offset = 0
    for part, chunk in zip(parts, chunks, strict=True):
        shapes |= {offset + row: shape for row, shape in part.shapes.items()}
        offset += len(chunk)
    if not parts:
        none = np.zeros(0, dtype=bool)
        return _Geometries(none, none, none, np.zeros((0, 4)), np.zeros(0, np.intp), {})
    return _Geometries(
        np.concatenate([p.missing for p in parts]),
        np.concatenate([p.empty for p in parts]),
        np.concatenate([p.valid for p in parts]),
        np.concatenate([p.bounds for p in parts]),
        np.concatenate([p.types for p in parts]),
        shapes,
    )


def _examine_chunk(chunk: pa.Array) -> _Geometries:
    """``_examine`` for one Arrow chunk (pyogrio reads 65,536 features per chunk)."""
    n = len(chunk)
    missing = chunk.is_null().to_numpy(zero_copy_only=False)
    _validity, offsets_buffer, data_buffer = chunk.buffers()
    width = np.int64 if pa.types.is_large_binary(chunk.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=width)[chunk.offset : chunk.offset + n + 1]
    start = offsets[:-1].astype(np.int64)
    size = np.diff(offsets).astype(np.int64)
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer else np.zeros(0, np.uint8)
    plain, xy, counts = _plain_polygons(data, data_buffer, start, size, ~missing)
    bounds = np.full((n, 4), np.nan)
    types = np.full(n, -1, dtype=np.intp)
    valid = np.ones(n, dtype=bool)
    if len(plain):
        first = np.cumsum(counts) - counts
        bounds[plain, 0] = np.minimum.reduceat(xy[:, 0], first)
        bounds[plain, 1] = np.minimum.reduceat(xy[:, 1], first)
        bounds[plain, 2] = np.maximum.reduceat(xy[:, 0], first)
        bounds[plain, 3] = np.maximum.reduceat(xy[:, 1], first)
        types[plain] = 3
        valid[plain] = certainly_valid(ring_edges(xy, counts), len(plain))
    # Everything else, and the polygons that might be invalid, go through GEOS.
    other = np.ones(n, dtype=bool)
    other[plain] = False
    other &= ~missing
    unsure = np.flatnonzero(other | ~valid)
    shapes: dict[int, Any] = {}
    empty = np.zeros(n, dtype=bool)
    if len(unsure):
        try:
            geoms = shapely.from_wkb(chunk.take(unsure).to_numpy(zero_copy_only=False))
        except shapely.errors.GEOSException as error:
            raise LayerError(f"A feature's geometry cannot be read: {error}") from None
        types[unsure] = shapely.get_type_id(geoms)
        empty[unsure] = shapely.is_empty(geoms)
        bounds[unsure] = shapely.bounds(geoms)
        valid[unsure] = shapely.is_valid(geoms) | empty[unsure]
        shapes = {
            int(row): shape
            for row, shape, ok in zip(unsure, geoms, valid[unsure], strict=True)
            if not ok
        }
    return _Geometries(missing, empty, valid, bounds, types, shapes)


def _plain_polygons(
    data: NDArray[np.uint8], buffer: pa.Buffer, start: Index, size: Index, present: Any
) -> tuple[Index, Floats, Index]:
    """(rows, coordinates, vertices per row) of the rows that are plain WKB polygons.

    A plain polygon is little-endian, 2D, with one ring of at least 4 points, and its WKB is
    exactly as long as that says. Its coordinates are float64 pairs from byte 13 on, at any
    alignment: they are read through a float64 view of the buffer that starts at every byte.
    """
    rows = np.flatnonzero(present & (size >= 13))
    head = data[start[rows, None] + np.arange(13)]
    count = np.ascontiguousarray(head[:, 9:13]).view("<u4").ravel().astype(np.int64)
    plain = (head[:, :9] == _PLAIN_POLYGON).all(axis=1) & (count >= 4)
    plain &= size[rows] == 13 + 16 * count
    rows, count = rows[plain], count[plain]
    values = 2 * count
    if not len(rows):
        return rows, np.zeros((0, 2)), count
    every_byte = np.ndarray((len(data) - 7,), dtype="<f8", buffer=buffer, strides=(1,))
    first = np.repeat(start[rows] + 13 - 8 * (np.cumsum(values) - values), values)
    xy = every_byte[first + 8 * np.arange(int(values.sum()))]
    return rows, xy.reshape(-1, 2), count


def write_geoparquet(
    frame: gpd.GeoDataFrame, path: str | Path, *, row_group_size: int = ROW_GROUP
) -> StoredLayer:
    """Write ``frame`` as GeoParquet 1.1 (WKB and a covering ``bbox`` column), in Hilbert order.

    The frame must hold no missing or empty geometries (``repair_geometries`` drops them).
    WKB and bounds are computed in the frame's own order and the rows reordered as an Arrow
    table: reordering a million Shapely geometries would scatter them in memory.
    """
    if "bbox" in frame.columns:
        raise LayerError(
            "The layer has a field named 'bbox', a name GeoParquet reserves; rename it and "
            "import the layer again."
        )
    geoms = np.asarray(frame.geometry.array, dtype=object)
    bounds = shapely.bounds(geoms).reshape(-1, 4)
    total = _total_bounds(bounds)
    types = _type_names(shapely.get_type_id(geoms))
    table = pa.table(frame.to_arrow(index=False, geometry_encoding="WKB")).combine_chunks()
    table = table.append_column("bbox", _bbox_column(bounds))
    order = hilbert_order(bounds, total)
    crs = CRS.from_user_input(frame.crs) if frame.crs else None
    name = str(frame.geometry.name)
    _write(Path(path), table.take, order, name, types, total, crs, row_group_size)
    return StoredLayer(types, total)


def _type_names(types: Index) -> list[str]:
    """The names of the GEOS type ids present (-1, no geometry, left out)."""
    present = np.flatnonzero(np.bincount(types[types >= 0], minlength=len(TYPE_NAMES)))
    return sorted(TYPE_NAMES[int(t)] for t in present)


def _total_bounds(bounds: Floats) -> tuple[float, float, float, float]:
    if not len(bounds):
        return (float("nan"),) * 4
    return (
        float(np.nanmin(bounds[:, 0])),
        float(np.nanmin(bounds[:, 1])),
        float(np.nanmax(bounds[:, 2])),
        float(np.nanmax(bounds[:, 3])),
    )


def _bbox_column(bounds: Floats) -> pa.StructArray:
    return pa.StructArray.from_arrays(
        [pa.array(np.ascontiguousarray(bounds[:, i])) for i in range(4)],
        names=["xmin", "ymin", "xmax", "ymax"],
    )


def _write(
    path: Path,
    rows: Callable[[Index], pa.Table],
    order: Index,
    geometry: str,
    types: list[str],
    total: tuple[float, float, float, float],
    crs: CRS | None,
    row_group_size: int = ROW_GROUP,
) -> None:
    """Write ``rows(order[i:j])`` one row group at a time, with GeoParquet's metadata.

    Taking one row group at a time keeps the memory in use small and reused.
    """
    geo = {
        "version": "1.1.0",
        "primary_column": geometry,
        "columns": {
            geometry: {
                "encoding": "WKB",
                "geometry_types": types,
                "crs": crs.to_json_dict() if crs else None,
                "bbox": list(total) if len(order) else [],
                "covering": {"bbox": {k: ["bbox", k] for k in ("xmin", "ymin", "xmax", "ymax")}},
            }
        },
    }
    starts = range(0, max(len(order), 1), row_group_size)
    with ThreadPoolExecutor(1) as pool:  # takes the next row group while this one is written
        pending = pool.submit(rows, order[:row_group_size])
        first = pending.result()
        metadata = {**(first.schema.metadata or {}), b"geo": json.dumps(geo).encode()}
        schema = first.schema.with_metadata(metadata)
        # WKB and boxes are all different: trying a dictionary for them only costs time.
        attributes = [c for c in schema.names if c not in (geometry, "bbox")]
        with pq.ParquetWriter(path, schema, compression="snappy", use_dictionary=attributes) as out:
            for lo in starts:
                part = pending.result()
                if lo + row_group_size < len(order):
                    following = order[lo + row_group_size : lo + 2 * row_group_size]
                    pending = pool.submit(rows, following)
                table = part.replace_schema_metadata(metadata)
                out.write_table(table, row_group_size=row_group_size)


def hilbert_order(bounds: Floats, total: tuple[float, float, float, float]) -> Index:
    """Row order along a Hilbert curve (65,536 × 65,536 cells) through the boxes' centres."""
    if not len(bounds):
        return np.zeros(0, dtype=np.intp)
    west, south, east, north = total
    side = (1 << 16) - 1
    cx = (bounds[:, 0] + bounds[:, 2]) / 2
    cy = (bounds[:, 1] + bounds[:, 3]) / 2
    x = np.clip((cx - west) / max(east - west, 1e-300) * side, 0, side).astype(np.int64)
    y = np.clip((cy - south) / max(north - south, 1e-300) * side, 0, side).astype(np.int64)
    block = 1 << 16  # small arrays: reused memory rather than fresh pages
    with ThreadPoolExecutor(_WORKERS) as pool:
        parts = pool.map(
            lambda i: _hilbert_distance(x[i : i + block], y[i : i + block], 16),
            range(0, len(x), block),
        )
        distance = np.concatenate(list(parts))
    return np.argsort(distance)


def _hilbert_distance(x: NDArray[np.int64], y: NDArray[np.int64], bits: int) -> NDArray[np.int64]:
    """Distance along the Hilbert curve of the cells (x, y) of a 2^bits square grid.

    The classic iterative construction: at each scale, the quadrant adds its offset along the
    curve, then the coordinates are flipped and swapped into that quadrant's frame (with
    integer masks, in place: ``last - v`` is ``v ^ last`` on the grid).
    """
    x, y = x.astype(np.uint32), y.astype(np.uint32)
    d = np.zeros(len(x), dtype=np.int64)
    last = np.uint32((1 << bits) - 1)
    s = 1 << (bits - 1)
    rx = np.empty(len(x), dtype=np.uint32)
    ry = np.empty(len(x), dtype=np.uint32)
    mask = np.empty(len(x), dtype=np.uint32)
    while s > 0:
        np.right_shift(x, s.bit_length() - 1, out=rx)
        np.bitwise_and(rx, 1, out=rx)
        np.right_shift(y, s.bit_length() - 1, out=ry)
        np.bitwise_and(ry, 1, out=ry)
        d += (s * s) * ((3 * rx) ^ ry).astype(np.int64)
        # Where ry is 0: flip both when rx is 1, then swap x and y.
        np.subtract(ry, 1, out=mask)  # all ones where ry == 0, else 0
        flip = mask & (np.uint32(0) - rx) & last
        x ^= flip
        y ^= flip
        swap = (x ^ y) & mask
        x ^= swap
        y ^= swap
        s >>= 1
    return d
