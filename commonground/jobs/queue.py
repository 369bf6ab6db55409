"""A small database-backed job queue.

Jobs are rows written in the same transaction as the change that asks for them, so a
rolled-back action never leaves a job behind, and a committed one never loses it. A worker
claims a row with a conditional UPDATE (status queued → running), which is atomic on SQLite
and PostgreSQL alike, so several workers can share one queue.
"""

from __future__ import annotations

import inspect
import logging
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.db import close_old_connections
from django.utils import timezone

from commonground.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

JobFunction = Callable[..., Any]
F = TypeVar("F", bound=JobFunction)

_REGISTRY: dict[str, JobFunction] = {}


def job(func: F) -> F:
    """Register a function as a background job under its dotted name.

    A job function that takes a ``job_id`` argument receives its row's id (for progress);
    a dict it returns is kept as the job's result.
    """
    _REGISTRY[f"{func.__module__}.{func.__name__}"] = func
    return func


def enqueue(
    func: JobFunction, *, coalition: Any = None, delay_seconds: int = 0, **kwargs: Any
) -> Job:
    name = f"{func.__module__}.{func.__name__}"
    if name not in _REGISTRY:
        raise ValueError(f"{name} is not registered with @job")
    return Job.objects.create(
        name=name,
        kwargs=kwargs,
        coalition=coalition,
        run_after=timezone.now() + timedelta(seconds=delay_seconds),
    )


def set_progress(job_id: int, progress: int, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(progress=max(0, min(100, progress)), message=message[:300])


def claim_next() -> Job | None:
    """Take the oldest due job, or None. Safe with several workers."""
    for _attempt in range(5):
        candidate = (
            Job.objects.filter(status=JobStatus.QUEUED, run_after__lte=timezone.now())
            .order_by("run_after", "id")
            .values_list("pk", flat=True)
            .first()
        )
        if candidate is None:
            return None
        claimed = Job.objects.filter(pk=candidate, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now()
        )
        if claimed:
            return Job.objects.get(pk=candidate)
    return None


def run_job(job_row: Job) -> None:
    func = _REGISTRY.get(job_row.name)
    job_row.attempts += 1
    try:
        if func is None:
            raise LookupError(f"no job function named {job_row.name}")
        kwargs = dict(job_row.kwargs)
        if "job_id" in inspect.signature(func).parameters:
            kwargs["job_id"] = job_row.pk
        # No transaction around the whole job: its progress updates must be visible while it
        # runs. Job functions write through actions, which are atomic themselves.
        outcome = func(**kwargs)
    except Exception:
        log.exception("job %s (%s) failed", job_row.pk, job_row.name)
        retry = job_row.attempts < job_row.max_attempts and func is not None
        job_row.status = JobStatus.QUEUED if retry else JobStatus.FAILED
        job_row.error = traceback.format_exc()[-4000:]
        job_row.run_after = timezone.now() + timedelta(seconds=30 * job_row.attempts)
        job_row.finished_at = None if retry else timezone.now()
        job_row.save(update_fields=["status", "error", "attempts", "run_after", "finished_at"])
        return
    job_row.status = JobStatus.DONE
    job_row.progress = 100
    job_row.finished_at = timezone.now()
    job_row.result = outcome if isinstance(outcome, dict) else {}
    job_row.save(update_fields=["status", "progress", "attempts", "finished_at", "result"])


def run_pending(limit: int | None = None) -> int:
    """Run due jobs until none is left (or ``limit`` ran). Returns how many ran."""
    count = 0
    while limit is None or count < limit:
        job_row = claim_next()
        if job_row is None:
            break
        run_job(job_row)
        count += 1
    return count


def work_forever(poll_interval: float, stop: Callable[[], bool] = lambda: False) -> None:
    log.info("worker started; polling every %.1fs", poll_interval)
    while not stop():
        close_old_connections()
        if run_pending(limit=50) == 0:
            time.sleep(poll_interval)
