"""A small closed-loop HTTP load driver: N client threads, keep-alive, loopback only.

Each client thread takes the next request from a shared list, sends it, reads the whole body
and records the latency, until the list is used up or the time limit passes. No Django here.
"""

from __future__ import annotations

import http.client
import itertools
import math
import statistics
import threading
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"  # the driver never talks to anything else
RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]


@dataclass
class Sample:
    ms: float
    status: int
    path: str


@dataclass
class PhaseResult:
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0
    timed_out: bool = False

    @property
    def latencies(self) -> list[float]:
        return sorted(s.ms for s in self.samples)

    @property
    def errors(self) -> list[Sample]:
        return [s for s in self.samples if s.status != 200]

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile (p in 0..100) of the latencies, in ms."""
        values = self.latencies
        if not values:
            return math.nan
        return values[max(0, math.ceil(p / 100 * len(values)) - 1)]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) if self.samples else math.nan

    @property
    def throughput(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0


class Connection:
    """One keep-alive connection that reconnects once when the server has closed it."""

    def __init__(self, port: int, keepalive: bool, timeout: float) -> None:
        self.port = port
        self.keepalive = keepalive
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def _open(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def get(self, request: Request) -> tuple[int, list[tuple[str, str]], bytes]:
        headers = dict(request.headers)
        headers["Connection"] = "keep-alive" if self.keepalive else "close"
        for attempt in (1, 2):
            conn = self._open()
            try:
                conn.request("GET", request.path, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except RETRYABLE:
                # gunicorn closes idle keep-alive connections after a couple of seconds.
                self.close()
                if attempt == 2:
                    raise
                continue
            if not self.keepalive or response.will_close:
                self.close()
            return response.status, response.getheaders(), body
        raise AssertionError("unreachable")


def fetch(
    port: int, request: Request, timeout: float = 30
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request on a fresh connection (for checks, not for timing)."""
    conn = Connection(port, keepalive=False, timeout=timeout)
    try:
        return conn.get(request)
    finally:
        conn.close()


def run_phase(
    port: int,
    requests: list[Request],
    clients: int,
    time_limit: float,
    keepalive: bool = True,
    timeout: float = 30,
) -> PhaseResult:
    """Send ``requests`` with ``clients`` concurrent connections; stop early at ``time_limit``."""
    counter = itertools.count()
    deadline = time.monotonic() + time_limit
    per_thread: list[list[Sample]] = [[] for _ in range(clients)]
    failures: list[BaseException] = []
    result = PhaseResult()

    def client(slot: int) -> None:
        conn = Connection(port, keepalive, timeout)
        samples = per_thread[slot]
        try:
            while True:
                i = next(counter)  # atomic under the GIL
                if i >= len(requests):
                    return
                if time.monotonic() > deadline:
                    result.timed_out = True
                    return
                request = requests[i]
                started = time.perf_counter()
                try:
                    status, _headers, _body = conn.get(request)
                except (OSError, http.client.HTTPException):
                    status = 0  # connection refused, timeout, protocol error: counted as error
                    conn.close()
                samples.append(Sample((time.perf_counter() - started) * 1000, status, request.path))
        except BaseException as error:  # surfaced to the caller below
            failures.append(error)
        finally:
            conn.close()

    threads = [
        threading.Thread(target=client, args=(slot,), name=f"bench-client-{slot}", daemon=True)
        for slot in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(time_limit + timeout + 5)
    result.seconds = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"a client thread failed: {failures[0]!r}") from failures[0]
    result.samples = [s for samples in per_thread for s in samples]
    return result
