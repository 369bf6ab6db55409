"""Vectorised geometry building blocks shared by the exposure and capacity analyses.

Everything here works on numpy arrays of shapely geometries and returns index arrays, so the
callers never loop over features in Python. The few loops left run over hazard zones or areas
that overlap one another (thousands at most), never over buildings.

Representative point
    The point that stands for a feature when it must land in exactly one place (an area, or a
    zone under the "centroid" rule). For a polygon it is the centre of its bounding box when
    that centre lies strictly inside the polygon (true for almost every building, and several
    times cheaper than a centroid on a million polygons), otherwise GEOS's point-on-surface.
    For a line it is GEOS's point-on-surface (a vertex-based point on the line), for a point
    the point itself. It always lies on the feature, unlike a centroid (an L-shaped building's
    centroid can fall outside it).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import CRS, Transformer

Geoms = NDArray[np.object_]
Index = NDArray[np.intp]
Floats = NDArray[np.float64]

_WORKERS = max(1, min(os.cpu_count() or 1, 8))
_MIN_CHUNK = 25_000

POINT_TYPES = (0, 4)  # Point, MultiPoint
LINE_TYPES = (1, 2, 5)  # LineString, LinearRing, MultiLineString
POLYGON_TYPES = (3, 6)  # Polygon, MultiPolygon


def parallel(
    fn: Callable[..., Any], *arrays: NDArray[Any], min_chunk: int = _MIN_CHUNK
) -> NDArray[Any]:
    """Run an element-wise shapely function over chunks in threads (shapely releases the GIL).

    ``min_chunk`` is the smallest share worth a thread: lower it for costly calls (overlays).
    """
    n = len(arrays[0])
    chunks = min(_WORKERS, n // max(1, min_chunk))
    if chunks <= 1:
        return np.asarray(fn(*arrays))
    edges = np.linspace(0, n, chunks + 1).astype(np.intp)

    def run(span: tuple[int, int]) -> NDArray[Any]:
        return np.asarray(fn(*(a[span[0] : span[1]] for a in arrays)))

    with ThreadPoolExecutor(chunks) as pool:
        parts = list(pool.map(run, itertools.pairwise(edges)))
    return np.concatenate(parts)


def prepared_copies(polygons: Geoms) -> list[Geoms]:
    """One prepared copy of ``polygons`` per thread of ``parallel_prepared`` (the first is
    ``polygons`` itself): a prepared polygon keeps state while it tests lines and polygons,
    so two threads must never share one (see ``prepare``)."""
    copies = [polygons] + [shapely.from_wkb(shapely.to_wkb(polygons)) for _ in range(_WORKERS - 1)]
    for copy in copies:
        shapely.prepare(copy)
    return copies


def parallel_prepared(
    fn: Callable[..., Any],
    copies: list[Geoms],
    which: Index,
    *arrays: NDArray[Any],
    min_chunk: int = _MIN_CHUNK,
) -> NDArray[Any]:
    """``fn(polygons[which], *arrays)`` in threads, each thread with its own prepared copy of
    the polygons (``prepared_copies``)."""
    n = len(which)
    chunks = min(len(copies), n // max(1, min_chunk))
    if chunks <= 1:
        return np.asarray(fn(copies[0][which], *arrays))
    edges = np.linspace(0, n, chunks + 1).astype(np.intp)

    def run(job: tuple[int, tuple[int, int]]) -> NDArray[Any]:
        i, (lo, hi) = job
        return np.asarray(fn(copies[i][which[lo:hi]], *(a[lo:hi] for a in arrays)))

    with ThreadPoolExecutor(chunks) as pool:
        parts = list(pool.map(run, enumerate(itertools.pairwise(edges))))
    return np.concatenate(parts)


def prepare(polygons: Geoms) -> None:
    """``shapely.prepare``, then use each prepared polygon once, in this thread.

    GEOS builds a prepared polygon's indexes on first use, and building them is not
    thread-safe (libgeos/geos#825): the threads of ``parallel`` must only find them built.
    Point tests (``contains_xy``, ``intersects_xy``) then only read them. Tests against
    other geometries keep state in the prepared polygon while they run: in threads, they use
    ``parallel_prepared``.
    """
    shapely.prepare(polygons)
    usable = polygons[~shapely.is_missing(polygons) & ~shapely.is_empty(polygons)]
    if len(usable):
        b = shapely.bounds(usable)
        shapely.contains_xy(usable, b[:, 0], b[:, 1])  # builds the point locator


# --- coordinate reference systems -------------------------------------------------------------


def bounds_lonlat(bounds: NDArray[np.float64], crs: CRS) -> tuple[float, float, float, float]:
    """The (west, south, east, north) of ``bounds`` given in ``crs``, in degrees."""
    if crs.equals(CRS.from_epsg(4326)) or crs.equals(CRS.from_user_input("OGC:CRS84")):
        w, s, e, n = (float(v) for v in bounds)
        return w, s, e, n
    transformer = Transformer.from_crs(crs, 4326, always_xy=True)
    west, south, east, north = (float(v) for v in bounds)
    w, s, e, n = transformer.transform_bounds(west, south, east, north, densify_pts=21)
    return float(w), float(s), float(e), float(n)


def utm_crs(lonlat_bounds: tuple[float, float, float, float]) -> CRS:
    """The WGS 84 UTM zone holding the centre of the bounds: used to measure lengths and distances.

    UTM is conformal with a scale error under 0.1% inside its 6° zone, which is the "metres as
    a surveyor would measure them" users cross-check in QGIS. Beyond about 300 km from the
    zone's central meridian the error grows; run national analyses per partition.
    """
    w, s, e, n = lonlat_bounds
    lon, lat = (w + e) / 2, (s + n) / 2
    zone = int((lon + 180) // 6) % 60 + 1
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def equal_area_crs(lonlat_bounds: tuple[float, float, float, float]) -> CRS:
    """A Lambert azimuthal equal-area projection centred on the bounds: used for every m².

    Equal-area means m² and area shares (population weights, the majority rule) are exact at
    any latitude and any extent.
    """
    w, s, e, n = lonlat_bounds
    return CRS.from_proj4(
        f"+proj=laea +lat_0={(s + n) / 2:.6f} +lon_0={(w + e) / 2:.6f} "
        "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
    )


def project(geoms: Geoms, source: CRS, target: CRS) -> Geoms:
    """The geometries transformed from ``source`` to ``target`` (a no-op when they are equal)."""
    if source.equals(target):
        return geoms
    transformer = Transformer.from_crs(source, target, always_xy=True)
    return np.asarray(
        parallel(lambda g: shapely.transform(g, transformer.transform, interleaved=False), geoms),
        dtype=object,
    )


def valid(geoms: Geoms) -> Geoms:
    """The geometries with invalid ones repaired, so that GEOS overlays cannot fail on them."""
    invalid = ~parallel(shapely.is_valid, geoms).astype(bool) & ~shapely.is_missing(geoms)
    if not invalid.any():
        return geoms
    fixed = geoms.copy()
    fixed[invalid] = shapely.make_valid(geoms[invalid])
    return fixed


# --- representative points --------------------------------------------------------------------


def representative_xy(
    geoms: Geoms,
    bounds: Floats | None = None,
    types: Index | None = None,
    empty: NDArray[np.bool_] | None = None,
) -> tuple[Floats, Floats]:
    """x and y of each feature's representative point (see the module docstring); NaN if empty.

    ``bounds``, ``types`` (GEOS type ids) and ``empty`` (``shapely.is_empty``) describe the
    features, when the caller has them already.
    """
    n = len(geoms)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if types is None:
        types = shapely.get_type_id(geoms)
    if empty is None:
        empty = shapely.is_empty(geoms)
    empty = empty | (types < 0)

    single_point = (types == 0) & ~empty
    if single_point.any():
        xy = shapely.get_coordinates(geoms[single_point])
        x[single_point], y[single_point] = xy[:, 0], xy[:, 1]

    polygon = np.isin(types, POLYGON_TYPES) & ~empty
    fallback = ~(single_point | polygon | empty)
    if polygon.any():
        idx = np.flatnonzero(polygon)
        b = shapely.bounds(geoms[idx]) if bounds is None else bounds[idx]
        cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
        inside = parallel(shapely.contains_xy, geoms[idx], cx, cy).astype(bool)
        x[idx[inside]], y[idx[inside]] = cx[inside], cy[inside]
        fallback[idx[~inside]] = True
    if fallback.any():
        xy = shapely.get_coordinates(parallel(shapely.point_on_surface, geoms[fallback]))
        x[fallback], y[fallback] = xy[:, 0], xy[:, 1]
    return x, y


# --- pairs of features and polygons -----------------------------------------------------------


def pairs_covering_points(
    tree: shapely.STRtree, x: Floats, y: Floats, polygons: Geoms
) -> tuple[Index, Index]:
    """(polygon, feature) pairs where the polygon covers the feature's point (boundary counts).

    ``tree`` indexes the features themselves: a representative point lies inside its feature's
    bounding box, so the features whose boxes meet a polygon's box are a superset of the
    candidates, and no Point objects need to be built.
    """
    pi, fi = tree.query(polygons)
    if len(pi) == 0:
        return pi, fi
    prepare(polygons)
    hit = parallel(shapely.intersects_xy, polygons[pi], x[fi], y[fi]).astype(bool)
    return pi[hit], fi[hit]


def pairs_intersecting(
    tree: shapely.STRtree, geoms: Geoms, x: Floats, y: Floats, polygons: Geoms
) -> tuple[Index, Index]:
    """(polygon, feature) pairs whose geometries intersect (touching counts).

    A feature whose representative point lies inside the polygon certainly intersects it; that
    cheap point test settles most pairs before the full GEOS predicate runs on the rest.
    """
    pi, fi = tree.query(polygons)
    if len(pi) == 0:
        return pi, fi
    prepare(polygons)
    hit = parallel(shapely.contains_xy, polygons[pi], x[fi], y[fi]).astype(bool)
    rest = np.flatnonzero(~hit)
    if len(rest):
        copies = prepared_copies(polygons)
        hit[rest] = parallel_prepared(shapely.intersects, copies, pi[rest], geoms[fi[rest]])
    return pi[hit], fi[hit]


def worst_rank(
    tree: shapely.STRtree,
    geoms: Geoms,
    x: Floats,
    y: Floats,
    zones: Geoms,
    zone_rank: Index,
    missing: int,
    *,
    by_point: bool,
) -> Index:
    """The most severe (lowest) rank of the zones each feature meets; ``missing`` if none.

    ``by_point`` tests the representative point (covered by the zone, edge included): a
    cheap test, made for every zone whose box holds the point. Otherwise the feature itself
    must intersect the zone: classes are settled from the most severe down, and a feature
    already settled is not tested against milder zones, which with overlapping hazard layers
    skips most of the exact GEOS tests.
    """
    if by_point:  # one pass: testing every covering zone is cheaper than skipping some
        pi, fi = pairs_covering_points(tree, x, y, zones)
        return first_per_feature(len(geoms), fi, zone_rank[pi], missing)
    best = np.full(len(geoms), missing, dtype=np.intp)
    pi, fi = tree.query(zones)
    if len(pi) == 0:
        return best
    prepare(zones)
    rank = zone_rank[pi]
    copies = prepared_copies(zones)
    for level in np.flatnonzero(np.bincount(rank)):  # np.unique hashes: slower here
        todo = np.flatnonzero((rank == level) & (best[fi] > level))
        zi, fj = pi[todo], fi[todo]
        hit = parallel(shapely.contains_xy, zones[zi], x[fj], y[fj]).astype(bool)
        rest = np.flatnonzero(~hit)
        rest = rest[~np.isin(fj[rest], fj[hit])]  # settled by another zone of this class
        if len(rest):
            hit[rest] = parallel_prepared(shapely.intersects, copies, zi[rest], geoms[fj[rest]])
        best[fj[hit]] = level
    return best


def first_per_feature(n: int, fi: Index, value: NDArray[np.integer[Any]], missing: int) -> Index:
    """For each of ``n`` features the smallest ``value`` among its pairs, ``missing`` if none."""
    out = np.full(n, missing, dtype=np.intp)
    np.minimum.at(out, fi, value.astype(np.intp))
    return out


def make_exclusive(polygons: Geoms, priority: NDArray[np.integer[Any]]) -> Geoms:
    """Each polygon minus every polygon ranked before it, so that none of the results overlap.

    ``priority`` ranks polygons (lower first); ties go to the one earlier in the array. Only the
    polygons that meet a higher-ranked one are touched: in rounds, each round subtracting one
    more of its higher-ranked neighbours from every polygon that has one left, one vectorised
    GEOS call per round (cheaper than a union of the neighbours per polygon).
    """
    polygons = shapely.make_valid(polygons)
    tree = shapely.STRtree(polygons)
    a, b = tree.query(polygons, predicate="intersects")
    before = (priority[b] < priority[a]) | ((priority[b] == priority[a]) & (b < a))
    a, b = a[before], b[before]
    if len(a) == 0:
        return polygons
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    starts = np.flatnonzero(np.r_[True, a[1:] != a[:-1]])
    position = np.arange(len(a)) - np.repeat(starts, np.diff(np.r_[starts, len(a)]))
    out = polygons.copy()
    for step in range(int(position.max()) + 1):
        now = position == step
        out[a[now]] = parallel(shapely.difference, out[a[now]], polygons[b[now]], min_chunk=64)
    return out


def subdivide(geom: Any, max_vertices: int = 256) -> list[Any]:
    """Polygon parts of ``geom`` cut in halves until each has at most ``max_vertices``.

    A dissolved flood plain can have 100,000 vertices; every intersection with a building would
    walk them all. Small pieces keep each GEOS call short and let the STRtree skip most of them.
    """
    pieces: list[Any] = []
    stack = list(shapely.get_parts(geom))
    while stack:
        part = stack.pop()
        if shapely.is_empty(part):
            continue
        if shapely.get_num_coordinates(part) <= max_vertices or shapely.area(part) == 0:
            pieces.append(part)
            continue
        xmin, ymin, xmax, ymax = shapely.bounds(part)
        if xmax - xmin >= ymax - ymin:
            mid = (xmin + xmax) / 2
            halves = [shapely.box(xmin, ymin, mid, ymax), shapely.box(mid, ymin, xmax, ymax)]
        else:
            mid = (ymin + ymax) / 2
            halves = [shapely.box(xmin, ymin, xmax, mid), shapely.box(xmin, mid, xmax, ymax)]
        for half in halves:
            clipped = shapely.intersection(part, half)
            stack.extend(p for p in shapely.get_parts(clipped) if shapely.area(p) > 0)
    return pieces


def exclusive_pieces(polygons: Geoms, rank: Index, max_vertices: int = 256) -> tuple[Geoms, Index]:
    """Non-overlapping pieces of the polygons, each with its polygon's rank.

    Each polygon loses what more severe (lower-ranked) polygons, and earlier polygons of its
    own rank, already cover (``make_exclusive``); pieces with more than ``max_vertices`` are
    then cut smaller (``subdivide``), so later overlays stay cheap.
    """
    exclusive = make_exclusive(polygons, rank)
    keep = ~shapely.is_empty(exclusive)
    return subdivide_all(exclusive[keep], rank[keep], max_vertices)


def subdivide_all(pieces: Geoms, rank: Index, max_vertices: int = 256) -> tuple[Geoms, Index]:
    """``subdivide`` every piece with more than ``max_vertices``; the parts keep its rank."""
    big = shapely.get_num_coordinates(pieces) > max_vertices
    if not big.any():
        return pieces, rank
    parts = [subdivide(g, max_vertices) for g in pieces[big]]
    sizes = np.array([len(p) for p in parts], dtype=np.intp)
    cut = np.empty(int(sizes.sum()), dtype=object)
    cut[:] = [piece for group in parts for piece in group]
    return (
        np.concatenate([pieces[~big], cut]),
        np.concatenate([rank[~big], np.repeat(rank[big], sizes)]),
    )


# --- measuring the parts of features inside polygons ------------------------------------------


def length(geoms: Geoms) -> Floats:
    return np.asarray(shapely.length(geoms), dtype=np.float64)


def area(geoms: Geoms) -> Floats:
    return np.asarray(shapely.area(geoms), dtype=np.float64)


def clip_pairs(geoms: Geoms, polygons: Geoms) -> tuple[Index, Index, Geoms]:
    """(feature, polygon, part) for every feature part inside a polygon, in their shared CRS.

    A feature lying wholly inside a polygon is its own part (no GEOS intersection needed).
    """
    tree = shapely.STRtree(geoms)
    pi, fi = tree.query(polygons, predicate="intersects")
    if len(pi) == 0:
        return fi, pi, np.empty(0, dtype=object)
    prepare(polygons)
    copies = prepared_copies(polygons)
    inside = parallel_prepared(shapely.contains_properly, copies, pi, geoms[fi]).astype(bool)
    parts = geoms[fi].copy()
    rest = np.flatnonzero(~inside)
    if len(rest):
        parts[rest] = parallel(shapely.intersection, geoms[fi[rest]], polygons[pi[rest]])
    return fi, pi, parts


def measure_inside(
    geoms: Geoms, polygons: Geoms, measure: Callable[[Geoms], Floats]
) -> tuple[Index, Index, Floats]:
    """(feature, polygon, amount): how much of each feature lies inside each polygon."""
    fi, pi, parts = clip_pairs(geoms, polygons)
    amount = measure(parts) if len(parts) else np.empty(0)
    keep = amount > 0
    return fi[keep], pi[keep], amount[keep]


def split_by_areas(
    geoms: Geoms, areas: Geoms, measure: Callable[[Geoms], Floats]
) -> tuple[Index, Index, Geoms]:
    """Cut features by non-overlapping areas: (feature, area, part), area -1 for parts outside.

    Only features whose parts inside areas measure less than the whole (those crossing the
    outer edge of the areas) are cut again, against the dissolved outline of all areas.
    """
    fi, ai, parts = clip_pairs(geoms, areas)
    whole = measure(geoms)
    inside = np.bincount(fi, weights=measure(parts), minlength=len(geoms)) if len(fi) else 0.0
    short = inside < whole * (1 - 1e-9)
    touched = np.zeros(len(geoms), dtype=bool)
    touched[fi] = True
    away = np.flatnonzero(short & ~touched)  # wholly outside: the feature is its own part
    partial = np.flatnonzero(short & touched)
    outside = geoms[away]
    if len(partial):
        outline = shapely.union_all(areas)
        cut = np.asarray(shapely.difference(geoms[partial], outline), dtype=object)
        keep = measure(cut) > 0
        away = np.concatenate([away, partial[keep]])
        outside = np.concatenate([outside, cut[keep]])
    fi = np.concatenate([fi, away])
    ai = np.concatenate([ai, np.full(len(away), -1, dtype=np.intp)])
    parts = np.concatenate([parts, outside])
    return fi, ai, parts
