"""A synthetic city: buildings, hazard zones in three classes and administrative areas.

Everything is drawn from one seeded generator, so the same options give the same files. The
city is a square around central Jakarta (106.83 E, 6.2 S), laid out in metres in UTM zone 48S
and written in longitude/latitude (EPSG:4326), as OpenStreetMap, Google and Microsoft building
footprints come.

Buildings
    Most stand in a few dense centres, the rest anywhere; their orientation follows the street
    grid of their 400 m block, their size is log-normal (5-40 m). 80% are rectangles, 14%
    L-shapes, 5% irregular convex polygons with 6-12 vertices, 1% rectangles with a
    courtyard. 0.2% are bow-ties (self-intersecting: ``repair_geometries`` has real work) and
    0.01% have no geometry. Rows are shuffled, as in an export nobody sorted. Attributes in the
    OSM style: ``osm_id``, ``building``, ``levels`` (often missing), ``name`` (mostly missing).
Hazard zones
    Star-shaped blobs with a wavy outline (24-160 vertices), centred where the buildings are,
    overlapping each other freely: class ``high`` (20%, small), ``medium`` (35%), ``low`` (45%,
    large); attributes ``class`` and ``depth_m``.
Areas
    A Voronoi tiling of the city (denser in the centres), a little smaller than the spread of
    the buildings so that some lie "Outside areas"; attributes ``name`` and ``pcode``.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from numpy.typing import NDArray
from pyproj import Transformer

Floats = NDArray[np.float64]
Geoms = NDArray[np.object_]

UTM = "EPSG:32748"  # WGS 84 / UTM zone 48S
CENTRE_LONLAT = (106.83, -6.2)
SIDE_M = 30_000.0  # the city is a 30 km square
BLOCK_M = 400.0  # buildings in one block share the street grid's orientation
BUILDING_TYPES = (
    ("house", 0.45),
    ("residential", 0.2),
    ("yes", 0.15),
    ("commercial", 0.08),
    ("retail", 0.04),
    ("industrial", 0.04),
    ("school", 0.015),
    ("mosque", 0.01),
    ("hospital", 0.005),
    ("office", 0.01),
)
HAZARD_CLASSES = (
    ("high", 0.2, 30.0, 140.0),
    ("medium", 0.35, 50.0, 240.0),
    ("low", 0.45, 80.0, 340.0),
)


@dataclass(frozen=True)
class CitySpec:
    buildings: int
    hazard_zones: int
    areas: int
    seed: int

    @property
    def name(self) -> str:
        return f"city-b{self.buildings}-h{self.hazard_zones}-a{self.areas}-s{self.seed}"


@dataclass(frozen=True)
class CityFiles:
    buildings: Path
    hazard: Path
    areas: Path
    manifest: Path

    @classmethod
    def in_dir(cls, folder: Path) -> CityFiles:
        return cls(
            buildings=folder / "buildings.gpkg",
            hazard=folder / "hazard.gpkg",
            areas=folder / "areas.gpkg",
            manifest=folder / "manifest.json",
        )


def cached(spec: CitySpec, folder: Path) -> bool:
    """Whether ``folder`` already holds the files of exactly this spec."""
    files = CityFiles.in_dir(folder)
    if not files.manifest.is_file():
        return False
    try:
        manifest = json.loads(files.manifest.read_text())
    except ValueError:
        return False
    return manifest.get("spec") == asdict(spec) and all(
        p.is_file() for p in (files.buildings, files.hazard, files.areas)
    )


def generate(spec: CitySpec, folder: Path) -> dict[str, Any]:
    """Write the three GeoPackages and a manifest into ``folder``; returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    files = CityFiles.in_dir(folder)
    files.manifest.unlink(missing_ok=True)  # written last: its presence marks a complete city
    rng = np.random.default_rng(spec.seed)
    to_lonlat = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    centre = np.array(
        Transformer.from_crs("EPSG:4326", UTM, always_xy=True).transform(*CENTRE_LONLAT)
    )
    centres = centre + rng.uniform(-0.3, 0.3, size=(8, 2)) * SIDE_M
    timings: dict[str, float] = {}

    started = time.perf_counter()
    buildings = _buildings(rng, spec.buildings, centre, centres, to_lonlat)
    areas = _areas(rng, spec.areas, centre, centres, to_lonlat)
    hazard = _hazard(rng, spec.hazard_zones, centre, centres, to_lonlat)
    timings["generate_s"] = time.perf_counter() - started

    for frame, path, layer in (
        (buildings, files.buildings, "buildings"),
        (hazard, files.hazard, "hazard"),
        (areas, files.areas, "areas"),
    ):
        started = time.perf_counter()
        path.unlink(missing_ok=True)
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", use_arrow=True)
        timings[f"write_{layer}_s"] = time.perf_counter() - started

    manifest = {
        "spec": asdict(spec),
        "crs": "EPSG:4326",
        "files": {k: str(v) for k, v in asdict(files).items() if k != "manifest"},
        "bytes": {
            "buildings": files.buildings.stat().st_size,
            "hazard": files.hazard.stat().st_size,
            "areas": files.areas.stat().st_size,
        },
        "buildings": {
            "features": len(buildings),
            "invalid": int(
                (~shapely.is_valid(buildings.geometry.array) & buildings.geometry.notna()).sum()
            ),
            "null": int(buildings.geometry.isna().sum()),
            "vertices": int(
                shapely.get_num_coordinates(np.asarray(buildings.geometry.array)).sum()
            ),
        },
        "hazard": {
            "features": len(hazard),
            "classes": {str(k): int(v) for k, v in hazard["class"].value_counts().items()},
            "vertices": int(shapely.get_num_coordinates(np.asarray(hazard.geometry.array)).sum()),
        },
        "areas": {"features": len(areas)},
        "timings": timings,
    }
    files.manifest.write_text(json.dumps(manifest, indent=2))
    return manifest


