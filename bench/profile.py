"""Profile one endpoint in-process against a database kept by ``bench/run.py --keep``.

    python -m bench.profile /tmp/cg-bench-sqlite-XXXX "organisations" [--repeat 50]

Prints the functions where the request spends its time (cProfile, sorted by cumulative
and by own time), and the request's SQL with timings.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import time
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work_dir", type=Path, help="a work dir printed by run.py --keep")
    parser.add_argument("endpoint", help="an endpoint name from the table in run.py")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    os.environ.update(json.loads((args.work_dir / "env.json").read_text()))
    probes = {p["name"]: p for p in json.loads((args.work_dir / "probes.json").read_text())}
    if args.endpoint not in probes:
        raise SystemExit(f"unknown endpoint {args.endpoint!r}; one of: {', '.join(probes)}")
    probe = probes[args.endpoint]

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=True)

    def get() -> Any:
        return client.get(probe["path"], headers=probe["headers"])

    get()  # warm-up
    started = time.perf_counter()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        get()
    profiler.disable()
    per_request = (time.perf_counter() - started) * 1000 / args.repeat
    with CaptureQueriesContext(connection) as captured:
        response = get()
    print(f"{probe['path']}: status {response.status_code}, {len(response.content)} bytes")
    print(f"{per_request:.1f} ms per request under the profiler; {len(captured)} queries:")
    for query in captured:
        print(f"  {query['time']} s  {' '.join(query['sql'].split())[:300]}")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
        print(f"\n--- by {order} ---")
        print(out.getvalue().split("\n", 4)[-1])


if __name__ == "__main__":
    main()
