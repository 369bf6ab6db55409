"""Count and time the SQL behind one request per endpoint, in-process.

The HTTP server cannot tell the load driver how many queries a request ran, so this child
process replays one request per endpoint through Django's test ``Client`` against the same
database, settings and credentials, inside ``CaptureQueriesContext`` (which records queries
even with DEBUG off). It also times a few in-process repetitions: the server's own work,
without HTTP or queueing.

    python -m bench.queries --probes probes.json --out queries.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEATS = 5


def probe(path: str, headers: dict[str, str]) -> dict[str, Any]:
    client = Client(raise_request_exception=True)
    # Warm up: the first request pays for template loading, translations, content types.
    client.get(path, headers=headers)
    timings, cpu = [], []
    for _ in range(REPEATS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    # CaptureQueriesContext counts; its times are rounded to whole milliseconds, so time each
    # query here too.
    precise: list[float] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            precise.append((time.perf_counter() - started) * 1000)

    with connection.execute_wrapper(timer), CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    if len(precise) != len(captured):
        precise = [float(q["time"]) * 1000 for q in captured]
    queries: list[dict[str, Any]] = [
        {"ms": round(ms, 3), "sql": q["sql"][:3000]}
        for ms, q in zip(precise, captured, strict=True)
    ]
    return {
        "status": response.status_code,
        "queries": len(queries),
        "db_ms": round(sum(q["ms"] for q in queries), 2),
        "inprocess_ms": round(statistics.median(timings), 2),
        # This process's CPU only: with PostgreSQL the database's work is in another process.
        "inprocess_cpu_ms": round(statistics.median(cpu), 2),
        "sql": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probes", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    probes: list[dict[str, Any]] = json.loads(args.probes.read_text())
    results = {p["name"]: probe(p["path"], p["headers"]) for p in probes}
    args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
