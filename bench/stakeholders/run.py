"""Stakeholder network benchmark: 5,000 stakeholder organisations, 50,000 relationships.

    python -m bench.stakeholders.run             # make bench-stakeholders
    python -m bench.stakeholders.run --quick     # 1,000 organisations, 10,000 relationships
    DATABASE_URL=postgres://… python -m bench.stakeholders.run --database-url-from-env

Builds one coalition in a throwaway SQLite database (a temp dir, or ``--keep DIR``) with
``bulk_create``: organisations on its list, a stakeholder for each (when the stakeholders app
is installed) and relationships that mostly stay within 50 clusters, as real coalitions do.
Then times, in-process with Django's test client (no network, no server):

* the network metrics (``relationships.network.compute``: the rows read, the graph built,
  degree, sampled betweenness, Louvain communities, articulation points and bridges),
  cold, median of ``--repeat`` runs, with a breakdown;
* the network JSON (``network:graph``) the first time after a change (metrics + layout of the
  400 best-connected) and then warm, the page (``network:map``), an introduction path
  (``network:path``) and the metrics table;
* the relationships list (plain, searched, filtered) and the stakeholders list when its URL
  exists.

Prints median / p95 per step against its target, PASS or FAIL. Betweenness on this many nodes
is estimated from a seeded sample of source nodes (see ``commonground/analysis/network.py``).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CLUSTERS = 50
TYPES = ["partners_with", "funds", "shares_information", "member_of", "reports_to"]
STAGES = ["identified", "approached", "engaged", "committed", "member", "declined", "inactive"]
ORG_TYPES = ["government", "private", "academia", "ngo", "community", "faith", "red_cross", "media"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.stakeholders.run", description=__doc__)
    parser.add_argument("--organisations", type=int, default=5_000)
    parser.add_argument("--relationships", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--repeat", type=int, default=3, help="cold metric runs (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it")
    parser.add_argument(
        "--database-url-from-env",
        action="store_true",
        help="use DATABASE_URL (e.g. PostgreSQL) instead of a temporary SQLite file; the "
        "database must be empty or this script's own from an earlier run",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.organisations, args.relationships = 1_000, 10_000
    return args


def setup_django(work: Path, use_env_db: bool) -> None:
    os.environ["CG_DATA_DIR"] = str(work)
    if not use_env_db:
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS), keeps email local
    call_command("migrate", interactive=False, verbosity=0)


def seed(args: argparse.Namespace) -> dict[str, Any]:
    """One coalition, its organisations, stakeholders and relationships, written in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from commonground.accounts.models import User
    from commonground.coalitions.models import Coalition, Membership
    from commonground.coalitions.roles import Role
    from commonground.lib.text import name_key
    from commonground.organisations.models import CoalitionOrganisation, Organisation
    from commonground.relationships.models import Relationship
    from commonground.relationships.network import stakeholder_model

    rng = random.Random(args.seed)
    now = timezone.now()
    Coalition.objects.filter(slug="bench-network").delete()
    with transaction.atomic():
        user = User.objects.filter(email="bench-network@bench.test").first() or (
            User.objects.create_user("bench-network@bench.test", "bench-network-password")
        )
        coalition = Coalition.objects.create(
            name="Benchmark Network Coalition", slug="bench-network", city="Bench", country="ID"
        )
        Membership.objects.create(coalition=coalition, user=user, role=Role.FOCAL_POINT)
        orgs = []
        for i in range(args.organisations):
            name = f"Bench Network Org {i:05d} {rng.choice(['Forum', 'Foundation', 'Council'])}"
            org = Organisation(
                name=name, acronym=f"BN{i:05d}", type=rng.choice(ORG_TYPES), city="Bench"
            )
            org.name_key = name_key(name)
            orgs.append(org)
        orgs = Organisation.objects.bulk_create(orgs, batch_size=2000)
        if any(o.pk is None for o in orgs):
            orgs = list(Organisation.objects.filter(name__startswith="Bench Network Org"))
        ids = [o.pk for o in orgs]
        CoalitionOrganisation.objects.bulk_create(
            [CoalitionOrganisation(coalition=coalition, organisation_id=pk) for pk in ids],
            batch_size=2000,
        )
        model = stakeholder_model()
        if model is not None:
            model._default_manager.bulk_create(
                [
                    model(coalition=coalition, organisation_id=pk, stage=rng.choice(STAGES))
                    for pk in ids
                ],
                batch_size=2000,
            )
        cluster = {pk: rng.randrange(CLUSTERS) for pk in ids}
        members: dict[int, list[int]] = {}
        for pk, c in cluster.items():
            members.setdefault(c, []).append(pk)
        seen: set[tuple[int, int, str]] = set()
        rels = []
        # A few organisations stay alone, as on any real map.
        linked = ids[: max(2, int(len(ids) * 0.98))]
        while len(rels) < args.relationships:
            a = rng.choice(linked)
            b = rng.choice(members[cluster[a]]) if rng.random() < 0.85 else rng.choice(linked)
            kind = rng.choice(TYPES)
            if a == b or (a, b, kind) in seen or (b, a, kind) in seen:
                continue
            seen.add((a, b, kind))
            rels.append(
                Relationship(
                    coalition=coalition,
                    source_id=a,
                    target_id=b,
                    type=kind,
                    directed=kind != "partners_with",
                    strength=rng.randint(1, 5),
                    created_at=now,
                    updated_at=now,
                )
            )
        Relationship.objects.bulk_create(rels, batch_size=5000)
    return {"coalition": coalition, "user": user, "ids": ids, "stakeholders": model is not None}


