"""The printed tables of bench/run.py."""

from __future__ import annotations

import argparse
import os
from typing import Any

TARGET_MEDIAN_MS = 50.0
TARGET_P95_MS = 150.0

COLUMNS = [
    ("endpoint", 28, "endpoint"),
    ("requests", 8, "reqs"),
    ("serial_median_ms", 9, "1-cl ms"),
    ("median_ms", 9, "median"),
    ("p95_ms", 8, "p95"),
    ("max_ms", 8, "max"),
    ("req_per_s", 7, "req/s"),
    ("server_cpu_ms", 7, "cpu ms"),
    ("queries", 7, "queries"),
    ("db_ms", 7, "db ms"),
    ("status", 6, "result"),
]


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def print_table(result: dict[str, Any], args: argparse.Namespace, meta: dict[str, Any]) -> None:
    db = result["database"]
    title = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[db]
    print(
        f"\n{title} {result.get('version', '')} — {args.clients} clients "
        f"({'keep-alive' if not args.no_keepalive else 'new connection per request'}), "
        f"server {meta['server']}; targets: median ≤ {TARGET_MEDIAN_MS:.0f} ms, "
        f"p95 ≤ {TARGET_P95_MS:.0f} ms (times in ms)"
    )
    if "error" in result:
        print(f"  ERROR: {result['error']}")
        return
    header = "  ".join(
        label.rjust(w) if i else label.ljust(w) for i, (_, w, label) in enumerate(COLUMNS)
    )
    print(header)
    print("-" * len(header))
    for row in result["endpoints"]:
        cells = [
            fmt(row.get(key)).rjust(w) if i else fmt(row.get(key)).ljust(w)
            for i, (key, w, _) in enumerate(COLUMNS)
        ]
        line = "  ".join(cells)
        if row.get("note"):
            line += f"  ({row['note']})"
        if row.get("errors"):
            line += f"  {row['errors']} errors, e.g. {row['error_samples'][0]}"
        print(line)
    load = result["load_average_start"][0]
    if load > (os.cpu_count() or 1) / 2:
        print(
            f"NOTE: load average was {load} on {os.cpu_count()} CPUs before this run: other "
            "processes compete with the server; compare `cpu ms` (server CPU per request)."
        )
    seed = result["seed"]
    words = ", ".join(f"{w['word']!r} ({w['matches']})" for w in seed["search_words"])
    print(f"search words: {words}; ngo+hea matches: {seed['ngo_health_matches']}")
    auth = result["auth_checks"]
    print(
        "auth over plain http: session cookie → {page_with_session_cookie}, none → "
        "{page_without_cookie}; token → {api_root_with_token}, none → {api_root_without_token}; "
        "server marks its cookies Secure: {server_sets_secure_cookies}".format(**auth)
    )
    print(
        "columns: 1-cl = median with one client (no queueing); cpu ms = server CPU per request "
        "under load; queries and db ms = one request replayed in-process"
    )
    shown = [r for r in result["endpoints"] if r["status"] != "PASS" or args.show_queries]
    if shown:
        print("\nslowest queries of the endpoints that did not pass:")
    for row in shown:
        print_queries(row["endpoint"], result["queries"].get(row["endpoint"], {}), args)


def print_queries(
    name: str, counted: dict[str, Any], args: argparse.Namespace, top: int = 3
) -> None:
    if not counted:
        return
    print(
        f"  {name}: {counted['queries']} queries, {counted['db_ms']} ms in the database; "
        f"{counted['inprocess_ms']} ms per request in-process "
        f"({counted['inprocess_cpu_ms']} ms CPU in the Django process)"
    )
    ranked = sorted(counted["sql"], key=lambda q: -q["ms"])
    for q in ranked if args.show_queries else ranked[:top]:
        if q["ms"] < 0.5 and not args.show_queries:
            break
        sql = " ".join(q["sql"].split())
        print(f"    {q['ms']:7.2f} ms  {sql[:200]}{'…' if len(sql) > 200 else ''}")
