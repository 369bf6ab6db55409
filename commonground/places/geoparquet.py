"""Reading a layer's GeoParquet file a row group at a time, straight to GeoJSON text.

Layers are written Hilbert-sorted with a covering bbox column (see
``places.actions.store_layer_features``), so a page of features or a bounding box touches only
the row groups it needs: a page from the middle of a million features takes milliseconds.
Used by the OGC API; a feature's id is its row position in the file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder

from commonground.places.features import BBox
from commonground.places.models import Layer

if TYPE_CHECKING:
    import numpy as np
    import pyarrow.parquet as pq


def dumps(value: Any) -> str:
    return json.dumps(value, cls=Encoder, separators=(",", ":"))


class Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def feature(fid: int, geometry: str | None, properties: dict[str, Any]) -> str:
    clean = {
        k: None if isinstance(v, float) and not math.isfinite(v) else v
        for k, v in properties.items()
    }
    return (
        f'{{"type":"Feature","id":{fid},"geometry":{geometry or "null"},'
        f'"properties":{dumps(clean)}}}'
    )


class StoredFeatures:
    """A layer's GeoParquet file, read a row group at a time."""

    def __init__(self, file: pq.ParquetFile) -> None:
        import numpy as np

        self.file = file
        geo = json.loads(file.schema_arrow.metadata[b"geo"])
        self.geometry: str = geo["primary_column"]
        covering = geo["columns"][self.geometry].get("covering", {}).get("bbox")
        self.covering: str | None = covering["xmin"][0] if covering else None
        meta = file.metadata
        sizes = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
        self.starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.count = int(meta.num_rows)
        hidden = {self.geometry, self.covering}
        self.properties = [name for name in file.schema_arrow.names if name not in hidden]

    @classmethod
    def open(cls, layer: Layer) -> StoredFeatures | None:
        import pyarrow.parquet as pq

        path = layer.data_path
        return cls(pq.ParquetFile(path)) if path.exists() else None

    def may_overlap(self, group: int, bbox: BBox) -> bool:
        """From the row group's statistics: could any feature box in it overlap ``bbox``?"""
        if self.covering is None:
            return True
        meta = self.file.metadata.row_group(group)
        stats: dict[str, tuple[float, float]] = {}
        for j in range(meta.num_columns):
            column = meta.column(j)
            prefix, _, part = column.path_in_schema.partition(".")
            if prefix == self.covering and column.statistics and column.statistics.has_min_max:
                stats[part] = (column.statistics.min, column.statistics.max)
        if len(stats) < 4:
            return True
        west, south, east, north = bbox
        return bool(
            stats["xmin"][0] <= east
            and stats["xmax"][1] >= west
            and stats["ymin"][0] <= north
            and stats["ymax"][1] >= south
        )

    def matching(self, bbox: BBox) -> np.ndarray:
        """Row numbers, in file order, of the features whose geometry intersects ``bbox``."""
        import numpy as np
        import shapely

        west, south, east, north = bbox
        box = shapely.box(*bbox)
        found = []
        for group in range(self.file.metadata.num_row_groups):
            if not self.may_overlap(group, bbox):
                continue
            if self.covering is not None:
                boxes = self.file.read_row_group(group, columns=[self.covering]).column(0)
                parts = boxes.combine_chunks().flatten()  # nulls of the struct carry over
                x0, y0, x1, y1 = (p.to_numpy(zero_copy_only=False) for p in parts)
            else:
                x0, y0, x1, y1 = shapely.bounds(self.geometries(group)).T
            with np.errstate(invalid="ignore"):
                hit = (x0 <= east) & (x1 >= west) & (y0 <= north) & (y1 >= south)
                inside = (x0 >= west) & (x1 <= east) & (y0 >= south) & (y1 <= north)
            # Only features whose box crosses the edge need their real shape checked.
            edge = np.flatnonzero(hit & ~inside)
            if len(edge):
                hit[edge] = shapely.intersects(self.geometries(group, edge), box)
            found.append(np.flatnonzero(hit) + self.starts[group])
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def geometries(self, group: int, rows: np.ndarray | None = None) -> np.ndarray:
        import shapely

        column = self.file.read_row_group(group, columns=[self.geometry]).column(0)
        if rows is not None:
            column = column.take(rows)
        return shapely.from_wkb(column.to_numpy(zero_copy_only=False))

    def features(self, rows: Sequence[int] | np.ndarray) -> list[str]:
        """The features at these row numbers (ascending), as GeoJSON text."""
        import numpy as np
        import shapely

        rows = np.asarray(rows, dtype=np.int64)
        groups = np.searchsorted(self.starts, rows, side="right") - 1
        out = []
        for group in np.unique(groups):
            wanted = rows[groups == group]
            table = self.file.read_row_group(
                int(group), columns=[*self.properties, self.geometry]
            ).take(wanted - self.starts[group])
            wkb = table.column(self.geometry).to_numpy(zero_copy_only=False)
            shapes = shapely.to_geojson(shapely.from_wkb(wkb))
            records = table.select(self.properties).to_pylist()
            out += [
                feature(int(fid), shape, record)
                for fid, shape, record in zip(wanted, shapes, records, strict=True)
            ]
        return out
