from __future__ import annotations

import pytest
from django.db import transaction

from commonground.jobs.models import Job, JobStatus
from commonground.jobs.queue import claim_next, enqueue, job, run_pending

CALLS: list[int] = []


@job
def remember(n: int) -> None:
    CALLS.append(n)


@job
def explode() -> None:
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()


def test_a_queued_job_runs_once(db: None) -> None:
    enqueue(remember, n=7)
    assert run_pending() == 1
    assert run_pending() == 0
    assert CALLS == [7]
    finished = Job.objects.get()
    assert finished.status == JobStatus.DONE and finished.progress == 100


def test_a_job_asked_for_in_a_rolled_back_transaction_never_exists(db: None) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(remember, n=1)
        raise RuntimeError("the action failed")
    assert not Job.objects.exists()


def test_a_failing_job_is_retried_later_then_marked_failed(db: None) -> None:
    failing = enqueue(explode)
    run_pending()
    failing.refresh_from_db()
    assert failing.status == JobStatus.QUEUED and failing.attempts == 1
    assert "boom" in failing.error
    assert claim_next() is None  # backed off: not due yet
    Job.objects.filter(pk=failing.pk).update(run_after=failing.created_at, attempts=2)
    run_pending()
    failing.refresh_from_db()
    assert failing.status == JobStatus.FAILED


def test_a_claimed_job_cannot_be_claimed_again(db: None) -> None:
    enqueue(remember, n=1)
    first = claim_next()
    assert first is not None
    assert claim_next() is None


def test_only_registered_functions_can_be_queued(db: None) -> None:
    def stray() -> None: ...

    with pytest.raises(ValueError, match="not registered"):
        enqueue(stray)
