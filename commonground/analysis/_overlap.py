"""How much of each polygon feature lies inside each of a set of polygons (zones).

The majority rule needs, for the ~100,000 buildings of a city that straddle a zone edge, the
area of each one inside each zone. A GEOS overlay per (building, zone) pair costs 15-50 µs,
mostly fixed overhead; here the areas come from Green's theorem on arrays of edges instead:

    area(F ∩ P) = ∮ x dy  around the boundary of F ∩ P
                = ∫ x dy  along the parts of F's edges inside P
                + ∫ x dy  along the parts of P's edges inside F,

with every ring oriented so that its polygon's interior lies on its left (exteriors
counter-clockwise, holes clockwise). Only P's edges whose bounding box meets F's can count.
Along an edge, "inside" changes only where it properly crosses an edge of the other polygon,
and the direction of the crossing says whether it enters or leaves, so each crossing adds
±∫ x dy from the edge's start up to it, without sorting anything. Whether an edge ends inside
comes from one GEOS point test per ring (F's edges in P) or a ray cast (P's edges in F), and
everything is cross-checked: an edge must end as inside as it started plus its entries minus
its exits, and a ring must close. A pair in a degenerate configuration (a vertex on, or within
1e-9 of an edge's length from, the other's boundary; collinear edges) or failing a check is
measured by GEOS instead, so the result equals ``area(intersection(F, P))`` up to rounding.

Coordinates are taken relative to a corner of each feature's bounding box, so the arithmetic
keeps the precision of small differences even in longitude/latitude.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from ._edges import Edges, certainly_valid, edges, expand
from ._vector import _WORKERS, Floats, Geoms, Index, prepare

EPS = 1e-9  # crossings this close to an edge's end (as a fraction of it) go to GEOS
# Zone edges per STRtree query (the pairs found are then checked edge by edge): creating the
# query lines costs more than the queries, so longer runs pay where features are sparse.
CHUNK_DENSE, CHUNK_SPARSE = 2, 4
BLOCK = 32_768  # candidate (zone edge, feature) pairs per block of array work
GROUP = 4_096  # features measured together


def _sum(index: Index, weights: Floats, minlength: int) -> Floats:
    """``np.bincount`` with weights, always float (bincount of nothing gives integers)."""
    return np.bincount(index, weights=weights, minlength=minlength).astype(np.float64)


def _candidates(tree: shapely.STRtree, bounds: Floats, zone: Edges) -> tuple[Index, Index]:
    """(zone edge, feature) pairs where the edge meets the feature's bounding box.

    The tree is queried with runs of consecutive edges of a ring (a query per edge
    costs more than the rest of the work), then each edge is tested against each box found.
    """
    n = len(zone)
    first_of_ring = np.r_[True, zone.ring[1:] != zone.ring[:-1]]
    ring_start = np.maximum.accumulate(np.where(first_of_ring, np.arange(n), 0))
    chunk = CHUNK_DENSE if len(bounds) > 2 * n else CHUNK_SPARSE
    new_chunk = first_of_ring | ((np.arange(n) - ring_start) % chunk == 0)
    starts = np.flatnonzero(new_chunk)
    sizes = np.diff(np.r_[starts, n])
    member = np.cumsum(new_chunk) - 1
    # A chunk of k edges is a line through their k + 1 vertices.
    m = len(starts)
    last = starts + sizes - 1
    at_start = np.arange(n) + member
    at_end = last + np.arange(m) + 1
    coords = np.empty((n + m, 2))
    coords[at_start, 0], coords[at_start, 1] = zone.x0, zone.y0
    coords[at_end, 0], coords[at_end, 1] = zone.x1[last], zone.y1[last]
    line = np.empty(n + m, dtype=np.intp)
    line[at_start], line[at_end] = member, np.arange(m)
    ci, fi = tree.query(shapely.linestrings(coords, indices=line))
    found = [
        _edges_meeting(zone, bounds, starts, sizes, ci[lo : lo + BLOCK], fi[lo : lo + BLOCK])
        for lo in range(0, len(ci), BLOCK)
    ]
    if not found:
        return ci, fi
    return np.concatenate([e for e, _f in found]), np.concatenate([f for _e, f in found])


def _edges_meeting(
    zone: Edges, bounds: Floats, starts: Index, sizes: Index, ci: Index, fi: Index
) -> tuple[Index, Index]:
    """(zone edge, feature) for the edges of chunks ``ci`` that meet the box of ``fi``."""
    which, slot = expand(sizes[ci])
    e = starts[ci[which]] + slot
    f = fi[which]
    x0, y0, x1, y1 = zone.x0[e], zone.y0[e], zone.x1[e], zone.y1[e]
    box = bounds[f]
    west, south, east, north = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    meets = (
        (np.minimum(x0, x1) <= east)
        & (np.maximum(x0, x1) >= west)
        & (np.minimum(y0, y1) <= north)
        & (np.maximum(y0, y1) >= south)
    )
    # The box's corners all on one side of the edge's line: the edge misses the box.
    dx, dy = x1 - x0, y1 - y0
    side = [dx * (cy - y0) - dy * (cx - x0) for cx, cy in ((west, south), (west, north))]
    side += [dx * (cy - y0) - dy * (cx - x0) for cx, cy in ((east, south), (east, north))]
    above = (side[0] > 0) & (side[1] > 0) & (side[2] > 0) & (side[3] > 0)
    below = (side[0] < 0) & (side[1] < 0) & (side[2] < 0) & (side[3] < 0)
    keep = np.flatnonzero(meets & ~above & ~below)
    return e[keep], f[keep]


@dataclass
class _Pairs:
    """The candidates, in local coordinates, and the (feature, polygon) pair of each."""

    feat: Edges  # the features' edges, relative to each feature's origin
    first_edge: Index  # per feature (local index)
    n_edges: Index
    cand_feat: Index  # per candidate: local feature
    cand_pair: Index  # per candidate: pair
    fx: Floats  # per candidate: the zone edge, relative to its feature's origin
    fy: Floats
    gx: Floats
    gy: Floats
    n_pairs: int


@dataclass
class Overlaps:
    """What ``areas_inside`` measured, in the coordinates' units.

    ``moment`` is ∬ y dA relative to each feature's origin (``origin_y``): with the area it
    gives the mean y of a part, which a caller can use to correct for a CRS's varying scale.
    """

    features: Index  # the features near a polygon edge (indices into geoms)
    feature_area: Floats
    feature_moment: Floats
    origin_y: Floats
    feature: Index  # per pair: position in ``features``
    polygon: Index  # per pair: index into polygons
    area: Floats  # per pair: area of the feature inside the polygon
    moment: Floats


def _xdy(ax: Floats, ay: Floats, dx: Floats, dy: Floats, t: Floats | float) -> Floats:
    """∫ x dy along a + τ d for τ from 0 to t (Green's theorem: the signed area term)."""
    return dy * (ax * t + dx * t * t / 2)


def _ydx(ax: Floats, ay: Floats, dx: Floats, dy: Floats, t: Floats | float) -> Floats:
    """∫ -y²/2 dx along a + τ d for τ from 0 to t (Green's theorem: the ∬ y dA term)."""
    return -dx / 2 * (ay * ay * t + ay * dy * t * t + dy * dy * t * t * t / 3)


def _block(k: _Pairs, lo: int, hi: int) -> tuple[Floats, Floats, Index, Index, Floats]:
    """Crossings of the candidates lo..hi with their feature's edges.

    Returns the area and moment they add per pair, the pairs found degenerate, and for each
    crossing the feature edge and pair it is on (two rows) and +1 (entry) or -1 (exit).
    """
    counts = k.n_edges[k.cand_feat[lo:hi]]
    rows, slot = expand(counts)
    e = k.first_edge[k.cand_feat[lo:hi]][rows] + slot
    fx, fy = np.repeat(k.fx[lo:hi], counts), np.repeat(k.fy[lo:hi], counts)
    gx, gy = np.repeat(k.gx[lo:hi], counts), np.repeat(k.gy[lo:hi], counts)
    ex, ey, ex1, ey1 = k.feat.x0[e], k.feat.y0[e], k.feat.x1[e], k.feat.y1[e]
    rx, ry = ex1 - ex, ey1 - ey
    qx, qy = fx - ex, fy - ey
    den = rx * gy - ry * gx
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (qx * gy - qy * gx) / den
        w = (qx * ry - qy * rx) / den
    crossing = (t > EPS) & (t < 1 - EPS) & (w > EPS) & (w < 1 - EPS)
    near = (t >= -EPS) & (t <= 1 + EPS) & (w >= -EPS) & (w <= 1 + EPS)
    degenerate = near & ~crossing
    flat = np.flatnonzero(den == 0)
    if len(flat):  # parallel edges are degenerate when they lie on one line
        scale = np.maximum(rx[flat] ** 2 + ry[flat] ** 2, gx[flat] ** 2 + gy[flat] ** 2)
        collinear = np.abs(qx[flat] * ry[flat] - qy[flat] * rx[flat]) <= EPS * scale
        degenerate[flat[collinear]] = True
        crossing[flat] = False
    pairs = k.cand_pair[lo:hi]
    bad = pairs[rows[degenerate]]
    # Ray casts towards +x from both ends of the zone edge: is it inside the feature?
    start_in = _ray_parity(ex, ey, ex1, ey1, fx, fy, rows, hi - lo)
    end_in = _ray_parity(ex, ey, ex1, ey1, fx + gx, fy + gy, rows, hi - lo)

    hit = np.flatnonzero(crossing)
    th, wh = t[hit], w[hit]
    ex, ey, rx, ry = ex[hit], ey[hit], rx[hit], ry[hit]
    fx, fy, gx, gy = fx[hit], fy[hit], gx[hit], gy[hit]
    # The feature edge leaves the polygon where it crosses the zone edge from left to right,
    # which is exactly where the zone edge enters the feature: the feature edge's inside part
    # ends there (+ its integral up to the crossing), the zone edge's begins (-).
    sign = np.where(gx * ry - gy * rx < 0, 1.0, -1.0)
    pair = pairs[rows[hit]]
    area_at = _xdy(ex, ey, rx, ry, th) - _xdy(fx, fy, gx, gy, wh)
    moment_at = _ydx(ex, ey, rx, ry, th) - _ydx(fx, fy, gx, gy, wh)
    area = _sum(pair, sign * area_at, minlength=k.n_pairs)
    moment = _sum(pair, sign * moment_at, minlength=k.n_pairs)
    # Zone edges ending inside the feature add their whole integral; check their parity.
    zx, zy, zdx, zdy = k.fx[lo:hi], k.fy[lo:hi], k.gx[lo:hi], k.gy[lo:hi]
    area += _sum(pairs, np.where(end_in, _xdy(zx, zy, zdx, zdy, 1.0), 0.0), minlength=k.n_pairs)
    moment += _sum(pairs, np.where(end_in, _ydx(zx, zy, zdx, zdy, 1.0), 0.0), minlength=k.n_pairs)
    entries = _sum(rows[hit], sign, minlength=hi - lo)
    bad = np.concatenate([bad, pairs[(start_in + entries) != end_in]])
    return area, moment, bad, np.stack([e[hit], pair]), -sign


def _ray_parity(
    ax: Floats,
    ay: Floats,
    bx: Floats,
    by: Floats,
    px: Floats,
    py: Floats,
    rows: Index,
    n: int,
) -> NDArray[np.bool_]:
    """Per candidate: does the ray from its point towards +x cross its feature's edges oddly?"""
    spans = (ay > py) != (by > py)
    idx = np.flatnonzero(spans)
    at = ax[idx] + (py[idx] - ay[idx]) * (bx[idx] - ax[idx]) / (by[idx] - ay[idx])
    crosses = idx[px[idx] < at]
    return np.bincount(rows[crosses], minlength=n) % 2 == 1


def areas_inside(
    geoms: Geoms,
    tree: shapely.STRtree,
    polygons: Geoms,
    bounds: Floats | None = None,
    keep: Callable[[Index, Index], NDArray[np.bool_]] | None = None,
) -> Overlaps:
    """The area of each feature inside each polygon that has an edge meeting its box.

    ``geoms`` are (multi)polygons indexed by ``tree`` (invalid ones are measured as
    ``make_valid`` repairs them), ``bounds`` their bounds if known; ``polygons`` are valid (and
    get prepared). A feature whose box no edge of a polygon meets lies wholly inside or wholly
    outside it, and that pair is left out (a point test tells which). ``keep(feature,
    polygon)``, given the index arrays of the pairs found, says which to measure.
    """
    if bounds is None:
        bounds = shapely.bounds(geoms)
    prepare(polygons)  # before any thread uses them (see _vector.prepare)
    zone = edges(polygons)
    si, fi = _candidates(tree, bounds, zone)
    if keep is not None and len(si):
        wanted = keep(fi, zone.owner[si])
        si, fi = si[wanted], fi[wanted]
    if len(si) == 0:
        return _measure(geoms, bounds, polygons, zone, si, fi)
    # Every later step is per feature: measure groups of features in threads. Small groups
    # keep every array small, so memory is reused rather than freshly allocated (page faults
    # cost more than the arithmetic).
    order = np.argsort(fi, kind="stable")
    si, fi = si[order], fi[order]
    firsts = np.flatnonzero(np.r_[True, fi[1:] != fi[:-1]])
    spans = list(itertools.pairwise([*firsts[::GROUP].tolist(), len(fi)]))
    with ThreadPoolExecutor(_WORKERS) as pool:
        done = list(
            pool.map(
                lambda s: _measure(geoms, bounds, polygons, zone, si[s[0] : s[1]], fi[s[0] : s[1]]),
                spans,
            )
        )
    offsets = np.cumsum([0] + [len(d.features) for d in done])
    return Overlaps(
        np.concatenate([d.features for d in done]),
        np.concatenate([d.feature_area for d in done]),
        np.concatenate([d.feature_moment for d in done]),
        np.concatenate([d.origin_y for d in done]),
        np.concatenate([d.feature + offset for d, offset in zip(done, offsets, strict=False)]),
        np.concatenate([d.polygon for d in done]),
        np.concatenate([d.area for d in done]),
        np.concatenate([d.moment for d in done]),
    )


def _local(feat: Edges, ox: Floats, oy: Floats) -> Edges:
    """The edges with coordinates relative to their polygon's origin (``ox``, ``oy``)."""
    x, y = ox[feat.owner], oy[feat.owner]
    feat.x0 -= x
    feat.x1 -= x
    feat.y0 -= y
    feat.y1 -= y
    return feat


def _feature_edges(
    k: _Pairs,
    pair_feat: Index,
    pair_poly: Index,
    polygons: Geoms,
    origin: tuple[Floats, Floats],
    hits: Index,
    entries: Floats,
    whole: tuple[Floats, Floats],
) -> tuple[Floats, Floats, Index]:
    """The feature edges' part of each pair's area and moment, and the pairs failing a check.

    Each feature edge of each pair is inside the polygon or not from its ring's first vertex
    (one GEOS point test) on, changing at the crossings ``hits`` (edge, pair) by ``entries``.
    """
    n_pairs = len(pair_feat)
    per_pair = k.n_edges[pair_feat]
    p, slot = expand(per_pair)
    if len(p) == 0:
        return np.zeros(n_pairs), np.zeros(n_pairs), np.zeros(0, dtype=np.intp)
    ox, oy = origin
    pe = k.first_edge[pair_feat[p]] + slot
    row_of_pair = np.cumsum(per_pair) - per_pair
    rows = row_of_pair[hits[1]] + hits[0] - k.first_edge[pair_feat[hits[1]]]
    net = _sum(rows, entries, minlength=len(p))
    ring = k.feat.ring[pe]
    head = np.r_[True, (ring[1:] != ring[:-1]) | (p[1:] != p[:-1])]
    heads = np.flatnonzero(head)
    head_in = shapely.contains_xy(
        polygons[pair_poly[p[heads]]],
        k.feat.x0[pe[heads]] + ox[pair_feat[p[heads]]],
        k.feat.y0[pe[heads]] + oy[pair_feat[p[heads]]],
    ).astype(np.float64)
    run = np.cumsum(net)
    group = np.cumsum(head) - 1
    inside = head_in[group] + run - np.r_[0.0, run][heads][group]  # at each edge's end
    closing = np.r_[heads[1:], len(p)] - 1
    failed = np.concatenate([p[(inside < 0) | (inside > 1)], p[heads[inside[closing] != head_in]]])
    ends_inside = inside == 1
    whole_area, whole_moment = whole
    area = _sum(p, np.where(ends_inside, whole_area[pe], 0.0), minlength=n_pairs)
    moment = _sum(p, np.where(ends_inside, whole_moment[pe], 0.0), minlength=n_pairs)
    return area, moment, failed


def _measure(
    geoms: Geoms, bounds: Floats, polygons: Geoms, zone: Edges, si: Index, fi: Index
) -> Overlaps:
    """``areas_inside`` for the candidates (zone edge ``si``, feature ``fi``)."""
    if len(si) == 0:
        none, nothing = np.zeros(0, dtype=np.intp), np.zeros(0)
        return Overlaps(none, nothing, nothing, nothing, none, none, nothing, nothing)
    feats, cand_feat = np.unique(fi, return_inverse=True)
    shapes = geoms[feats]
    ox, oy = bounds[feats, 0], bounds[feats, 1]
    feat = _local(edges(shapes), ox, oy)
    unsure = np.flatnonzero(~certainly_valid(feat, len(feats)))
    broken = unsure[~shapely.is_valid(shapes[unsure])]
    if len(broken):
        shapes = shapes.copy()
        shapes[broken] = shapely.make_valid(shapes[broken], method="structure")
        feat = _local(edges(shapes), ox, oy)
    n_edges = np.bincount(feat.owner, minlength=len(feats))
    first_edge = np.cumsum(n_edges) - n_edges
    rx, ry = feat.x1 - feat.x0, feat.y1 - feat.y0
    whole_area = _xdy(feat.x0, feat.y0, rx, ry, 1.0)
    whole_moment = _ydx(feat.x0, feat.y0, rx, ry, 1.0)
    feature_area = _sum(feat.owner, whole_area, minlength=len(feats))
    feature_moment = _sum(feat.owner, whole_moment, minlength=len(feats))

    n_polys = max(1, len(polygons))
    key = cand_feat.astype(np.int64) * n_polys + zone.owner[si]
    order = np.argsort(key, kind="stable")  # candidates grouped by pair
    si, cand_feat, key = si[order], cand_feat[order], key[order]
    pair_key, cand_pair = np.unique(key, return_inverse=True)
    pair_feat = (pair_key // n_polys).astype(np.intp)
    pair_poly = (pair_key % n_polys).astype(np.intp)
    n_pairs = len(pair_key)
    k = _Pairs(
        feat,
        first_edge,
        n_edges,
        cand_feat,
        cand_pair,
        zone.x0[si] - ox[cand_feat],
        zone.y0[si] - oy[cand_feat],
        zone.x1[si] - zone.x0[si],
        zone.y1[si] - zone.y0[si],
        n_pairs,
    )
    done = [_block(k, lo, min(lo + BLOCK, len(si))) for lo in range(0, len(si), BLOCK)]
    area = np.zeros(n_pairs)
    moment = np.zeros(n_pairs)
    bad = np.zeros(n_pairs, dtype=bool)
    bad[np.isin(pair_feat, broken)] = True  # repaired shapes: GEOS checks them
    for block_area, block_moment, block_bad, _hits, _signs in done:
        area += block_area
        moment += block_moment
        bad[block_bad] = True
    hits = np.concatenate([d[3] for d in done], axis=1)
    entries = np.concatenate([d[4] for d in done])

    # Feature edges, per pair: inside the polygon or not from each ring's first vertex on.
    edge_area, edge_moment, failed = _feature_edges(
        k, pair_feat, pair_poly, polygons, (ox, oy), hits, entries, (whole_area, whole_moment)
    )
    area += edge_area
    moment += edge_moment
    bad[failed] = True

    if bad.any():
        redo = np.flatnonzero(bad)
        parts = shapely.intersection(shapes[pair_feat[redo]], polygons[pair_poly[redo]])
        area[redo] = shapely.area(parts)
        some = area[redo] > 0  # the centroid of nothing has no y
        centre_y = shapely.get_y(shapely.centroid(parts[some]))
        moment[redo] = 0.0
        moment[redo[some]] = (centre_y - oy[pair_feat[redo[some]]]) * area[redo[some]]
        if len(broken):
            feature_area[broken] = shapely.area(shapes[broken])
            feature_moment[broken] = 0.0
            kept = broken[feature_area[broken] > 0]  # repairing may leave nothing
            centre_y = shapely.get_y(shapely.centroid(shapes[kept]))
            feature_moment[kept] = (centre_y - oy[kept]) * feature_area[kept]
    return Overlaps(feats, feature_area, feature_moment, oy, pair_feat, pair_poly, area, moment)
