"""Timing and memory helpers: wall-clock repeats, a process's peak RSS, and a step profiler.

The step profiler wraps named functions in place (module attributes, class methods) for the
length of a ``with`` block and records inclusive wall time along the call path, so a profile
reads "classify > worst_rank > parallel(intersects) 0.61 s". It is only used in the profiling
subprocesses, never in the timed runs.
"""

from __future__ import annotations

import functools
import gc
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def status_kb(key: str) -> int:
    """A ``/proc/self/status`` value in KiB (VmHWM: peak RSS, VmRSS: current RSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def mib(kib: int) -> float:
    return round(kib / 1024, 1)


@dataclass
class Repeats:
    """Wall times of repeated runs of one thing; the median is what gets reported."""

    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    def as_dict(self) -> dict[str, Any]:
        return {
            "median_s": round(self.median, 4),
            "min_s": round(min(self.seconds), 4) if self.seconds else None,
            "runs_s": [round(s, 4) for s in self.seconds],
        }


def timed(fn: Callable[[], T], repeats: int, keep: Repeats | None = None) -> tuple[T, Repeats]:
    """Run ``fn`` ``repeats`` times (garbage collected between runs); the last result."""
    record = keep or Repeats()
    result: Any = None
    for _ in range(repeats):
        result = None  # let the previous result go before the next run allocates its own
        gc.collect()
        started = time.perf_counter()
        result = fn()
        record.seconds.append(time.perf_counter() - started)
    return result, record


# --- the step profiler ------------------------------------------------------------------------


@dataclass
class _Node:
    calls: int = 0
    seconds: float = 0.0
    children: dict[str, _Node] = field(default_factory=dict)


class StepProfiler:
    """Inclusive wall time per call path of the wrapped functions (main thread only)."""

    def __init__(self) -> None:
        self.root = _Node()
        self._stack: list[_Node] = [self.root]
        self._main = threading.main_thread()

    def wrap(self, name: Callable[..., str] | str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is not self._main:
                return fn(*args, **kwargs)
            label = name(*args, **kwargs) if callable(name) else name
            node = self._stack[-1].children.setdefault(label, _Node())
            self._stack.append(node)
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                node.seconds += time.perf_counter() - started
                node.calls += 1
                self._stack.pop()

        return wrapper

    @contextmanager
    def patched(self, targets: list[tuple[Any, str, Callable[..., str] | str]]) -> Iterator[None]:
        """Wrap ``getattr(owner, attribute)`` for each (owner, attribute, label) in the block."""
        missing = object()  # inherited: wrapped on the owner, then deleted from it again
        saved = [(owner, attr, vars(owner).get(attr, missing)) for owner, attr, _label in targets]
        try:
            for owner, attr, label in targets:
                setattr(owner, attr, self.wrap(label, getattr(owner, attr)))
            yield
        finally:
            for owner, attr, original in reversed(saved):
                if original is missing:
                    delattr(owner, attr)
                else:
                    setattr(owner, attr, original)

    def rows(self, min_seconds: float = 0.005) -> list[dict[str, Any]]:
        """Depth-first rows: path, depth, calls, inclusive seconds (slowest first per level)."""
        out: list[dict[str, Any]] = []

        def walk(node: _Node, path: list[str]) -> None:
            kids = sorted(node.children.items(), key=lambda kv: -kv[1].seconds)
            for label, child in kids:
                if child.seconds < min_seconds:
                    continue
                out.append(
                    {
                        "step": " > ".join([*path, label]),
                        "label": label,
                        "depth": len(path),
                        "calls": child.calls,
                        "seconds": round(child.seconds, 4),
                    }
                )
                walk(child, [*path, label])

        walk(self.root, [])
        return out