# --- positions --------------------------------------------------------------------------------


def _positions(
    rng: np.random.Generator, n: int, centre: Floats, centres: Floats, spread: float
) -> Floats:
    """Points: 70% around the dense centres (σ 1.5-4.5 km), 30% anywhere in the square."""
    half = SIDE_M / 2 * spread
    clustered = rng.random(n) < 0.7
    which = rng.integers(0, len(centres), n)
    sigma = np.linspace(1500, 4500, len(centres))[which]
    xy = np.where(
        clustered[:, None],
        centres[which] + rng.normal(size=(n, 2)) * sigma[:, None],
        centre + rng.uniform(-half, half, size=(n, 2)),
    )
    return np.clip(xy, centre - half, centre + half)


def _to_lonlat(coords: Floats, transformer: Transformer) -> Floats:
    x, y = transformer.transform(coords[..., 0], coords[..., 1])
    return np.stack([np.asarray(x), np.asarray(y)], axis=-1)


def _place(template: Floats, xy: Floats, size: Floats, angle: Floats) -> Floats:
    """Shapes (n, k, 2) in unit coordinates scaled, rotated and moved to their positions."""
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    sx, sy = template[..., 0] * size[:, :1], template[..., 1] * size[:, 1:]
    return np.stack([xy[:, :1] + sx * cos - sy * sin, xy[:, 1:] + sx * sin + sy * cos], axis=-1)


# --- buildings --------------------------------------------------------------------------------

_RECT = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
_BOWTIE = _RECT[[0, 2, 1, 3, 0]]  # two vertices swapped: the ring crosses itself
_L = np.array(
    [[-0.5, -0.5], [0.5, -0.5], [0.5, 0.0], [0.0, 0.0], [0.0, 0.5], [-0.5, 0.5], [-0.5, -0.5]]
)
_COURT = _RECT * 0.4


def _buildings(
    rng: np.random.Generator, n: int, centre: Floats, centres: Floats, to_lonlat: Transformer
) -> gpd.GeoDataFrame:
    xy = _positions(rng, n, centre, centres, 1.0)
    blocks = np.floor((xy - centre) / BLOCK_M).astype(np.int64)
    block_angle = np.random.default_rng(0).uniform(0, np.pi / 2, size=(256, 256))
    angle = block_angle[blocks[:, 0] % 256, blocks[:, 1] % 256] + rng.normal(0, 0.05, n)
    width = np.clip(rng.lognormal(np.log(11), 0.45, n), 5, 40)
    size = np.stack([width, width * rng.uniform(0.5, 1.6, n)], axis=1)

    kind = rng.choice(
        5, size=n, p=[0.798, 0.14, 0.05, 0.01, 0.002]
    )  # rect L irregular court bowtie
    geoms = np.empty(n, dtype=object)
    for k, template in ((0, _RECT), (1, _L), (4, _BOWTIE)):
        idx = np.flatnonzero(kind == k)
        coords = _place(
            np.broadcast_to(template, (len(idx), *template.shape)), xy[idx], size[idx], angle[idx]
        )
        geoms[idx] = shapely.polygons(_to_lonlat(coords, to_lonlat))
    idx = np.flatnonzero(kind == 3)
    shell = _to_lonlat(
        _place(np.broadcast_to(_RECT, (len(idx), 5, 2)), xy[idx], size[idx] * 1.5, angle[idx]),
        to_lonlat,
    )
    hole = _to_lonlat(
        _place(
            np.broadcast_to(_COURT[::-1], (len(idx), 5, 2)), xy[idx], size[idx] * 1.5, angle[idx]
        ),
        to_lonlat,
    )
    geoms[idx] = shapely.polygons(
        shapely.linearrings(shell), holes=shapely.linearrings(hole)[:, None]
    )
    idx = np.flatnonzero(kind == 2)
    geoms[idx] = _irregular(rng, xy[idx], size[idx], angle[idx], to_lonlat)
    geoms[rng.random(n) < 0.0001] = None

    order = rng.permutation(n)
    types, weights = zip(*BUILDING_TYPES, strict=True)
    levels = rng.integers(1, 6, n).astype("float64")
    levels[rng.random(n) < 0.6] = np.nan
    names = np.full(n, None, dtype=object)
    named = np.flatnonzero(rng.random(n) < 0.03)
    names[named] = [f"Gedung {i}" for i in named]
    frame = pd.DataFrame(
        {
            "osm_id": np.arange(1, n + 1, dtype=np.int64) * 7 + 100_000_000,
            "building": rng.choice(np.array(types, dtype=object), size=n, p=np.array(weights)),
            "levels": pd.array(levels, dtype="Int64"),
            "name": names,
        }
    )
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"), crs="EPSG:4326")
    return out.iloc[order].reset_index(drop=True)