CPU: list[float] = []  # process CPU time of the latest ``timed`` call's runs


def timed(func: Callable[[], Any], n: int) -> list[float]:
    """Wall-clock seconds per run; the CPU seconds go to ``CPU`` (less hurt by a busy machine)."""
    times = []
    CPU.clear()
    for _ in range(n):
        start, cpu = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - start)
        CPU.append(time.process_time() - cpu)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, str, bool | None]] = []

    def add(
        self, name: str, times: list[float], target: tuple[float, float] | None, note: str = ""
    ) -> None:
        median, worst = statistics.median(times), p95(times)
        cpu = statistics.median(CPU) if len(CPU) == len(times) else float("nan")
        ok = None if target is None else (median <= target[0] and worst <= target[1])
        goal = "" if target is None else f"≤ {target[0] * 1000:.0f} / {target[1] * 1000:.0f} ms"
        self.rows.append((name, median, worst, goal + (f"  {note}" if note else ""), ok))
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        print(
            f"  {name:44} {median * 1000:9.0f} {worst * 1000:9.0f} {cpu * 1000:8.0f}   "
            f"{verdict:4} {goal} {note}"
        )

    def skip(self, name: str, why: str) -> None:
        print(f"  {name:44} {'':>9} {'':>9} {'':>8}   SKIP {why}")

    @property
    def failed(self) -> bool:
        return any(ok is False for *_rest, ok in self.rows)


