"""Django-free spatial analysis for the urban profile.

GeoPandas / Shapely 2 / pyogrio in, DataFrames out: the web pages, the API and the CLI call
the same functions, and ``commonground analyse`` runs them on plain files without a database.

Modules: ``io`` (reading and repairing layers), ``exposure`` (hazard × exposure per area),
``capacity`` (resources per person, distances), ``risk`` (INFORM-style index and roll-up),
``summary`` (totals and shares), ``export`` (CSV, HXL, GeoJSON, GeoPackage) and ``cli``.
Nothing here may import Django (a test checks it).
"""

from .errors import LayerError

__all__ = ["LayerError"]
