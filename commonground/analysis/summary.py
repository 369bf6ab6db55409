"""Reading exposure results: totals for display and per-area shares for the risk index."""

from __future__ import annotations

import pandas as pd

from .exposure import NOT_EXPOSED, VALUE_COLUMNS

ALL_AREAS = "All areas"
TOTAL = "Total"
ALL = "All"


def with_totals(result: pd.DataFrame) -> pd.DataFrame:
    """The result with total rows added, for people to read (not for summing again).

    Added rows: per area × hazard class, exposure class "All" (when there are exposure
    classes); per area, hazard class "Total"; and the same over "All areas". Missing values
    (population rows, count of population rows) stay missing unless something is summed.
    """
    dims = [c for c in ("area", "hazard_class", "exposure_class") if c in result]
    values = [c for c in VALUE_COLUMNS if c in result]
    fills = {"area": ALL_AREAS, "area_code": "", "hazard_class": TOTAL, "exposure_class": ALL}
    keep_code = ["area_code"] if "area_code" in result else []
    frames = [result.assign(_order=0)]

    def total(by: list[str], level: int) -> None:
        group_keys = by + (keep_code if "area" in by else [])
        if group_keys:
            summed = result.groupby(group_keys, sort=False, dropna=False)[values].sum(min_count=1)
            summed = summed.reset_index()
        else:
            summed = result[values].sum(min_count=1).to_frame().T
        for column in result.columns:
            if column not in summed:
                summed[column] = fills[column]
        frames.append(summed[result.columns].assign(_order=level))

    if "exposure_class" in dims:
        total([d for d in dims if d != "exposure_class"], 1)
    if "area" in dims:
        total(["area"], 2)
        total([d for d in dims if d != "area"], 3)
        if "exposure_class" in dims:
            total(["hazard_class"], 3)
    total([], 4)
    table = pd.concat(frames, ignore_index=True)
    table = _sorted(table, dims).drop(columns="_order").reset_index(drop=True)
    for column in values:
        table[column] = table[column].astype("Int64" if column == "count" else "float64")
    return table


def _sorted(table: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """Detail rows in their order, each subtotal after what it sums, grand totals last."""
    keys = []
    for dim in dims:
        order = {v: i for i, v in enumerate(dict.fromkeys(table[dim].tolist()))}
        for label in (ALL_AREAS, TOTAL, ALL):
            if label in order:
                order[label] = len(order) + 1  # after every real value
        keys.append(table[dim].map(lambda v, o=order: o.get(v, -1)).rename(f"_{dim}"))
    ordered = pd.concat([table, *keys], axis=1)
    ordered = ordered.sort_values([k.name for k in keys], kind="stable")
    return ordered.drop(columns=[k.name for k in keys])


def exposed_shares(result: pd.DataFrame) -> pd.DataFrame:
    """Per area: what is exposed (any hazard class) against the total, ready as risk indicators.

    Columns: ``area`` (when the result has areas), then, as the result allows, ``exposed`` and
    ``total`` (counts), ``exposed_share``, ``exposed_population``, ``population`` and
    ``exposed_population_share`` (shares 0-1, missing where the total is 0).
    """
    keys = [c for c in ("area", "area_code") if c in result]
    exposed = (result["hazard_class"] != NOT_EXPOSED).to_numpy()
    pairs = [(c, n, t) for c, n, t in _SHARES if c in result]
    columns: dict[str, pd.Series] = {}
    for column, name, total in pairs:
        values = result[column].astype(float).fillna(0)
        columns[name], columns[total] = values.where(exposed, 0.0), values
    frame = pd.DataFrame(columns, index=result.index)
    if keys:
        summed = frame.groupby([result[k] for k in keys], sort=False).sum().reset_index()
    else:
        summed = frame.sum().to_frame().T
    for _, name, total in pairs:
        summed[f"{name}_share"] = (summed[name] / summed[total]).where(summed[total] > 0)
    return summed


_SHARES = (("count", "exposed", "total"), ("population", "exposed_population", "population"))