def measure(args: argparse.Namespace, world: dict[str, Any]) -> Report:
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from commonground.analysis import network as analysis
    from commonground.relationships import network

    coalition, ids = world["coalition"], world["ids"]
    report = Report()
    print(
        f"\n  {'step':44} {'median ms':>9} {'p95 ms':>9} {'cpu ms':>8}   "
        "result / target (median / p95)"
    )

    # 1. The metrics, cold: rows read, graph built, every metric computed.
    version = network.version_of(coalition.pk)
    runs = timed(lambda: network.compute(coalition.pk, version), args.repeat)
    report.add("network metrics (read + compute), cold", runs, (5.0, 5.0))
    start = time.perf_counter()
    graph = analysis.build_graph(network.node_ids(coalition.pk), network.load_ties(coalition.pk))
    built = time.perf_counter() - start
    parts = {
        "betweenness": lambda: analysis.betweenness(graph, seed=network.SEED),
        "communities (Louvain)": lambda: analysis.communities(graph, seed=network.SEED),
        "everything on the built graph": lambda: analysis.analyse_graph(graph, seed=network.SEED),
    }
    print(f"    read + build the graph: {built * 1000:.0f} ms")
    for name, step in parts.items():
        print(f"    {name}: {min(timed(step, 1)) * 1000:.0f} ms")
    _between, sampled = analysis.betweenness(graph, seed=network.SEED)
    print(
        f"    betweenness sources: {'all (exact)' if sampled is None else sampled} of "
        f"{graph.number_of_nodes()}; links {graph.number_of_edges()}"
    )

    client = Client()
    client.force_login(world["user"])
    slug = coalition.slug

    def get(url: str, params: dict[str, Any] | None = None) -> Callable[[], None]:
        def go() -> None:
            response = client.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)

        return go

    graph_url = reverse("network:graph", args=[slug])
    # 2. The map's JSON right after a change: metrics and layout computed again.
    network.forget()
    report.add(
        "network:graph first after a change",
        timed(get(graph_url, {"options": "1"}), 1),
        (8.0, 8.0),
        "(metrics + layout)",
    )
    get(graph_url)()  # the plain view's layout, once
    report.add("network:graph warm", timed(get(graph_url), args.requests), (0.3, 0.6))
    report.add(
        "network:graph warm, with all names (options)",
        timed(get(graph_url, {"options": "1"}), args.requests),
        (0.5, 1.0),
    )
    metrics = network.network_for(coalition).metrics
    community = metrics.communities[0][0] if metrics.communities else None
    if community is not None:
        get(graph_url, {"community": 1})()
        report.add(
            "network:graph one community, warm",
            timed(get(graph_url, {"community": 1}), args.requests),
            (0.3, 0.6),
        )
    report.add(
        "network:map page",
        timed(get(reverse("network:map", args=[slug])), args.requests),
        (0.05, 0.15),
    )
    rng = random.Random(args.seed)
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(args.requests)]
    path_url = reverse("network:path", args=[slug])
    pair_iter = iter(pairs)

    def one_path() -> None:
        source, target = next(pair_iter)
        assert client.get(path_url, {"source": source, "target": target}).status_code == 200

    report.add("network:path (introduction)", timed(one_path, len(pairs)), (0.1, 0.3))
    report.add(
        "network:metrics table (by betweenness)",
        timed(get(reverse("network:metrics", args=[slug])), args.requests),
        (0.1, 0.3),
    )
    # 3. List pages: the foundation's targets (median ≤ 50 ms, p95 ≤ 150 ms).
    lists = reverse("relationships:list", args=[slug])
    page = {"page": "40"}
    for label, params in [
        ("relationships:list", {}),
        ("relationships:list, page 40", page),
        ("relationships:list searched", {"q": "org 0012"}),
        ("relationships:list filtered", {"type": "funds", "strength": "4"}),
    ]:
        get(lists, params)()
        report.add(label, timed(get(lists, params), args.requests), (0.05, 0.15))
    try:
        stakeholders = reverse("stakeholders:list", args=[slug])
    except NoReverseMatch:
        report.skip("stakeholders:list", "(no such page yet)")
    else:
        get(stakeholders)()
        report.add("stakeholders:list", timed(get(stakeholders), args.requests), (0.05, 0.15))
    print(f"\n  database: {connection.vendor}")
    return report


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > cores:
        print(
            f"Warning: the machine is busy (load {load:.1f} on {cores} cores): wall-clock "
            "times will be longer than on a quiet machine; compare the cpu column."
        )
    work = args.keep or Path(tempfile.mkdtemp(prefix="cg-bench-network-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        setup_django(work, args.database_url_from_env)
        print(
            f"Seeding one coalition: {args.organisations:,} stakeholder organisations, "
            f"{args.relationships:,} relationships …"
        )
        start = time.perf_counter()
        world = seed(args)
        print(
            f"  seeded in {time.perf_counter() - start:.1f} s"
            + ("" if world["stakeholders"] else " (no stakeholders app: organisations only)")
        )
        report = measure(args, world)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\nFAIL: some targets were missed" if report.failed else "\nPASS: every target met")
    return 1 if report.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
