"""OpenStreetMap extracts (``.osm.pbf``) read into the urban profile's layer kinds.

``read_osm`` reads an extract with pyrosm and returns one GeoDataFrame per kind, in EPSG:4326:

``buildings``
    Every building way and relation (``building=*``; pyrosm's ``get_buildings``). Columns:
    ``osm_id``, ``osm_type``, ``name``, ``building`` (its type: ``yes`` when unknown,
    ``apartments``, ``school`` …), ``levels`` (``building:levels``) and ``height`` (metres),
    both numbers when the tag is one.
``roads``
    The street network: every ``highway=*`` way of pyrosm's ``"all"`` network (OSMnx's
    ``all``: no pedestrian areas, nothing abandoned, planned, under construction, raceways or
    platforms), less the indoor ways in ``INDOOR_HIGHWAYS``. Footways, paths and steps stay:
    people leave on foot, and the ``highway`` column lets an analysis break them out. Columns:
    ``osm_id``, ``osm_type``, ``name``, ``highway``, ``surface``, ``bridge``, ``tunnel``.
``vulnerable`` and ``resources``
    Features (nodes, ways, relations, with the geometry as mapped: a point, or a school's
    grounds) that match a row of ``POI_RULES``. Columns: ``osm_id``, ``osm_type``, ``name``,
    ``category`` (the value that classified it, e.g. ``school``), ``osm_tag`` (the whole tag,
    ``amenity=school``) and ``detail`` (a refining tag's value: the kind of social facility or
    of shelter).

The mapping (``POI_RULES``), first matching row wins, so each feature lands in one layer:

============================  ==========  ====================================================
tag                           kind        why
============================  ==========  ====================================================
amenity=kindergarten          vulnerable  young children, who depend on adults to leave
amenity=childcare             vulnerable  young children
amenity=school                vulnerable  children, many in one place in school hours
amenity=hospital              vulnerable  in-patients who cannot walk out; care must go on
amenity=clinic                vulnerable  patients
amenity=doctors               vulnerable  patients
amenity=nursing_home          vulnerable  older and disabled residents (older tagging)
amenity=social_facility       vulnerable  people in care: homes for the elderly, group
                                          homes, day care, outreach (``detail``: its
                                          ``social_facility=*``)
amenity=prison                vulnerable  detainees cannot leave on their own
healthcare=hospital, clinic,  vulnerable  the same places in the newer health tagging
doctor, centre, hospice,
rehabilitation, dialysis,
birthing_centre
amenity=fire_station          resources   fire and rescue services
amenity=police                resources   security, search, evacuation traffic
amenity=pharmacy              resources   medicines after a disaster
healthcare=pharmacy           resources   the same, newer tagging
amenity=townhall              resources   the municipality's coordination point
amenity=shelter               resources   a roof; bus shelters (``shelter_type=
                                          public_transport``) are left out, and ``detail``
                                          holds the ``shelter_type`` (a picnic shelter is
                                          small)
amenity=drinking_water        resources   safe water
amenity=water_point           resources   drinking water in quantity
amenity=community_centre      resources   a potential shelter: a hall people know, often
                                          already a relief point
amenity=place_of_worship      resources   a potential shelter: large halls known to
                                          everyone, whose congregations traditionally take
                                          in evacuees and hand out relief (faith-based
                                          groups are coalition members); capacity and
                                          access must still be checked
emergency=* (any value but    resources   emergency services and equipment: ambulance
an access value: yes, no,                 stations, assembly points, defibrillators, fire
designated …)                             hydrants, sirens, life rings
============================  ==========  ====================================================

Deliberately not mapped: universities and colleges (adults who can leave by themselves),
dentists, shops and markets. A school that is also an assembly point is a vulnerable element
(vulnerable rows come first). Values listing several things (``school;kindergarten``) match
each of them. A building tagged ``amenity=school`` is both a building and a vulnerable element.

Nothing here imports Django. Every refusal is a ``LayerError`` saying what is wrong.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd

from .errors import LayerError
from .io import STORAGE_CRS, _human

__all__ = [
    "ACCESS_VALUES",
    "INDOOR_HIGHWAYS",
    "KINDS",
    "POI_RULES",
    "Rule",
    "classify_pois",
    "read_osm",
]

# Kinds as ``places.LayerKind`` spells them (this package cannot import it).
KINDS: tuple[str, ...] = ("buildings", "roads", "vulnerable", "resources")
INDOOR_HIGHWAYS: tuple[str, ...] = ("corridor", "elevator", "escalator")
# ``emergency=*`` values that are access restrictions (``emergency=yes`` on a hospital says it
# takes emergencies; on a road, that ambulances may pass), not emergency facilities.
ACCESS_VALUES: frozenset[str] = frozenset(
    {"yes", "no", "designated", "destination", "private", "permissive", "official", "permit"}
)


class Rule(NamedTuple):
    """One row of the mapping: features tagged ``key=value`` go to ``kind``."""

    key: str
    value: str  # "*": any value but those in ACCESS_VALUES
    kind: str
    why: str
    detail: str = ""  # a tag whose value goes to the ``detail`` column
    unless: tuple[tuple[str, str], ...] = ()  # (key, value) tags that disqualify the feature


def _rules(key: str, values: str, kind: str, why: str, **extra: Any) -> list[Rule]:
    return [Rule(key, value, kind, why, **extra) for value in values.split()]


POI_RULES: tuple[Rule, ...] = (
    *_rules("amenity", "kindergarten childcare", "vulnerable", "young children"),
    *_rules("amenity", "school", "vulnerable", "children, many in one place"),
    *_rules("amenity", "hospital clinic doctors", "vulnerable", "patients"),
    *_rules("amenity", "nursing_home", "vulnerable", "older and disabled residents"),
    Rule("amenity", "social_facility", "vulnerable", "people in care", detail="social_facility"),
    *_rules("amenity", "prison", "vulnerable", "detainees cannot leave on their own"),
    *_rules(
        "healthcare",
        "hospital clinic doctor centre hospice rehabilitation dialysis birthing_centre",
        "vulnerable",
        "patients (newer health tagging)",
    ),
    *_rules("amenity", "fire_station", "resources", "fire and rescue"),
    *_rules("amenity", "police", "resources", "security, search, evacuation traffic"),
    *_rules("amenity", "pharmacy", "resources", "medicines"),
    *_rules("healthcare", "pharmacy", "resources", "medicines (newer health tagging)"),
    *_rules("amenity", "townhall", "resources", "the municipality's coordination point"),
    Rule(
        "amenity",
        "shelter",
        "resources",
        "a roof (not a bus shelter)",
        detail="shelter_type",
        unless=(("shelter_type", "public_transport"),),
    ),
    *_rules("amenity", "drinking_water water_point", "resources", "safe water"),
    *_rules("amenity", "community_centre", "resources", "a potential shelter: a known hall"),
    *_rules(
        "amenity",
        "place_of_worship",
        "resources",
        "a potential shelter: large halls, congregations that take in evacuees",
    ),
    Rule("emergency", "*", "resources", "emergency services and equipment"),
)

POI_COLUMNS = ["osm_id", "osm_type", "name", "category", "osm_tag", "detail"]
BUILDING_TAGS = {"name": "name", "building": "building", "building:levels": "levels"}
ROAD_TAGS = ["name", "highway", "surface", "bridge", "tunnel"]
COLUMNS: dict[str, list[str]] = {
    "buildings": ["osm_id", "osm_type", "name", "building", "levels", "height"],
    "roads": ["osm_id", "osm_type", *ROAD_TAGS],
    "vulnerable": POI_COLUMNS,
    "resources": POI_COLUMNS,
}
NUMBERS = ("levels", "height")
# The file format: https://wiki.openstreetmap.org/wiki/PBF_Format
MAX_BLOB_HEADER = 64 * 1024
MAX_BLOB = 32 * 1024 * 1024


def read_osm(
    path: str | Path, kinds: Iterable[str] = KINDS, *, max_bytes: int | None = None
) -> dict[str, gpd.GeoDataFrame]:
    """Read an ``.osm.pbf`` extract into one GeoDataFrame (EPSG:4326) per kind asked for.

    Every kind asked for is in the result, possibly with no rows. The file is checked block
    by block before pyrosm reads it, so a truncated download or another kind of file gets a
    plain ``LayerError`` rather than pyrosm's error (or, for some truncations, no data).
    """
    path = Path(path)
    wanted = list(dict.fromkeys(kinds))
    unknown = [kind for kind in wanted if kind not in KINDS]
    if unknown or not wanted:
        raise LayerError(
            f"Unknown kind of OpenStreetMap layer: {', '.join(unknown) or '(none)'}. "
            f"Choose from: {', '.join(KINDS)}."
        )
    check_pbf(path, max_bytes=max_bytes)

    import pyrosm  # imported here: it takes a while, and only this needs it

    readers = {
        "buildings": _buildings,
        "roads": _roads,
        "vulnerable": _pois,
        "resources": _pois,
    }
    frames: dict[str, gpd.GeoDataFrame] = {}
    raw: dict[Any, gpd.GeoDataFrame | None] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyrosm warns on empty results: they are normal
            osm = pyrosm.OSM(str(path), keep_metadata=False)
            for kind in wanted:
                reader = readers[kind]
                if reader not in raw:  # one read for both kinds of point of interest
                    raw[reader] = reader(osm)
                frames[kind] = _select(raw[reader], kind)
    except LayerError:
        raise
    except Exception as error:
        why = str(error).rstrip(". ") or type(error).__name__
        raise LayerError(
            f"{path.name} could not be read as OpenStreetMap data: {why}. Download the "
            "extract again."
        ) from None
    finally:
        pyrosm.OSM.clear_cache(str(path))  # pyrosm keeps results in the temp folder
    return frames


def _buildings(osm: Any) -> gpd.GeoDataFrame | None:
    frame = osm.get_buildings(tags_to_keep=[*BUILDING_TAGS, "height"])
    if frame is None:
        return None
    frame = frame.rename(columns=BUILDING_TAGS)
    for column in NUMBERS:
        if column in frame:
            frame[column] = _metres(frame[column])
    return frame


def _roads(osm: Any) -> gpd.GeoDataFrame | None:
    frame = osm.get_network(network_type="all", tags_to_keep=ROAD_TAGS)
    if frame is None:
        return None
    return frame[~frame["highway"].isin(INDOOR_HIGHWAYS)]


def _pois(osm: Any) -> gpd.GeoDataFrame | None:
    keys = sorted({rule.key for rule in POI_RULES})
    extra = {rule.detail for rule in POI_RULES if rule.detail}
    extra |= {key for rule in POI_RULES for key, _value in rule.unless}
    frame = osm.get_data_by_custom_criteria(
        custom_filter=dict.fromkeys(keys, True),
        tags_as_columns=["name", *keys, *sorted(extra - set(keys))],
        keep_other_tags=False,
    )
    return None if frame is None else classify_pois(frame)


def classify_pois(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """The features of ``frame`` that a row of ``POI_RULES`` matches, each by the first one.

    ``frame`` has a column per OSM key (``amenity``, ``healthcare`` …; missing ones are no
    match), ``geometry``, and optionally ``id``, ``osm_type``, ``name``. The result keeps the
    matched rows with ``kind``, ``category``, ``osm_tag`` and ``detail`` added.
    """
    size = len(frame)
    kind = np.full(size, None, dtype=object)
    category = np.full(size, None, dtype=object)
    osm_tag = np.full(size, None, dtype=object)
    detail = np.full(size, None, dtype=object)
    free = np.ones(size, dtype=bool)
    parsed: dict[str, pd.Series] = {}

    def values(key: str) -> pd.Series:
        if key not in parsed:
            parsed[key] = _values(frame[key])
        return parsed[key]

    for rule in POI_RULES:
        if rule.key not in frame:
            continue
        if rule.value == "*":
            found = values(rule.key).map(
                lambda parts: next((p for p in parts if p not in ACCESS_VALUES), None)
            )
        else:
            found = values(rule.key).map(lambda parts, v=rule.value: v if v in parts else None)
        match = found.notna().to_numpy(dtype=bool) & free
        for key, value in rule.unless:
            if key in frame:
                match &= ~values(key).map(lambda parts, v=value: v in parts).to_numpy(dtype=bool)
        kind[match] = rule.kind
        category[match] = found.to_numpy(dtype=object)[match]
        osm_tag[match] = [f"{rule.key}={value}" for value in category[match]]
        if rule.detail and rule.detail in frame:
            detail[match] = frame[rule.detail].to_numpy(dtype=object)[match]
        free &= ~match
    out = frame.loc[~free].copy()
    for column, data in (
        ("kind", kind),
        ("category", category),
        ("osm_tag", osm_tag),
        ("detail", detail),
    ):
        out[column] = pd.Series(data[~free], index=out.index, dtype=object)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=getattr(frame, "crs", None))


def _values(column: pd.Series) -> pd.Series:
    """Each cell's values: OSM separates several with ``;`` (``school;kindergarten``)."""
    return column.map(
        lambda cell: (
            [part.strip().lower() for part in cell.split(";") if part.strip()]
            if isinstance(cell, str)
            else []
        )
    )


