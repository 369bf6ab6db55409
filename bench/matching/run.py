"""Matching benchmark: full re-match, one new need, one new offer, and the engine's recall.

    python -m bench.matching.run                      # 5,000 × 5,000, then 100,000 × 50,000
    python -m bench.matching.run --sizes 5000x5000    # one size (needs x offers)
    python -m bench.matching.run --workers 1          # the full re-match in one process

Posts come from ``bench/matching/synth.py`` (50 cities, four languages). For each size it
times, in this process: building a ``Matcher`` (text model, tables), the full re-match
(``Matcher.all``, top 5 per need, blocks spread over ``--workers`` forked processes), and
then, with the matcher kept as a background worker would keep it, ``for_need`` of new needs
and ``for_offer`` of new offers (posts that were not in the corpus). It also times
``matches_for_need`` without a kept matcher (it builds one over every offer), and checks, on
the first 2,000 needs and offers, the engine's top 5 against scoring every pair.

Wall times depend on what else the machine is doing, so each figure also gives the CPU time
(of this process and its workers) and the run prints the load average before it started.
Prints figures (the issue's targets beside them); writes bench/results/matching-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.matching.synth import generate
from commonground.analysis.matching import DEFAULT_WEIGHTS, Matcher, matches_for_need

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 6, 1)
# Targets from issue 5 (100,000 needs × 50,000 offers across 50 cities, 2 cores).
TARGET_FULL_S = 20.0
TARGET_ONE_NEED_MS = 100.0
TARGET_RECALL = 0.95


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.matching.run", description=__doc__)
    parser.add_argument("--sizes", default="5000x5000,100000x50000", help="needs x offers, ...")
    parser.add_argument("--cities", type=int, default=50)
    parser.add_argument("--limit", type=int, default=5, help="matches kept per need")
    parser.add_argument("--workers", type=int, default=2, help="processes for the re-match")
    parser.add_argument("--queries", type=int, default=50, help="new needs/offers timed")
    parser.add_argument("--recall-size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        args.sizes = [tuple(int(x) for x in s.split("x")) for s in args.sizes.split(",")]
    except ValueError:
        parser.error("--sizes takes needs x offers pairs, e.g. 5000x5000,100000x50000")
    return args


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the forked workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(call: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = call()
    return result, time.perf_counter() - wall, cpu_seconds() - cpu


def per_call_ms(calls: list[Callable[[], Any]]) -> dict[str, float]:
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": statistics.median(times),
        "p95_ms": float(np.percentile(times, 95)),
        "max_ms": max(times),
    }


def run_size(n_needs: int, n_offers: int, args: argparse.Namespace) -> dict[str, Any]:
    needs, offers = generate(n_needs, n_offers, args.cities, TODAY, seed=args.seed)
    fresh_needs, fresh_offers = generate(
        args.queries, args.queries, args.cities, TODAY, seed=args.seed + 1
    )
    out: dict[str, Any] = {"needs": n_needs, "offers": n_offers}
    matcher, wall, cpu = timed(lambda: Matcher(needs, offers, today=TODAY, weights=DEFAULT_WEIGHTS))
    out["build"] = {"wall_s": wall, "cpu_s": cpu}
    found, wall, cpu = timed(lambda: matcher.all(args.limit, workers=args.workers))
    out["rematch"] = {"wall_s": wall, "cpu_s": cpu, "workers": args.workers}
    out["needs_matched"] = len(found)
    out["matches"] = sum(len(m) for m in found.values())
    out["candidate_pairs"] = sum(len(a) * len(b) for a, b in matcher.blocks())
    out["one_need"] = per_call_ms(
        [lambda n=n: matcher.for_need(n, args.limit) for n in fresh_needs]
    )
    out["one_offer"] = per_call_ms(
        [lambda o=o: matcher.for_offer(o, args.limit) for o in fresh_offers]
    )
    _, wall, _ = timed(
        lambda: matches_for_need(fresh_needs[0], offers, today=TODAY, limit=args.limit)
    )
    out["one_need_without_kept_matcher_s"] = wall
    return out


def recall(args: argparse.Namespace, n_needs: int, n_offers: int) -> dict[str, Any]:
    """The engine's top lists against scoring every pair, on the first needs and offers of
    the largest size (posts come in city order: the first few cities, at full density)."""
    size = args.recall_size
    needs, offers = generate(n_needs, n_offers, args.cities, TODAY, seed=args.seed)
    needs, offers = needs[:size], offers[:size]
    matcher = Matcher(needs, offers, today=TODAY, weights=DEFAULT_WEIGHTS)
    engine = matcher.all(args.limit)
    every, wall, _ = timed(lambda: matcher.exhaustive(args.limit))
    expected = found = identical = 0
    for need_id, best in every.items():
        got = {m.offer_id: m for m in engine.get(need_id, [])}
        for match in best:
            expected += 1
            if match.offer_id in got:
                found += 1
                identical += got[match.offer_id] == match
    return {
        "needs": len(needs),
        "offers": len(offers),
        "pairs_expected": expected,
        "recall": found / expected if expected else 1.0,
        "identical_scores": identical,
        "exhaustive_wall_s": wall,
    }


def report(results: dict[str, Any]) -> None:
    print(f"\nMatching benchmark — {results['machine']}")
    print(f"load average before the run: {results['load_before']}\n")
    for size in results["sizes"]:
        total = size["build"]["wall_s"] + size["rematch"]["wall_s"]
        total_cpu = size["build"]["cpu_s"] + size["rematch"]["cpu_s"]
        print(f"{size['needs']:,} needs × {size['offers']:,} offers, {results['cities']} cities")
        print(f"  candidate pairs scored       {size['candidate_pairs']:>14,}")
        print(f"  needs with a match           {size['needs_matched']:>14,}")
        rows = [
            ("build (text model, tables)", size["build"]),
            (f"re-match, top {results['limit']}", size["rematch"]),
        ]
        for label, value in rows:
            print(f"  {label:28s} {value['wall_s']:>9.2f} s wall {value['cpu_s']:>8.2f} s CPU")
        target = f"(target ≤ {TARGET_FULL_S:g} s on 2 cores)" if size["needs"] >= 100_000 else ""
        print(
            f"  {'full re-match, total':28s} {total:>9.2f} s wall {total_cpu:>8.2f} s CPU {target}"
        )
        need, offer = size["one_need"], size["one_offer"]
        target = f"(target ≤ {TARGET_ONE_NEED_MS:g} ms)" if size["needs"] >= 100_000 else ""
        print(
            f"  {'one new need (kept matcher)':28s} {need['median_ms']:>9.1f} ms median,"
            f" p95 {need['p95_ms']:.1f} ms {target}"
        )
        print(
            f"  {'one new offer (kept matcher)':28s} {offer['median_ms']:>9.1f} ms median,"
            f" p95 {offer['p95_ms']:.1f} ms"
        )
        print(
            f"  {'one new need, no kept matcher':28s}"
            f" {size['one_need_without_kept_matcher_s']:>9.2f} s\n"
        )
    r = results["recall"]
    print(
        f"recall of the engine's top {results['limit']} against every pair scored"
        f" ({r['needs']:,} × {r['offers']:,}): {r['recall']:.4f}"
        f" (target ≥ {TARGET_RECALL}); identical scores {r['identical_scores']:,}"
        f" of {r['pairs_expected']:,} pairs"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results: dict[str, Any] = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python"
        f" {platform.python_version()}, numpy {np.__version__}",
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "cities": args.cities,
        "limit": args.limit,
        "sizes": [],
    }
    for n_needs, n_offers in args.sizes:
        print(f"timing {n_needs:,} × {n_offers:,} …", file=sys.stderr, flush=True)
        results["sizes"].append(run_size(n_needs, n_offers, args))
    print("checking recall …", file=sys.stderr, flush=True)
    results["recall"] = recall(args, *max(args.sizes))
    report(results)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"matching-{stamp}.json"
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nresults: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