def _irregular(
    rng: np.random.Generator, xy: Floats, size: Floats, angle: Floats, to_lonlat: Transformer
) -> Geoms:
    """Convex polygons with 6-12 vertices on an ellipse (valid by construction)."""
    n = len(xy)
    counts = rng.integers(6, 13, n)
    return _star_polygons(rng, xy, size / 2, angle, counts, wobble=0.0, to_lonlat=to_lonlat)


def _star_polygons(
    rng: np.random.Generator,
    xy: Floats,
    radius: Floats,
    angle: Floats,
    counts: NDArray[np.int64],
    wobble: float,
    to_lonlat: Transformer,
) -> Geoms:
    """Polygons whose outline is r(θ) around their centre: simple (valid) since r > 0."""
    n = len(xy)
    owner = np.repeat(np.arange(n), counts)
    start = np.r_[0, np.cumsum(counts)[:-1]]
    step = np.arange(len(owner)) - start[owner]
    theta = 2 * np.pi * step / counts[owner]
    r = np.ones(len(owner))
    if wobble:
        for k in (2, 3, 5, 8):
            amp = rng.uniform(0, wobble / k, n)
            phase = rng.uniform(0, 2 * np.pi, n)
            r += amp[owner] * np.sin(k * theta + phase[owner])
    x = r * radius[owner, 0] * np.cos(theta)
    y = r * radius[owner, 1] * np.sin(theta)
    cos, sin = np.cos(angle[owner]), np.sin(angle[owner])
    coords = np.stack([xy[owner, 0] + x * cos - y * sin, xy[owner, 1] + x * sin + y * cos], axis=1)
    # Close each ring: repeat its first vertex at its end.
    closed_owner = np.concatenate([owner, np.arange(n)])
    closed = np.concatenate([coords, coords[start]])
    order = np.argsort(closed_owner, kind="stable")
    rings = shapely.linearrings(_to_lonlat(closed[order], to_lonlat), indices=closed_owner[order])
    return np.asarray(shapely.polygons(rings), dtype=object)


# --- hazard zones and areas -------------------------------------------------------------------


def _hazard(
    rng: np.random.Generator, n: int, centre: Floats, centres: Floats, to_lonlat: Transformer
) -> gpd.GeoDataFrame:
    names = [c[0] for c in HAZARD_CLASSES]
    shares = np.array([c[1] for c in HAZARD_CLASSES])
    which = rng.choice(len(HAZARD_CLASSES), size=n, p=shares / shares.sum())
    low = np.array([c[2] for c in HAZARD_CLASSES])[which]
    high = np.array([c[3] for c in HAZARD_CLASSES])[which]
    radius = rng.uniform(low, high)
    stretch = rng.uniform(0.6, 1.4, n)
    radii = np.stack([radius * stretch, radius / stretch], axis=1)
    counts = np.clip((radius / 3).astype(np.int64), 24, 160)
    xy = _positions(rng, n, centre, centres, 1.0)
    geoms = _star_polygons(rng, xy, radii, rng.uniform(0, np.pi, n), counts, 0.6, to_lonlat)
    depth = np.round(rng.uniform(0.1, 0.5, n) + (len(HAZARD_CLASSES) - 1 - which) * 0.7, 2)
    return gpd.GeoDataFrame(
        {"class": np.array(names, dtype=object)[which], "depth_m": depth},
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
        crs="EPSG:4326",
    )


def _areas(
    rng: np.random.Generator, n: int, centre: Floats, centres: Floats, to_lonlat: Transformer
) -> gpd.GeoDataFrame:
    half = SIDE_M / 2 * 0.97
    extent = shapely.box(centre[0] - half, centre[1] - half, centre[0] + half, centre[1] + half)
    seeds = _positions(rng, n, centre, centres, 0.97)
    seeds += rng.normal(0, 1e-3, seeds.shape)  # no two seeds on one spot
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=extent)
    )
    cells = shapely.intersection(cells, extent)
    cells = cells[shapely.area(cells) > 0]
    # Number them west to east, south to north, like P-codes in a gazetteer.
    cx, cy = shapely.get_coordinates(shapely.centroid(cells)).T
    cells = cells[np.lexsort((cx, np.round(cy / 3000)))]
    lonlat = shapely.transform(cells, lambda c: _to_lonlat(c, to_lonlat))
    codes = [f"ID3171{i:04d}" for i in range(1, len(cells) + 1)]
    return gpd.GeoDataFrame(
        {"name": [f"Kelurahan {i:03d}" for i in range(1, len(cells) + 1)], "pcode": codes},
        geometry=gpd.GeoSeries(lonlat, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
