"""Hand-made layers in a metric CRS, where the right answer can be worked out on paper.

Coordinates are metres from an origin in central Jakarta, in UTM zone 48S (EPSG:32748): the
zone the analysis itself picks there, so lengths and areas come out exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

UTM = "EPSG:32748"
X0, Y0 = 700_000.0, 9_315_000.0


def rect(x0: float, y0: float, x1: float, y1: float) -> BaseGeometry:
    """A rectangle given in metres from the origin."""
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def line(*points: tuple[float, float]) -> BaseGeometry:
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in points])


def point(x: float, y: float) -> BaseGeometry:
    return shapely.Point(X0 + x, Y0 + y)


def polygon(*points: tuple[float, float]) -> BaseGeometry:
    return shapely.Polygon([(X0 + x, Y0 + y) for x, y in points])


def layer(geoms: Iterable[BaseGeometry | None], crs: str = UTM, **columns: Any) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=list(geoms), crs=crs)
