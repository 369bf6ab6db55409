"""Run one benchmark phase in a child process, bounded in time, with its own peak memory.

The peak RSS comes from ``wait4`` on that one child (``ru_maxrss``), so it is the child's own:
``RUSAGE_CHILDREN`` would report the maximum over every child waited for so far, and a big
phase would hide the others. The child also reports its VmHWM; the two agree.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class PhaseRun:
    name: str
    ok: bool
    seconds: float
    maxrss_mib: float
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    load_before: float = 0.0  # 1-minute load average when the phase started


class Deadline:
    """The whole run's time budget; each phase gets what is left, capped by its own limit."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())


def run_phase(
    phase: str,
    spec: dict[str, Any],
    *,
    env: dict[str, str],
    timeout: float,
    label: str = "",
    log: Path | None = None,
) -> PhaseRun:
    """``python -m bench.analysis.phases PHASE`` with ``spec``; killed after ``timeout`` s."""
    name = label or phase
    load = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="cg-bench-phase-") as tmp:
        spec_path, out_path = Path(tmp) / "spec.json", Path(tmp) / "out.json"
        spec_path.write_text(json.dumps(spec))
        cmd = [
            sys.executable,
            "-m",
            "bench.analysis.phases",
            phase,
            "--spec",
            str(spec_path),
            "--out",
            str(out_path),
        ]
        err_path = log or Path(tmp) / "stderr.txt"
        with err_path.open("ab") as err:
            started = time.perf_counter()
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=err, stderr=err, start_new_session=True
            )
            timed_out = threading.Event()

            def kill() -> None:
                timed_out.set()
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)

            timer = threading.Timer(max(timeout, 1.0), kill)
            timer.start()
            try:
                _pid, status, usage = os.wait4(proc.pid, 0)
            except BaseException:  # Ctrl-C: the child has its own session, so stop it here
                kill()
                os.wait4(proc.pid, 0)
                raise
            finally:
                timer.cancel()
            proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            seconds = time.perf_counter() - started
        maxrss = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux
        if timed_out.is_set():
            error = f"stopped after {timeout:.0f} s"
            return PhaseRun(name, False, seconds, maxrss, error=error, load_before=load)
        if proc.returncode != 0 or not out_path.is_file():
            tail = err_path.read_text(errors="replace").strip().splitlines()[-15:]
            return PhaseRun(
                name,
                False,
                seconds,
                maxrss,
                error=f"exit {proc.returncode}: " + "\n".join(tail),
                load_before=load,
            )
        result = json.loads(out_path.read_text())
        return PhaseRun(name, True, seconds, maxrss, result, load_before=load)
