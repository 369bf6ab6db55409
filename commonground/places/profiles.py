"""Risk profiles on a coalition's data: gather each area's indicators, score, roll up.

The computation is ``commonground.analysis`` (capacity and the INFORM-style risk index); this
module reads its inputs from the database and the layers' files, and keeps its outputs as
JSON records on the ``RiskProfile`` row.

Where each indicator comes from, per area of the profile's level:

==============================  ===========================================================
``exposed_share``,              the saved exposure analysis (its level must be the same)
``exposed_population_share``
``population``                  the population layer (area-weighted), else the analysis's
                                population, else the areas' own ``population`` indicator
``resources``, ``per_1000``     the resources layer (one type of resource if chosen)
``share_beyond``,               people (the population layer) or buildings (the analysis's
``mean_distance_m``             exposed layer, one per building) farther than the distance
anything else                   the indicators the coalition uploaded for its areas
==============================  ===========================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from commonground.places.models import (
    Area,
    AreaLevel,
    LayerKind,
    RiskProfile,
    RunStatus,
)
from commonground.places.runs import areas_frame, layer_frame, records

if TYPE_CHECKING:
    import pandas as pd

LEVELS: tuple[str, ...] = (AreaLevel.COMMUNITY, AreaLevel.SUBCITY, AreaLevel.CITY)
NO_PARENT = "—"

# Indicators computed from the layers, with their label and direction; uploaded ones are
# named by their column and count as "higher is worse" until the coalition says otherwise.
COMPUTED = {
    "exposed_population_share": (_("Share of people exposed"), True),
    "exposed_share": (_("Share of features exposed"), True),
    "per_1000": (_("Resources per 1,000 people"), False),
    "share_beyond": (_("Share beyond walking distance of a resource"), True),
    "mean_distance_m": (_("Mean distance to a resource (m)"), True),
    "resources": (_("Resources"), False),
    "population": (_("Population"), True),
}
# Not indicators: names, hierarchy and counts kept for reading the table.
KEY_COLUMNS = ("area", "area_code", *LEVELS)
DIMENSION_LABELS = {
    "hazard_exposure": _("Hazard & exposure"),
    "vulnerability": _("Vulnerability"),
    "lack_of_coping_capacity": _("Lack of coping capacity"),
}


class ProfileError(Exception):
    """The inputs cannot give the indicators (a message for the user)."""


def indicator_label(column: str) -> str:
    entry = COMPUTED.get(column)
    return str(entry[0]) if entry else column.replace("_", " ")


def gather(profile: RiskProfile) -> tuple[pd.DataFrame, list[str]]:
    """One row per area of the profile's level: its names up the hierarchy and indicators."""
    import pandas as pd

    warnings: list[str] = []
    table = _hierarchy(profile)
    if table.empty:
        raise ProfileError(_("There are no areas at this level yet: import them first."))
    spatial = areas_frame(profile.coalition_id, profile.area_level)
    run = profile.exposure_run
    if run is not None:
        if run.status != RunStatus.DONE:
            raise ProfileError(_("The exposure analysis has not finished."))
        if run.area_level != profile.area_level:
            raise ProfileError(
                _("The exposure analysis is by %(level)s; choose one by the profile's areas.")
                % {"level": AreaLevel(run.area_level).label}
            )
        wanted = ["area", "exposed_share", "exposed_population_share", "population"]
        shares = pd.DataFrame(run.shares)
        shares = shares[[c for c in wanted if c in shares]]
        table = table.merge(
            shares.rename(columns={"population": "_run_population"}), on="area", how="left"
        )
    uploaded = _uploaded(profile)
    if uploaded is not None:
        table = table.merge(uploaded, on="area", how="left")
    table["population"] = _population(profile, table, spatial)
    if profile.resources_layer is not None and len(spatial):
        table = _capacity(profile, table, spatial, warnings)
    table = table.drop(columns=[c for c in table if c.startswith("_")])
    return table, warnings


