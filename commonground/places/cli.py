"""``commonground analyse exposure|risk --coalition SLUG ...``: analyses on stored layers.

``exposure`` is the same analysis as on plain files (``commonground.analysis.cli``), with the
coalition's layers and areas as inputs; ``--save NAME`` keeps it as a run the pages and API
show. ``risk`` prints a saved risk profile's ranking at a level (``--refresh`` reads its
indicators again first).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from django.core.exceptions import ValidationError

from commonground.accounts.models import User
from commonground.analysis import LayerError
from commonground.analysis.cli import render
from commonground.coalitions.models import Coalition
from commonground.places import actions
from commonground.places.models import AnalysisRun, AreaLevel, ExposureRule, Layer
from commonground.places.runs import compute, execute


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{prog} exposure", description="Exposure per area on a coalition's stored layers."
    )
    parser.add_argument("--coalition", required=True, help="the coalition's short name")
    parser.add_argument("--hazard-layer", required=True, help="layer id or name")
    parser.add_argument("--hazard-classes", default="", help="most severe first, e.g. YES")
    parser.add_argument("--exposure-layer", default="", help="layer id or name")
    parser.add_argument("--exposure-field", default="")
    parser.add_argument("--population-layer", default="", help="layer id or name")
    parser.add_argument("--population-field", default="")
    parser.add_argument("--area-level", default=AreaLevel.COMMUNITY, choices=AreaLevel.values)
    parser.add_argument("--rule", default=ExposureRule.INTERSECTS, choices=ExposureRule.values)
    parser.add_argument("--format", default="table", choices=["table", "csv", "json", "hxl"])
    parser.add_argument("--save", default="", metavar="NAME", help="keep it as a saved run")
    parser.add_argument("--by", default="", help="email of the user recorded for --save")
    return parser


class UsageError(Exception):
    pass


def _layer(coalition: Coalition, value: str) -> Layer | None:
    if not value:
        return None
    layers = Layer.objects.filter(coalition=coalition)
    found = layers.filter(pk=int(value)) if value.isdigit() else layers.filter(name=value)
    layer = found.first()
    if layer is None:
        names = ", ".join(f"{lay.pk}: {lay.name}" for lay in layers.order_by("pk"))
        raise UsageError(f"no layer {value!r} in {coalition.slug}; its layers: {names or 'none'}")
    return layer


def build_risk_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{prog} risk", description="A risk profile's ranking of the coalition's areas."
    )
    parser.add_argument("--coalition", required=True, help="the coalition's short name")
    parser.add_argument("--profile", required=True, help="risk profile id or name")
    parser.add_argument("--level", default="", choices=["", *AreaLevel.values])
    parser.add_argument("--format", default="table", choices=["table", "csv", "json", "hxl"])
    parser.add_argument(
        "--refresh", action="store_true", help="read the indicators again before printing"
    )
    return parser


def risk_main(argv: Sequence[str], prog: str, out: TextIO, err: TextIO) -> int:
    import json

    import pandas as pd

    from commonground.analysis.cli import format_table
    from commonground.analysis.export import csv_text
    from commonground.places.models import RiskProfile, RunStatus
    from commonground.places.profiles import execute as gather

    options = build_risk_parser(prog).parse_args(argv)
    coalition = Coalition.objects.filter(slug=options.coalition).first()
    if coalition is None:
        err.write(f"{prog}: no coalition with short name {options.coalition!r}\n")
        return 2
    profiles = RiskProfile.objects.filter(coalition=coalition)
    value = options.profile
    profile = (
        profiles.filter(pk=int(value)) if value.isdigit() else profiles.filter(name=value)
    ).first()
    if profile is None:
        names = ", ".join(f"{p.pk}: {p.name}" for p in profiles.order_by("pk"))
        err.write(
            f"{prog}: no risk profile {value!r} in {coalition.slug}; "
            f"its profiles: {names or 'none'}\n"
        )
        return 2
    if options.refresh:
        gather(profile)
    if profile.status != RunStatus.DONE:
        err.write(f"{prog}: the profile is {profile.status}: {profile.error}\n")
        return 2
    if profile.score_error:
        err.write(f"{prog}: {profile.score_error}\n")
        return 2
    level = options.level or profile.area_level
    rows = [row for row in profile.rollup if row["level"] == level]
    if not rows:
        levels = sorted({row["level"] for row in profile.rollup})
        err.write(f"{prog}: no ranking at level {level!r}; levels: {', '.join(levels)}\n")
        return 2
    table = pd.DataFrame(rows).drop(columns=["level"])
    if options.format == "json":
        out.write(
            json.dumps(
                {"profile": profile.name, "level": level, "rows": rows},
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    elif options.format in ("csv", "hxl"):
        out.write(csv_text(table, hxl=options.format == "hxl"))
    else:
        shown = table.assign(
            **{
                column: table[column].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
                for column in (
                    "hazard_exposure",
                    "vulnerability",
                    "lack_of_coping_capacity",
                    "risk",
                )
            }
        )
        shown["rank"] = shown["rank"].map(lambda v: "" if pd.isna(v) else str(int(v)))
        out.write(format_table(shown.fillna({"parent": "", "area_code": ""})) + "\n")
    return 0


def main(argv: Sequence[str], prog: str, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    args = list(argv)
    if args and args[0] == "risk":
        return risk_main(args[1:], prog, out, err)
    if not args or args[0] != "exposure":
        err.write(f"{prog}: with --coalition, the analysis is: exposure or risk\n")
        return 2
    options = build_parser(prog).parse_args(args[1:])
    try:
        coalition = Coalition.objects.filter(slug=options.coalition).first()
        if coalition is None:
            raise UsageError(f"no coalition with short name {options.coalition!r}")
        values = {
            "hazard_layer": _layer(coalition, options.hazard_layer),
            "hazard_classes": [c.strip() for c in options.hazard_classes.split(",") if c.strip()],
            "exposure_layer": _layer(coalition, options.exposure_layer),
            "exposure_field": options.exposure_field,
            "population_layer": _layer(coalition, options.population_layer),
            "population_field": options.population_field,
            "area_level": options.area_level,
            "rule": options.rule,
        }
        if options.save:
            actor = User.objects.filter(email__iexact=options.by).first() if options.by else None
            run = execute(actions.start_exposure_run(actor, coalition, name=options.save, **values))
            if run.error:
                raise UsageError(run.error)
            err.write(f"saved as run {run.pk}\n")
        result, _shares = compute(AnalysisRun(coalition=coalition, **values))
    except (UsageError, LayerError) as error:
        err.write(f"{prog}: {error}\n")
        return 2
    except ValidationError as error:
        err.write(f"{prog}: {' '.join(error.messages)}\n")
        return 2
    for warning in result.attrs.get("warnings", []):
        err.write(f"note: {warning}\n")
    out.write(render(result, options.format, options.rule))
    return 0
