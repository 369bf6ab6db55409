"""How much of each polygon feature lies inside each of a set of non-overlapping polygons.

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from . import _vector
from ._vector import _WORKERS, Floats, Geoms, Index

EPS = 1e-9  # crossings this close to an edge's end (as a fraction of it) go to GEOS
CHUNK = 2  # zone edges per STRtree query; the pairs found are then checked edge by edge
BLOCK = 32_768  # candidate (zone edge, feature) pairs per block of array work
GROUP = 4_096  # features measured together


@dataclass
class Edges:
    """The edges of polygons, rings oriented so that the interior lies on their left.

    Edges are ordered by polygon, ring and vertex: each polygon's edges are contiguous.
    """

    x0: Floats
    y0: Floats
    x1: Floats
    y1: Floats
    owner: Index  # the polygon of each edge
    ring: Index  # the ring of each edge, numbered over all polygons

    def __len__(self) -> int:
        return len(self.x0)


def edges(polygons: Geoms) -> Edges:
    """The edges of (multi)polygons. A ring turning the wrong way is read backwards."""
    simple = (shapely.get_type_id(polygons) == 3) & (shapely.get_num_interior_rings(polygons) == 0)
    xy, ring_of = shapely.get_coordinates(polygons[simple], return_index=True)
    ring_owner = np.flatnonzero(simple)
    hole = np.zeros(len(ring_owner), dtype=bool)
    if not simple.all():
        others = np.flatnonzero(~simple)
        parts, part_owner = shapely.get_parts(polygons[others], return_index=True)
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        more_xy, more_ring = shapely.get_coordinates(rings, return_index=True)
        xy = np.concatenate([xy, more_xy])
        ring_of = np.concatenate([ring_of, more_ring + len(ring_owner)])
        ring_owner = np.concatenate([ring_owner, others[part_owner[ring_part]]])
        hole = np.concatenate([hole, np.r_[False, ring_part[1:] == ring_part[:-1]]])
        # Renumber the rings in polygon order, and put their vertices in that order too.
        order = np.argsort(ring_owner, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        ring_owner, hole = ring_owner[order], hole[order]
        ring_of = rank[ring_of]
        by_ring = np.argsort(ring_of, kind="stable")
        xy, ring_of = xy[by_ring], ring_of[by_ring]
    n_rings = len(ring_owner)
    counts = np.bincount(ring_of, minlength=n_rings)
    starts = np.cumsum(counts) - counts
    # Shoelace per ring, relative to its first vertex: its sign is the ring's orientation.
    x = xy[:, 0] - np.repeat(xy[starts, 0], counts)
    y = xy[:, 1] - np.repeat(xy[starts, 1], counts)
    step = ring_of[1:] == ring_of[:-1]
    cross = np.where(step, x[:-1] * y[1:] - x[1:] * y[:-1], 0.0)
    signed = _sum(ring_of[:-1], cross, minlength=n_rings)
    flip = (signed < 0) != hole  # exteriors must turn counter-clockwise, holes clockwise
    if flip.any():
        position = np.arange(len(xy))
        first = starts[ring_of]
        last = first + counts[ring_of] - 1
        xy = xy[np.where(flip[ring_of], first + last - position, position)]
    # Repeated vertices make edges of length 0: they bound nothing, and the crossing test
    # would only find them degenerate.
    moves = (xy[1:, 0] != xy[:-1, 0]) | (xy[1:, 1] != xy[:-1, 1])
    at = np.flatnonzero(step & moves)
    ring = ring_of[at]
    return Edges(xy[at, 0], xy[at, 1], xy[at + 1, 0], xy[at + 1, 1], ring_owner[ring], ring)


def _sum(index: Index, weights: Floats, minlength: int) -> Floats:
    """``np.bincount`` with weights, always float (bincount of nothing gives integers)."""
    return np.bincount(index, weights=weights, minlength=minlength).astype(np.float64)


def expand(counts: Index) -> tuple[Index, Index]:
    """For groups of these sizes: the group of every member and its position in the group."""
    group = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return group, np.arange(len(group)) - starts[group]


def _candidates(tree: shapely.STRtree, bounds: Floats, zone: Edges) -> tuple[Index, Index]:
    """(zone edge, feature) pairs where the edge meets the feature's bounding box.

    The tree is queried with runs of ``CHUNK`` consecutive edges of a ring (a query per edge
    costs more than the rest of the work), then each edge is tested against each box found.
    """
    n = len(zone)
    first_of_ring = np.r_[True, zone.ring[1:] != zone.ring[:-1]]
    ring_start = np.maximum.accumulate(np.where(first_of_ring, np.arange(n), 0))
    new_chunk = first_of_ring | ((np.arange(n) - ring_start) % CHUNK == 0)
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
    geoms: Geoms, tree: shapely.STRtree, polygons: Geoms, bounds: Floats | None = None
) -> Overlaps:
    """The area of each feature inside each polygon that has an edge meeting its box.

    ``geoms`` are (multi)polygons indexed by ``tree`` (invalid ones are measured as
    ``make_valid`` repairs them), ``bounds`` their bounds if known; ``polygons`` are valid,
    prepared, and do not overlap one another. A feature whose box no polygon edge meets lies
    wholly inside one polygon or outside them all, and is left out (a point test tells which).
    """
    if bounds is None:
        bounds = shapely.bounds(geoms)
    zone = edges(polygons)
    si, fi = _candidates(tree, bounds, zone)
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
    feat.x0 -= ox[feat.owner]
    feat.x1 -= ox[feat.owner]
    feat.y0 -= oy[feat.owner]
    feat.y1 -= oy[feat.owner]
    return feat


def _certainly_valid(feat: Edges, n: int) -> NDArray[np.bool_]:
    """Per polygon: True when it is one ring whose edges meet only their neighbours, at their
    shared vertex, by a clear margin; GEOS's validity test decides the others.

    A building has 4-12 edges, so testing every pair of them is cheaper than GEOS's test.
    """
    valid = np.zeros(n, dtype=bool)
    if len(feat) == 0:
        return valid
    head = np.r_[True, feat.ring[1:] != feat.ring[:-1]]
    starts = np.flatnonzero(head)
    k = np.diff(np.r_[starts, len(feat)])
    single = np.bincount(feat.owner[starts], minlength=n) == 1
    rings = np.flatnonzero(single[feat.owner[starts]] & (k >= 3))
    valid[feat.owner[starts[rings]]] = True
    rx, ry = feat.x1 - feat.x0, feat.y1 - feat.y0
    length2 = rx * rx + ry * ry
    finite = np.isfinite(feat.x0) & np.isfinite(feat.y0) & np.isfinite(feat.x1)
    valid[feat.owner[~(finite & np.isfinite(feat.y1))]] = False
    # Neighbouring edges must not fold back onto each other (a spike).
    following = np.arange(len(feat)) + 1
    ends = starts + k - 1
    following[ends] = starts
    turn = rx * ry[following] - ry * rx[following]
    dot = rx * rx[following] + ry * ry[following]
    spike = (np.abs(turn) <= 1e-12 * np.sqrt(length2 * length2[following])) & (dot < 0)
    valid[feat.owner[spike]] = False
    # Every other pair of edges of a ring must keep apart.
    k4 = rings[k[rings] >= 4]
    ring_of, i = expand(k[k4] - 2)
    kk = k[k4][ring_of]
    pair_ring, slot = expand(kk - 2 - i - (i == 0))
    a = starts[k4][ring_of][pair_ring] + i[pair_ring]
    b = a + 2 + slot
    apart = _apart(feat, a, b) | _apart(feat, b, a)
    apart |= np.maximum(feat.x0[a], feat.x1[a]) < np.minimum(feat.x0[b], feat.x1[b])
    apart |= np.maximum(feat.x0[b], feat.x1[b]) < np.minimum(feat.x0[a], feat.x1[a])
    apart |= np.maximum(feat.y0[a], feat.y1[a]) < np.minimum(feat.y0[b], feat.y1[b])
    apart |= np.maximum(feat.y0[b], feat.y1[b]) < np.minimum(feat.y0[a], feat.y1[a])
    valid[feat.owner[a[~apart]]] = False
    return valid


def _apart(feat: Edges, a: Index, b: Index) -> NDArray[np.bool_]:
    """Both ends of edge ``b`` clearly on one side of the line through edge ``a``."""
    rx, ry = feat.x1[a] - feat.x0[a], feat.y1[a] - feat.y0[a]
    tol = 1e-12 * (rx * rx + ry * ry)
    d0 = rx * (feat.y0[b] - feat.y0[a]) - ry * (feat.x0[b] - feat.x0[a])
    d1 = rx * (feat.y1[b] - feat.y0[a]) - ry * (feat.x1[b] - feat.x0[a])
    return ((d0 > tol) & (d1 > tol)) | ((d0 < -tol) & (d1 < -tol))


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
    unsure = np.flatnonzero(~_certainly_valid(feat, len(feats)))
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
    per_pair = n_edges[pair_feat]
    p, slot = expand(per_pair)
    pe = first_edge[pair_feat[p]] + slot
    row_of_pair = np.cumsum(per_pair) - per_pair
    rows = row_of_pair[hits[1]] + hits[0] - first_edge[pair_feat[hits[1]]]
    net = _sum(rows, entries, minlength=len(p))
    ring = feat.ring[pe]
    head = np.r_[True, (ring[1:] != ring[:-1]) | (p[1:] != p[:-1])]
    heads = np.flatnonzero(head)
    head_in = shapely.contains_xy(
        polygons[pair_poly[p[heads]]],
        feat.x0[pe[heads]] + ox[pair_feat[p[heads]]],
        feat.y0[pe[heads]] + oy[pair_feat[p[heads]]],
    ).astype(np.float64)
    run = np.cumsum(net)
    group = np.cumsum(head) - 1
    inside = head_in[group] + run - np.r_[0.0, run][heads][group]  # at each edge's end
    closing = np.r_[heads[1:], len(p)] - 1
    bad[p[(inside < 0) | (inside > 1)]] = True
    bad[p[heads[inside[closing] != head_in]]] = True
    ends_inside = inside == 1
    area += _sum(p, np.where(ends_inside, whole_area[pe], 0.0), minlength=n_pairs)
    moment += _sum(p, np.where(ends_inside, whole_moment[pe], 0.0), minlength=n_pairs)

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
            feature_moment[broken] = (
                shapely.get_y(shapely.centroid(shapes[broken])) - oy[broken]
            ) * feature_area[broken]
    return Overlaps(feats, feature_area, feature_moment, oy, pair_feat, pair_poly, area, moment)


def majority_rank(
    geoms: Geoms,
    tree: shapely.STRtree,
    x: Floats,
    y: Floats,
    pieces: Geoms,
    piece_rank: Index,
    missing: int,
    *,
    bounds: Floats | None = None,
    e2: float | None = None,
) -> Index:
    """Per polygon feature: the rank of the pieces holding more than half of its area.

    ``pieces`` (prepared, non-overlapping) each carry a rank; a feature gets the rank whose
    pieces hold the largest share of its area if that share is above one half, else
    ``missing``. A feature that no piece edge comes near lies in one piece or in none: its
    representative point (``x``, ``y``) tells which. ``e2`` is the squared eccentricity of
    the ellipsoid when the coordinates are longitude/latitude in degrees: shares are then
    weighted by the area scale of the ellipsoid at each part's mean latitude (exact to second
    order in the feature's size), otherwise they are taken in the coordinates as they are.
    """
    rank = _vector.worst_rank(tree, geoms, x, y, pieces, piece_rank, missing, by_point=True)
    found = areas_inside(geoms, tree, pieces, bounds)
    if len(found.area) == 0:
        return rank
    part, whole = found.area, found.feature_area
    if e2 is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            part_y = found.origin_y[found.feature] + found.moment / part
            whole_y = found.origin_y + found.feature_moment / whole
        part = np.where(part > 0, part * _area_scale(part_y, e2), 0.0)
        whole = np.where(whole > 0, whole * _area_scale(whole_y, e2), 0.0)
    of_whole = whole[found.feature]
    share = np.divide(part, of_whole, out=np.zeros_like(part), where=of_whole > 0)
    key = found.feature * (missing + 1) + piece_rank[found.polygon]
    keys, inverse = np.unique(key, return_inverse=True)
    shares = _sum(inverse, share, minlength=0)
    feat_of, class_of = keys // (missing + 1), keys % (missing + 1)
    order = np.lexsort((-shares, feat_of))  # per feature, the largest share first
    first = order[np.r_[True, feat_of[order][1:] != feat_of[order][:-1]]]
    # Features that no piece covers at all keep the class of their representative point.
    covered = _sum(found.feature, found.area, minlength=len(found.features)) > 0
    first = first[covered[feat_of[first]] & (whole[feat_of[first]] > 0)]
    winner = np.where(shares[first] > 0.5, class_of[first], missing)
    rank[found.features[feat_of[first]]] = winner
    return rank


def _area_scale(latitude: Floats, e2: float) -> Floats:
    """Area on the ellipsoid per square degree, up to a constant factor, at ``latitude``."""
    phi = np.radians(latitude)
    return np.cos(phi) / (1 - e2 * np.sin(phi) ** 2) ** 2