def _hierarchy(profile: RiskProfile) -> pd.DataFrame:
    """Area, P-code and the names of its sub-city and city (or the coalition's city)."""
    import pandas as pd

    areas = list(
        Area.objects.filter(coalition_id=profile.coalition_id)
        .order_by("name")
        .values("id", "level", "name", "pcode", "parent_id", "indicators")
    )
    by_id = {a["id"]: a for a in areas}
    city = profile.coalition.city or profile.coalition.name
    level_index = LEVELS.index(profile.area_level)
    rows = []
    for area in areas:
        if area["level"] != profile.area_level:
            continue
        row: dict[str, Any] = {"area": area["name"], "area_code": area["pcode"]}
        row[profile.area_level] = area["name"]
        parent = by_id.get(area["parent_id"])
        for level in LEVELS[level_index + 1 :]:
            while parent is not None and parent["level"] != level:
                parent = by_id.get(parent["parent_id"])
            if parent is not None:
                row[level] = parent["name"]
                parent = by_id.get(parent["parent_id"])
            else:
                row[level] = city if level == AreaLevel.CITY else NO_PARENT
        rows.append(row)
    return pd.DataFrame(rows)


def _uploaded(profile: RiskProfile) -> pd.DataFrame | None:
    import pandas as pd

    rows = [
        {"area": name} | {key: value for key, value in indicators.items() if key not in KEY_COLUMNS}
        for name, indicators in Area.objects.filter(
            coalition_id=profile.coalition_id, level=profile.area_level
        ).values_list("name", "indicators")
        if indicators
    ]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    computed = [c for c in frame if c in COMPUTED and c != "population"]
    return frame.drop(columns=computed)


def _population(profile: RiskProfile, table: pd.DataFrame, spatial: Any) -> pd.Series:
    import pandas as pd

    from commonground.analysis.capacity import population_by_area

    if profile.population_layer is not None and len(spatial):
        people = population_by_area(
            spatial,
            "name",
            population=layer_frame(profile.population_layer),
            population_field=profile.population_field,
        )
        return table["area"].map(people.set_index("area")["population"])
    if "_run_population" in table:
        return pd.to_numeric(table["_run_population"], errors="coerce")
    if "population" in table:
        return pd.to_numeric(table["population"], errors="coerce")
    return pd.Series(float("nan"), index=table.index)


def _capacity(
    profile: RiskProfile, table: pd.DataFrame, spatial: Any, warnings: list[str]
) -> pd.DataFrame:
    from commonground.analysis import _labels
    from commonground.analysis.capacity import population_beyond, resources_per_1000
    from commonground.analysis.io import resolve_field

    assert profile.resources_layer is not None
    resources = layer_frame(profile.resources_layer)
    if profile.resource_field and profile.resource_class:
        column = resolve_field(resources, profile.resource_field, "resources layer")
        wanted = _labels.normalise(profile.resource_class)
        resources = resources[resources[column].map(_labels.normalise) == wanted]
        if resources.empty:
            raise ProfileError(
                _("No resource has the type '%(type)s' in '%(field)s'.")
                % {"type": profile.resource_class, "field": profile.resource_field}
            )
    with_people = spatial.assign(population=spatial["name"].map(_by_area(table, "population")))
    per = resources_per_1000(resources, with_people, "name").set_index("area")
    table["resources"] = table["area"].map(per["resources"]).fillna(0)
    table["per_1000"] = table["area"].map(per["per_1000"])
    origins, field = None, None
    if profile.population_layer is not None:
        origins, field = layer_frame(profile.population_layer), profile.population_field
    elif profile.exposure_run and profile.exposure_run.exposure_layer:
        layer = profile.exposure_run.exposure_layer
        if layer.kind == LayerKind.BUILDINGS:
            origins = layer_frame(layer)
    if origins is None:
        warnings.append(
            str(_("Without a population or buildings layer, access to resources is not measured."))
        )
        return table
    beyond = population_beyond(
        origins,
        resources,
        float(profile.distance_m),
        areas=spatial,
        area_field="name",
        population_field=field or None,
    ).set_index("area")
    table["share_beyond"] = table["area"].map(beyond["share_beyond"])
    table["mean_distance_m"] = table["area"].map(beyond["mean_distance_m"])
    return table


