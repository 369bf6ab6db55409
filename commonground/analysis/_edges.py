"""Polygons as arrays of edges, and a validity test for small ones cheaper than GEOS's.

``edges`` turns (multi)polygons into flat arrays of oriented edges, the form the area
computations of ``_overlap`` work on. ``certainly_valid`` settles most buildings' validity with
a few array operations (GEOS's test builds a topology graph per polygon: seconds for a million
buildings); what it cannot settle is left to GEOS.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from ._vector import Floats, Geoms, Index

MAX_PAIRED = 24  # rings with more edges than this (not buildings) are left to GEOS


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
    signed = np.bincount(ring_of[:-1], weights=cross, minlength=n_rings).astype(np.float64)
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


def expand(counts: Index) -> tuple[Index, Index]:
    """For groups of these sizes: the group of every member and its position in the group."""
    group = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return group, np.arange(len(group)) - starts[group]


def ring_edges(xy: Floats, counts: Index) -> Edges:
    """The edges of polygons of one ring each, given as closed rings of ``counts`` vertices.

    Rings are taken as they turn (no orientation is imposed); edges of length 0 are left out.
    """
    owner = np.repeat(np.arange(len(counts)), counts)
    at = np.flatnonzero(
        (owner[1:] == owner[:-1]) & ((xy[1:, 0] != xy[:-1, 0]) | (xy[1:, 1] != xy[:-1, 1]))
    )
    return Edges(xy[at, 0], xy[at, 1], xy[at + 1, 0], xy[at + 1, 1], owner[at], owner[at])


def certainly_valid(feat: Edges, n: int) -> NDArray[np.bool_]:
    """Per polygon: True when it is one ring that certainly does not touch itself (GEOS would
    find it valid); False when GEOS's validity test must decide.

    A ring that turns the same way at every vertex, by a clear margin, and whose edge
    direction goes round once (it crosses from the upper to the lower half-plane once) is
    convex and simple: that settles most buildings. The others (an L-shape has 6 edges) have
    every pair of non-neighbouring edges tested, cheaper than GEOS for a few edges; rings of
    more than ``MAX_PAIRED`` edges are left to GEOS.
    """
    valid = np.zeros(n, dtype=bool)
    if len(feat) == 0:
        return valid
    head = np.r_[True, feat.ring[1:] != feat.ring[:-1]]
    starts = np.flatnonzero(head)
    k = np.diff(np.r_[starts, len(feat)])
    ring_of = np.cumsum(head) - 1
    single = np.bincount(feat.owner[starts], minlength=n) == 1
    rings = np.flatnonzero(single[feat.owner[starts]] & (k >= 3))
    rx, ry = feat.x1 - feat.x0, feat.y1 - feat.y0
    length2 = rx * rx + ry * ry
    following = np.arange(len(feat)) + 1
    following[starts + k - 1] = starts
    rx1, ry1 = rx[following], ry[following]
    turn = rx * ry1 - ry * rx1
    margin = 1e-12 * (length2 + length2[following])  # relative to both edges' lengths
    left, right = turn > margin, turn < -margin
    upper = (ry > 0) | ((ry == 0) & (rx > 0))
    lefts = np.bincount(ring_of, weights=left, minlength=len(starts))
    rights = np.bincount(ring_of, weights=right, minlength=len(starts))
    swaps = np.bincount(ring_of, weights=upper != upper[following], minlength=len(starts))
    convex = ((lefts == k) | (rights == k)) & (swaps == 2)
    valid[feat.owner[starts[rings[convex[rings]]]]] = True
    # Neighbouring edges must not fold back onto each other (a spike); other pairs of edges
    # must keep apart.
    rest = rings[~convex[rings] & (k[rings] >= 4) & (k[rings] <= MAX_PAIRED)]
    spike = ~left & ~right & (rx * rx1 + ry * ry1 < 0)
    bent = np.bincount(ring_of, weights=spike, minlength=len(starts)) > 0
    rest = rest[~bent[rest]]
    ring_at, i = expand(k[rest] - 2)
    pair_ring, slot = expand(k[rest][ring_at] - 2 - i - (i == 0))
    a = starts[rest][ring_at][pair_ring] + i[pair_ring]
    b = a + 2 + slot
    x0a, x1a, y0a, y1a = feat.x0[a], feat.x1[a], feat.y0[a], feat.y1[a]
    x0b, x1b, y0b, y1b = feat.x0[b], feat.x1[b], feat.y0[b], feat.y1[b]
    apart = (
        (np.maximum(x0a, x1a) < np.minimum(x0b, x1b))
        | (np.maximum(x0b, x1b) < np.minimum(x0a, x1a))
        | (np.maximum(y0a, y1a) < np.minimum(y0b, y1b))
        | (np.maximum(y0b, y1b) < np.minimum(y0a, y1a))
        | _apart(x0a, y0a, x1a, y1a, x0b, y0b, x1b, y1b)
        | _apart(x0b, y0b, x1b, y1b, x0a, y0a, x1a, y1a)
    )
    touching = np.bincount(ring_of[a], weights=~apart, minlength=len(starts)) > 0
    fine = rest[~touching[rest]]
    valid[feat.owner[starts[fine]]] = True
    return valid


def _apart(
    x0: Floats, y0: Floats, x1: Floats, y1: Floats, u0: Floats, v0: Floats, u1: Floats, v1: Floats
) -> NDArray[np.bool_]:
    """Both ends of the edge (u0, v0)-(u1, v1) clearly on one side of the line through the other."""
    rx, ry = x1 - x0, y1 - y0
    tol = 1e-12 * (rx * rx + ry * ry)
    d0 = rx * (v0 - y0) - ry * (u0 - x0)
    d1 = rx * (v1 - y0) - ry * (u1 - x0)
    return ((d0 > tol) & (d1 > tol)) | ((d0 < -tol) & (d1 < -tol))
