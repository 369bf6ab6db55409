"""The majority rule for polygon features: the class that holds more than half of each one.

Zones may overlap; a point of a feature belongs to the most severe zone covering it. So the
share of class c is ``K(c) - K(c - 1)``, where ``K(c)`` is the share of the feature covered by
the union of the zones of class c or more severe. No zone is ever cut by another:

* a feature that no zone edge comes near lies wholly inside every zone covering its
  representative point, and wholly outside the others: the most severe of those takes it all;
* for the others, ``_overlap.areas_inside`` measures the share ``v`` of the feature inside each
  zone whose edges come near it (zones covering its point without an edge near cover it all,
  ``v = 1``). The union of the zones up to class c covers at least the largest of their ``v``
  and at most their sum, which brackets each class's share; for all but a few features in
  hundreds of thousands the bracket already says which class, if any, holds more than half;
* those few are measured exactly, with GEOS: their parts inside the zones, united per class.

Shares are measured in the working CRS. In longitude/latitude, each area is weighted by the
ellipsoid's area scale at its mean latitude, which makes the shares equal-area shares to second
order in the feature's size (a relative error below 1e-9 for a building).
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import CRS

from . import _vector
from ._overlap import Overlaps, areas_inside
from ._vector import Floats, Geoms, Index


def majority_rank(
    geoms: Geoms,
    tree: shapely.STRtree,
    x: Floats,
    y: Floats,
    zones: Geoms,
    zone_rank: Index,
    missing: int,
    *,
    bounds: Floats | None = None,
    e2: float | None = None,
) -> Index:
    """Per polygon feature: the rank (0 = most severe) of the class holding more than half of
    it, ``missing`` when none does.

    ``geoms`` are indexed by ``tree``, (``x``, ``y``) are their representative points and
    ``bounds`` their bounds if known. ``zones`` are valid polygons, ``zone_rank`` their class
    ranks (``missing`` classes in all). ``e2`` is the ellipsoid's squared eccentricity when the
    coordinates are longitude/latitude in degrees (see the module docstring).
    """
    n = len(geoms)
    zi, fi = _vector.pairs_covering_points(tree, x, y, zones)
    rank = _vector.first_per_feature(n, fi, zone_rank[zi], missing)
    n_zones = len(zones)
    # The most severe zone covering each feature whole: one that covers its point while no
    # edge of it comes near the feature. Zones no more severe than that cannot matter.
    whole_from = np.full(n, missing, dtype=np.intp)

    def matters(feature: Index, zone: Index) -> NDArray[np.bool_]:
        near = np.sort(feature.astype(np.int64) * n_zones + zone)
        near = near[np.r_[True, near[1:] != near[:-1]]]  # np.unique hashes: slower here
        candidate = np.zeros(n, dtype=bool)
        candidate[feature] = True
        cover = np.flatnonzero(candidate[fi])
        covering = fi[cover].astype(np.int64) * n_zones + zi[cover]
        at = np.minimum(np.searchsorted(near, covering), len(near) - 1)
        whole = cover[near[at] != covering]
        np.minimum.at(whole_from, fi[whole], zone_rank[zi[whole]])
        return zone_rank[zone] < whole_from[feature]

    found = areas_inside(geoms, tree, zones, bounds, keep=matters)
    if len(found.features) == 0:
        return rank
    share, whole = _shares(found, e2)
    covered_from = whole_from[found.features]
    low, high = _brackets(found, share, zone_rank, covered_from, missing)
    wins = low > 0.5
    decided = wins.any(axis=1)
    nobody = (high <= 0.5).all(axis=1)
    unsure = np.flatnonzero(~decided & ~nobody & (whole > 0))
    result = np.where(decided, np.argmax(wins, axis=1), missing)
    if len(unsure):
        result[unsure] = _exact(geoms, found, unsure, zones, zone_rank, covered_from, missing, e2)
    measured = whole > 0  # a feature without area goes by its point
    rank[found.features[measured]] = result[measured]
    return rank


def _shares(found: Overlaps, e2: float | None) -> tuple[Floats, Floats]:
    """Each pair's share of its feature, and each feature's (weighted) area."""
    part, whole = found.area, found.feature_area
    if e2 is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            part_y = found.origin_y[found.feature] + found.moment / part
            whole_y = found.origin_y + found.feature_moment / whole
        part = np.where(part > 0, part * area_scale(part_y, e2), 0.0)
        whole = np.where(whole > 0, whole * area_scale(whole_y, e2), 0.0)
    of_whole = whole[found.feature]
    share = np.divide(part, of_whole, out=np.zeros_like(part), where=of_whole > 0)
    return share, whole


def _brackets(
    found: Overlaps, share: Floats, zone_rank: Index, covered_from: Index, classes: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(low, high): per feature and class, bounds on the share that class holds."""
    n_found = len(found.features)
    key = found.feature * classes + zone_rank[found.polygon]
    total = np.bincount(key, weights=share, minlength=n_found * classes).astype(np.float64)
    largest = np.zeros(n_found * classes)
    np.maximum.at(largest, key, share)
    up_high = np.minimum(1.0, np.cumsum(total.reshape(n_found, classes), axis=1))
    up_low = np.maximum.accumulate(largest.reshape(n_found, classes), axis=1)
    whole = np.arange(classes)[None, :] >= covered_from[:, None]
    up_high[whole] = 1.0
    up_low[whole] = 1.0
    zero = np.zeros((n_found, 1))
    low = up_low - np.hstack([zero, up_high[:, :-1]])
    high = up_high - np.hstack([zero, up_low[:, :-1]])
    return low, high