def _by_area(table: pd.DataFrame, column: str) -> dict[str, Any]:
    return dict(zip(table["area"], table[column], strict=True))


def indicator_columns(values: Iterable[dict[str, Any]]) -> list[str]:
    """The numeric columns of the gathered values, in the order first seen."""
    columns: dict[str, None] = {}
    for row in values:
        for key, value in row.items():
            if key not in KEY_COLUMNS and isinstance(value, int | float):
                columns.setdefault(key, None)
    return list(columns)


def default_indicators(columns: list[str]) -> list[dict[str, Any]]:
    """Every available indicator, the usual ones placed in a dimension, the rest unused."""
    hazard = next((c for c in ("exposed_population_share", "exposed_share") if c in columns), "")
    specs = []
    for column in columns:
        worse = COMPUTED.get(column, ("", True))[1]
        if column == hazard:
            dimension = "hazard_exposure"
        elif column in ("per_1000", "share_beyond"):
            dimension = "lack_of_coping_capacity"
        elif column not in COMPUTED:
            dimension = "vulnerability"
        else:
            dimension = ""
        specs.append(
            {"column": column, "dimension": dimension, "higher_is_worse": worse, "weight": 1.0}
        )
    return specs


def score(profile: RiskProfile) -> None:
    """Scores, risk and ranks from the values and the indicators' settings (no saving)."""
    import pandas as pd

    from commonground.analysis.errors import LayerError
    from commonground.analysis.risk import Dimension, Indicator, risk_index, roll_up

    profile.scores, profile.rollup, profile.score_error = [], [], ""
    if not profile.values:
        return
    table = pd.DataFrame(profile.values)
    chosen = [
        Indicator(
            column=spec["column"],
            dimension=Dimension(spec["dimension"]),
            higher_is_worse=bool(spec.get("higher_is_worse", True)),
            weight=float(spec.get("weight", 1.0)),
            minimum=spec.get("minimum"),
            maximum=spec.get("maximum"),
        )
        for spec in profile.indicators
        if spec.get("dimension") and spec["column"] in table
    ]
    empty = [
        str(label)
        for key, label in DIMENSION_LABELS.items()
        if not any(i.dimension == key for i in chosen)
    ]
    if empty:
        profile.score_error = _(
            "Each dimension needs at least one indicator; none for: %(dims)s."
        ) % {"dims": ", ".join(empty)}
        return
    try:
        scored = risk_index(table, chosen)
    except LayerError as error:
        profile.score_error = str(error)
        return
    levels = [level for level in LEVELS[LEVELS.index(profile.area_level) :] if level in scored]
    rolled = roll_up(scored, levels)
    codes = dict(
        Area.objects.filter(coalition_id=profile.coalition_id).values_list("name", "pcode")
    )
    rolled.insert(2, "area_code", rolled["area"].map(lambda name: codes.get(name, "")))
    profile.scores, profile.rollup = records(scored), records(rolled)


def execute(profile: RiskProfile) -> RiskProfile:
    """Gather the indicators now, keep the coalition's settings where they still apply, score."""
    from django.utils import timezone

    from commonground.analysis import LayerError

    profile.status = RunStatus.RUNNING
    profile.save(update_fields=["status"])
    try:
        values, warnings = gather(profile)
    except (ProfileError, LayerError, ValueError, KeyError) as error:
        profile.status, profile.error = RunStatus.FAILED, str(error)[:2000]
        profile.finished_at = timezone.now()
        profile.save(update_fields=["status", "error", "finished_at"])
        return profile
    profile.values = records(values)
    columns = indicator_columns(profile.values)
    kept = {spec["column"]: spec for spec in profile.indicators if spec["column"] in columns}
    profile.indicators = [kept.get(spec["column"], spec) for spec in default_indicators(columns)]
    profile.warnings = warnings
    score(profile)
    profile.status, profile.error, profile.finished_at = RunStatus.DONE, "", timezone.now()
    profile.save()
    return profile