_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:m|metres|meters)?\s*$", re.IGNORECASE)


def _metres(column: pd.Series) -> pd.Series:
    """``12``, ``12.5``, ``12 m`` as numbers; anything else (``3;4``, ``40'``) as missing."""

    def number(cell: Any) -> float:
        match = _NUMBER.match(cell) if isinstance(cell, str) else None
        return float(match.group(1).replace(",", ".")) if match else np.nan

    return column.map(number).astype("float64")


def _select(frame: gpd.GeoDataFrame | None, kind: str) -> gpd.GeoDataFrame:
    """The kind's rows and documented columns only, in the storage CRS, numbered from 0."""
    columns = COLUMNS[kind]
    if frame is None:
        empty = {c: pd.Series(dtype="float64" if c in NUMBERS else object) for c in columns}
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=STORAGE_CRS))
    if "kind" in frame:
        frame = frame[frame["kind"] == kind]
    frame = frame.rename(columns={"id": "osm_id"})
    out = gpd.GeoDataFrame(
        {c: frame.get(c) for c in columns},
        geometry=frame.geometry,
        crs=frame.crs if frame.crs is not None else STORAGE_CRS,
    )
    if out.crs is not None and not out.crs.equals(STORAGE_CRS):
        out = out.to_crs(STORAGE_CRS)
    return out.reset_index(drop=True)


