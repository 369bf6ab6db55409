"""Load benchmark: seed a large registry, run the production server, time the busy pages and API.

For each database (SQLite, PostgreSQL): migrate a fresh database, seed it (bench/seed.py),
count the queries behind one request per endpoint (bench/queries.py), start the production
server (``commonground serve --no-worker``) and drive it from concurrent loopback clients
(bench/load.py). Prints a table per database and writes bench/results/<timestamp>.json.

    make bench                        # both databases, full seed
    make bench BENCH_ARGS="--db sqlite --quick"
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime
import importlib.metadata
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable as a package
    sys.path.insert(0, str(ROOT))

from bench.load import Request, fetch, run_phase  # noqa: E402
from bench.report import TARGET_MEDIAN_MS, TARGET_P95_MS, print_table  # noqa: E402


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # {slug} (the agent's coalition) and {q} (a search word) are filled per request
    kind: Literal["page", "api"]  # pages sign in with a session cookie, the API with a token


# What is measured. Requests spread over every seeded coalition, each with its own user.
ENDPOINTS: list[Endpoint] = [
    Endpoint("dashboard", "/c/{slug}/", "page"),
    Endpoint("organisations", "/c/{slug}/organisations/", "page"),
    Endpoint("organisations ?q=", "/c/{slug}/organisations/?q={q}", "page"),
    Endpoint("organisations ?type&sector", "/c/{slug}/organisations/?type=ngo&sector=hea", "page"),
    Endpoint("organisations ?scope", "/c/{slug}/organisations/?scope=coalition", "page"),
    Endpoint("api coalitions", "/api/v1/coalitions/", "api"),
    Endpoint("api organisations", "/api/v1/coalitions/{slug}/organisations/", "api"),
    Endpoint("api organisations ?q=", "/api/v1/coalitions/{slug}/organisations/?q={q}", "api"),
    Endpoint("api contacts", "/api/v1/coalitions/{slug}/contacts/", "api"),
    Endpoint("api memberships", "/api/v1/coalitions/{slug}/memberships/", "api"),
    Endpoint("api invitations", "/api/v1/coalitions/{slug}/invitations/", "api"),
]

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/cg_bench"
SERIAL_REQUESTS = 30  # per endpoint at concurrency 1: the service time without queueing
RESULTS_DIR = ROOT / "bench" / "results"


class BenchError(Exception):
    """A step failed; the message says which and why."""


# --- subprocesses -------------------------------------------------------------------------

_servers: list[subprocess.Popen[bytes]] = []


def venv_script(name: str) -> str:
    for candidate in (ROOT / ".venv" / "bin" / name, Path(sys.executable).parent / name):
        if candidate.exists():
            return str(candidate)
    raise BenchError(f"{name} not found next to {sys.executable}; run `make install` first")


def run_step(label: str, cmd: list[str], env: dict[str, str], timeout: float = 1800) -> str:
    started = time.perf_counter()
    print(f"  {label} …", end="", flush=True)
    try:
        done = subprocess.run(
            cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"{label} did not finish within {timeout:.0f} s") from None
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-25:])
        raise BenchError(f"{label} failed (exit {done.returncode}):\n{tail}")
    print(f" {time.perf_counter() - started:.1f} s", flush=True)
    return done.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group (serve, gunicorn master and workers) that we started."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    # gunicorn workers may outlive ``serve`` for a moment; they share its process group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    if proc in _servers:
        _servers.remove(proc)


def _stop_all_servers() -> None:
    for proc in list(_servers):
        stop_server(proc)


def _exit_on_signal(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through the ``finally`` blocks


atexit.register(_stop_all_servers)


def start_server(env: dict[str, str], log: Path, args: argparse.Namespace) -> tuple[Any, int]:
    port = free_port()
    cmd = [venv_script("commonground"), "serve", "--no-worker", "--host", "127.0.0.1"]
    cmd += ["--port", str(port)]
    if args.server_workers:
        cmd += ["--workers", str(args.server_workers)]
    if args.server_threads:
        cmd += ["--threads", str(args.server_threads)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    _servers.append(proc)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"the server exited with {proc.returncode}:\n{tail(log)}")
        try:
            status, _headers, _body = fetch(port, Request("/healthz", {}), timeout=5)
        except OSError:
            status = 0
        if status == 200:
            return proc, port
        time.sleep(0.3)
    stop_server(proc)
    raise BenchError(f"the server did not answer /healthz within 60 s:\n{tail(log)}")


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU time of the live processes in a process group (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # exited meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- databases ----------------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + quote(name)))


def postgres_admin(url: str) -> Any:
    import psycopg

    admin = with_database(url, "postgres").replace("postgres://", "postgresql://", 1)
    try:
        return psycopg.connect(admin, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pass
    # Not running: start the local cluster(s), as the development container expects.
    versions = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
    for version in versions:
        print(f"  starting PostgreSQL {version} …", flush=True)
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=False,
            capture_output=True,
        )
    deadline = time.monotonic() + 20
    while True:
        try:
            return psycopg.connect(admin, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as error:
            if time.monotonic() > deadline:
                raise BenchError(f"PostgreSQL is not reachable at {admin}: {error}") from None
            time.sleep(1)


def recreate_postgres(url: str, drop_only: bool = False) -> str:
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("cg_bench"):
        raise BenchError(f"refusing to drop database {name!r}: its name must start with cg_bench")
    with postgres_admin(url) as conn:
        version = str(conn.execute("SHOW server_version").fetchone()[0])
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return version


# --- one database -------------------------------------------------------------------------


def build_requests(
    endpoint: Endpoint, manifest: dict[str, Any], n: int, offset: int
) -> list[Request]:
    """``n`` requests for ``endpoint``, cycling through agents (coalitions) and search words."""
    agents = manifest["agents"]
    words = [w["word"] for w in manifest["search_words"]]
    cookie_name = manifest["session_cookie_name"]
    requests = []
    for i in range(n):
        # A stride coprime with most agent counts, so consecutive requests hit other cities.
        agent = agents[(offset + i * 37) % len(agents)]
        path = endpoint.path.format(slug=agent["slug"], q=quote(words[i % len(words)]))
        if endpoint.kind == "page":
            headers = {"Cookie": f"{cookie_name}={agent['session_key']}", "Accept": "text/html"}
        else:
            headers = {"Authorization": f"Token {agent['token']}", "Accept": "application/json"}
        requests.append(Request(path, headers))
    return requests


def auth_checks(port: int, manifest: dict[str, Any]) -> dict[str, Any]:
    """Prove the credentials work over plain http, and that without them access is refused."""
    checks: dict[str, Any] = {}
    _status, headers, _ = fetch(port, Request("/accounts/login/", {}))
    set_cookie = "; ".join(v for k, v in headers if k.lower() == "set-cookie")
    checks["server_sets_secure_cookies"] = "secure" in set_cookie.lower()
    page = build_requests(ENDPOINTS[0], manifest, 1, 0)[0]
    checks["page_with_session_cookie"] = fetch(port, page)[0]
    checks["page_without_cookie"] = fetch(port, Request(page.path, {}))[0]
    api = Request("/api/v1/", build_requests(ENDPOINTS[-1], manifest, 1, 0)[0].headers)
    checks["api_root_with_token"] = fetch(port, api)[0]
    checks["api_root_without_token"] = fetch(port, Request("/api/v1/", {}))[0]
    if checks["page_with_session_cookie"] != 200:
        raise BenchError(
            "the session cookie was not accepted (dashboard answered "
            f"{checks['page_with_session_cookie']}); check SECRET_KEY and the seeded sessions"
        )
    if checks["page_without_cookie"] == 200:
        raise BenchError("the dashboard answered 200 without a session: the check is meaningless")
    return checks


def measure_endpoint(
    endpoint: Endpoint,
    k: int,
    port: int,
    server_pgid: int,
    manifest: dict[str, Any],
    queries: dict[str, Any],
    args: argparse.Namespace,
) -> dict[str, Any]:
    row: dict[str, Any] = {"endpoint": endpoint.name, "path": endpoint.path, "kind": endpoint.kind}
    probe = build_requests(endpoint, manifest, 1, k)[0]
    status = fetch(port, probe)[0]
    counted = queries.get(endpoint.name, {})
    row["queries"] = counted.get("queries")
    row["db_ms"] = counted.get("db_ms")
    row["inprocess_ms"] = counted.get("inprocess_ms")
    if status == 404:
        row.update(status="SKIP", note="404: endpoint does not exist yet")
        return row
    if status != 200:
        row.update(status="ERROR", note=f"probe answered {status} for {probe.path}")
        return row
    # Warm every gunicorn worker (template loading, first connection), then serial, then load.
    run_phase(port, build_requests(endpoint, manifest, 6 * args.clients, k + 1), args.clients, 60)
    serial = run_phase(
        port, build_requests(endpoint, manifest, min(SERIAL_REQUESTS, args.requests), k + 2), 1, 60
    )
    cpu_before = group_cpu_seconds(server_pgid)
    loaded = run_phase(
        port,
        build_requests(endpoint, manifest, args.requests, k + 3),
        args.clients,
        args.time_limit,
        keepalive=not args.no_keepalive,
    )
    cpu = group_cpu_seconds(server_pgid) - cpu_before
    errors = loaded.errors + serial.errors
    passed = (
        not errors and loaded.median <= TARGET_MEDIAN_MS and loaded.percentile(95) <= TARGET_P95_MS
    )
    row.update(
        requests=len(loaded.samples),
        serial_median_ms=round(serial.median, 1),
        median_ms=round(loaded.median, 1),
        p95_ms=round(loaded.percentile(95), 1),
        max_ms=round(loaded.latencies[-1], 1) if loaded.samples else None,
        req_per_s=round(loaded.throughput, 1),
        server_cpu_ms=round(cpu * 1000 / len(loaded.samples), 1) if loaded.samples else None,
        load_average=round(os.getloadavg()[0], 1),
        errors=len(errors),
        error_samples=[{"status": e.status, "path": e.path} for e in errors[:5]],
        timed_out=loaded.timed_out,
        status="PASS" if passed else "FAIL",
    )
    if loaded.timed_out:
        row["note"] = f"stopped at the {args.time_limit:.0f} s time limit"
    return row


def bench_database(db: str, args: argparse.Namespace, secret: str) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix=f"cg-bench-{db}-"))
    print(f"\n== {db} (work dir {tmp})", flush=True)
    result: dict[str, Any] = {"database": db, "work_dir": str(tmp)}
    result["load_average_start"] = [round(x, 2) for x in os.getloadavg()]
    if db == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        result["version"] = sqlite3.sqlite_version
    else:
        url = args.postgres_url
        result["version"] = recreate_postgres(url)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CG_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "commonground.settings",
        "DATABASE_URL": url,
        "CG_DATA_DIR": str(tmp / "data"),
        "CG_PRODUCTION": "true",
        "CG_SECRET_KEY": secret,
        "CG_ALLOWED_HOSTS": "127.0.0.1",
        "CG_SSL_REDIRECT": "false",
        "CG_LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    cli = venv_script("commonground")
    # For bench/profile.py and manual digging after --keep (holds the run's throwaway key).
    (tmp / "env.json").write_text(
        json.dumps(
            {k: v for k, v in env.items() if k.startswith(("CG_", "DATABASE_URL", "DJANGO_"))}
        )
    )
    proc = None
    try:
        run_step("migrate", [cli, "migrate", "--noinput", "-v", "0"], env)
        run_step("collectstatic", [cli, "collectstatic", "--noinput", "-v", "0"], env)
        manifest_path = tmp / "manifest.json"
        seed_cmd = [sys.executable, "-m", "bench.seed", "--manifest", str(manifest_path)]
        print(run_step("seed", seed_cmd + (["--quick"] if args.quick else []), env).strip())
        manifest = json.loads(manifest_path.read_text())
        result["seed"] = {k: v for k, v in manifest.items() if k != "agents"}
        probes, counted = tmp / "probes.json", tmp / "queries.json"
        probes.write_text(
            json.dumps(
                [
                    {"name": e.name, "path": r.path, "headers": {**r.headers, "Host": "127.0.0.1"}}
                    for k, e in enumerate(ENDPOINTS)
                    for r in build_requests(e, manifest, 1, k)
                ]
            )
        )
        run_step(
            "count queries",
            [sys.executable, "-m", "bench.queries", "--probes", str(probes), "--out", str(counted)],
            env,
        )
        queries = json.loads(counted.read_text())
        result["queries"] = queries
        proc, port = start_server(env, tmp / "server.log", args)
        print(f"  server on 127.0.0.1:{port} (pid {proc.pid})", flush=True)
        result["auth_checks"] = auth_checks(port, manifest)
        rows = []
        for k, endpoint in enumerate(ENDPOINTS):
            print(f"  {endpoint.name} …", end="", flush=True)
            row = measure_endpoint(endpoint, k, port, proc.pid, manifest, queries, args)
            print(f" {row['status']}", flush=True)
            rows.append(row)
        result["endpoints"] = rows
        if proc.poll() is not None:
            raise BenchError(f"the server died during the run:\n{tail(tmp / 'server.log')}")
    finally:
        if proc is not None:
            stop_server(proc)
        if not args.keep:
            if db == "postgres":
                with contextlib.suppress(Exception):
                    recreate_postgres(url, drop_only=True)
            shutil.rmtree(tmp, ignore_errors=True)
    return result


def git_revision() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="small seed, few requests")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client connections")
    parser.add_argument("--requests", type=int, help="timed requests per endpoint (default 400)")
    parser.add_argument(
        "--time-limit", type=float, default=120, help="seconds per endpoint before stopping"
    )
    parser.add_argument("--no-keepalive", action="store_true", help="a connection per request")
    parser.add_argument("--server-workers", type=int, help="gunicorn workers (serve's default)")
    parser.add_argument("--server-threads", type=int, help="threads per worker (serve's default)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--show-queries", action="store_true", help="print SQL for every row")
    parser.add_argument("--keep", action="store_true", help="keep the databases and work dirs")
    args = parser.parse_args(argv)
    if args.requests is None:
        args.requests = 60 if args.quick else 400
    if args.clients < 1 or args.requests < 1:
        parser.error("--clients and --requests must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    secret = secrets.token_urlsafe(48)  # one per run: the seeded sessions are signed with it
    started = datetime.datetime.now(datetime.UTC)
    server = (
        f"{args.server_workers or 'default'} workers × {args.server_threads or 'default'} threads"
    )
    if not args.server_workers and not args.server_threads:
        server = f"serve defaults ({2 * (os.cpu_count() or 1) + 1} workers × 2 threads)"
    meta = {
        "started": started.isoformat(),
        "git": git_revision(),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "django": importlib.metadata.version("django"),
        "clients": args.clients,
        "requests_per_endpoint": args.requests,
        "keepalive": not args.no_keepalive,
        "quick": args.quick,
        "server": server,
        "targets_ms": {"median": TARGET_MEDIAN_MS, "p95": TARGET_P95_MS},
    }
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = []
    for db in databases:
        try:
            results.append(bench_database(db, args, secret))
        except BenchError as error:
            print(f"\n  ERROR ({db}): {error}", file=sys.stderr)
            results.append({"database": db, "error": str(error)})
    for result in results:
        print_table(result, args, meta)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    print(f"\nresults written to {out.relative_to(ROOT)}")
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