def _exact(
    geoms: Geoms,
    found: Overlaps,
    unsure: Index,
    zones: Geoms,
    zone_rank: Index,
    covered_from: Index,
    missing: int,
    e2: float | None,
) -> Index:
    """The majority class of the features ``unsure`` (positions in ``found``), with GEOS."""
    pairs = np.flatnonzero(np.isin(found.feature, unsure))
    feature, zone = found.feature[pairs], found.polygon[pairs]
    shapes = geoms[found.features[feature]]
    parts = _vector.parallel(shapely.intersection, shapes, zones[zone], min_chunk=256)
    position = np.searchsorted(unsure, feature)
    out = np.full(len(unsure), missing, dtype=np.intp)
    below = np.zeros(len(unsure))
    whole = _weighted_area(geoms[found.features[unsure]], e2)
    for c in range(missing):
        # The feature's part covered by the zones of class c or more severe.
        take = zone_rank[zone] <= c
        grid = np.full((len(unsure), max(1, int(np.bincount(position[take]).max(initial=0)))), None)
        slot = _slots(position[take])
        grid[position[take], slot] = parts[take]
        united = shapely.union_all(grid, axis=1)
        up_to = _weighted_area(united, e2)
        share_up_to = np.divide(up_to, whole, out=np.zeros_like(whole), where=whole > 0)
        share_up_to[covered_from[unsure] <= c] = 1.0
        wins = (share_up_to - below > 0.5) & (out == missing)
        out[wins] = c
        below = share_up_to
    return out


def _slots(group: Index) -> Index:
    """For each member, its position among the members of the same group (in order)."""
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    counts = np.diff(np.r_[starts, len(group)])
    rank = np.arange(len(group)) - np.repeat(starts, counts)
    out = np.empty(len(group), dtype=np.intp)
    out[order] = rank
    return out


def _weighted_area(shapes: Geoms, e2: float | None) -> Floats:
    """Area, weighted by the ellipsoid's area scale at the centroid for longitude/latitude."""
    area = np.asarray(shapely.area(shapes), dtype=np.float64)
    if e2 is None:
        return area
    some = area > 0
    centre_y = np.zeros(len(area))
    centre_y[some] = shapely.get_y(shapely.centroid(shapes[some]))
    return np.where(some, area * area_scale(centre_y, e2), 0.0)