def check_pbf(path: Path, *, max_bytes: int | None = None) -> None:
    """Refuse, before any reading, what is not a whole OSM PBF file: walk its blocks' headers.

    A PBF file is a sequence of blocks, each a 4-byte length, a ``BlobHeader`` (its type and
    the size of its data) and the data; the first is an ``OSMHeader``. Walking the headers
    costs one seek per block and finds a download that stopped half-way.
    """
    name = path.name
    if not path.is_file():
        raise LayerError(f"{name}: no such file.")
    if not name.lower().endswith(".pbf"):
        raise LayerError(
            f"{name} is not an OpenStreetMap extract: use an .osm.pbf file (from "
            "download.geofabrik.de, extract.bbbike.org or a similar service). An .osm XML "
            "file converts with: osmium cat FILE.osm -o FILE.osm.pbf"
        )
    size = path.stat().st_size
    if size == 0:
        raise LayerError(f"{name} is empty (0 bytes).")
    if max_bytes is not None and size > max_bytes:
        raise LayerError(
            f"{name} is {_human(size)}, over the {_human(max_bytes)} limit. Use a smaller "
            "extract (a city rather than a country), or cut one with osmium extract."
        )
    position = 0
    with path.open("rb") as handle:
        while position < size:
            prefix = handle.read(4)
            length = int.from_bytes(prefix, "big") if len(prefix) == 4 else -1
            header = handle.read(length) if 0 <= length <= MAX_BLOB_HEADER else b""
            if len(prefix) < 4 or (length <= MAX_BLOB_HEADER and len(header) < length):
                raise LayerError(_truncated(name, position, size))
            try:
                if length > MAX_BLOB_HEADER:
                    raise ValueError("header too long")
                kind, data_size = _blob_header(header)
                if position == 0 and kind != "OSMHeader":
                    raise ValueError("the first block is not the OSMHeader")
                if data_size > MAX_BLOB:
                    raise ValueError("block too long")
            except ValueError:
                if position == 0:
                    raise LayerError(
                        f"{name} is not an OpenStreetMap PBF file (it does not start with an "
                        "OSMHeader block). Use an .osm.pbf extract."
                    ) from None
                raise LayerError(
                    f"{name} is damaged: the block at byte {position:,} is not a PBF block. "
                    "Download the extract again."
                ) from None
            end = position + 4 + length + data_size
            if end > size:
                raise LayerError(_truncated(name, position, size))
            position = end
            handle.seek(position)


def _truncated(name: str, block: int, size: int) -> str:
    return (
        f"{name} is incomplete: it ends at byte {size:,}, inside the block that starts at byte "
        f"{block:,}. The download probably stopped; download it again."
    )


def _blob_header(data: bytes) -> tuple[str, int]:
    """``(type, datasize)`` of a ``BlobHeader`` protobuf message; ``ValueError`` if malformed."""
    kind, data_size, at = "", -1, 0
    while at < len(data):
        tag, at = _varint(data, at)
        field, wire = tag >> 3, tag & 7
        if wire == 0:
            value, at = _varint(data, at)
            if field == 3:
                data_size = value
        elif wire == 2:
            length, at = _varint(data, at)
            if at + length > len(data):
                raise ValueError("field runs past the header")
            if field == 1:
                kind = data[at : at + length].decode("utf-8", "replace")
            at += length
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
        else:
            raise ValueError(f"wire type {wire}")
    if not kind or data_size < 0:
        raise ValueError("no type or size")
    return kind, data_size


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if at >= len(data) or shift > 63:
            raise ValueError("bad varint")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