def area_scale(latitude: Floats, e2: float) -> Floats:
    """Area on the ellipsoid per square degree, up to a constant factor, at ``latitude``."""
    phi = np.radians(latitude)
    return np.asarray(np.cos(phi) / (1 - e2 * np.sin(phi) ** 2) ** 2, dtype=np.float64)


def squared_eccentricity(crs: CRS) -> float | None:
    """The ellipsoid's e² when ``crs`` is longitude/latitude in degrees, else None."""
    if not crs.is_geographic or crs.ellipsoid is None:
        return None
    if {axis.unit_name for axis in crs.axis_info} != {"degree"}:
        return None
    a, b = crs.ellipsoid.semi_major_metre, crs.ellipsoid.semi_minor_metre
    return float(1 - (b / a) ** 2)


def majority_by_length(
    geoms: Geoms,
    tree: shapely.STRtree,
    x: Floats,
    y: Floats,
    pieces: Geoms,
    piece_rank: Index,
    missing: int,
    crs: CRS,
    target: CRS,
) -> Index:
    """Per line feature: the rank of the class holding more than half of its length.

    ``pieces`` are the exclusive zones (no two overlap) with their ranks; lengths are measured
    in ``target`` (a UTM zone), features and pieces being in ``crs``.
    """
    n = len(geoms)
    rank = np.full(n, missing, dtype=np.intp)
    zi, fi = tree.query(pieces)
    if len(zi) == 0:
        return rank
    _vector.prepare(pieces)
    point_in = _vector.parallel(shapely.contains_xy, pieces[zi], x[fi], y[fi]).astype(bool)
    # Pieces do not overlap, so a feature wholly inside one has all its length there; only
    # the piece that holds its representative point can hold all of it.
    near = np.flatnonzero(point_in)
    copies = _vector.prepared_copies(pieces)
    inside = _vector.parallel_prepared(shapely.contains_properly, copies, zi[near], geoms[fi[near]])
    whole = near[inside.astype(bool)]
    rank[fi[whole]] = piece_rank[zi[whole]]
    settled = np.zeros(n, dtype=bool)
    settled[fi[whole]] = True
    # A settled feature meets no other piece: its other pairs need no test at all.
    open_ = np.flatnonzero(~settled[fi])
    test = open_[~point_in[open_]]
    hit = _vector.parallel_prepared(shapely.intersects, copies, zi[test], geoms[fi[test]])
    hit = hit.astype(bool)
    straddle = np.concatenate([open_[point_in[open_]], test[hit]])
    zi, fi = zi[straddle], fi[straddle]
    if len(zi) == 0:
        return rank
    feats, local_f = np.unique(fi, return_inverse=True)
    used, local_z = np.unique(zi, return_inverse=True)
    feat_m = _vector.valid(_vector.project(geoms[feats], crs, target))
    zone_m = _vector.project(pieces[used], crs, target)
    part = _vector.length(_vector.parallel(shapely.intersection, feat_m[local_f], zone_m[local_z]))
    total = _vector.length(feat_m)
    share = np.divide(part, total[local_f], out=np.zeros_like(part), where=total[local_f] > 0)
    key = local_f * (missing + 1) + piece_rank[zi]
    keys, inverse = np.unique(key, return_inverse=True)
    shares = np.bincount(inverse, weights=share)
    feat_of, class_of = keys // (missing + 1), keys % (missing + 1)
    order = np.lexsort((-shares, feat_of))  # per feature, the largest share first
    first = order[np.r_[True, feat_of[order][1:] != feat_of[order][:-1]]]
    winners = first[shares[first] > 0.5]
    rank[feats[feat_of[winners]]] = class_of[winners]
    return rank
