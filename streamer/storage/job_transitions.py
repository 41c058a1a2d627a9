"""How a job changes state. Pure functions shared by both backends; each backend only does the swap."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from streamer.storage.records import JobRecord, JobState, utcnow


def claimed(job: JobRecord, worker: str, lease_seconds: float, now: datetime) -> JobRecord:
    if job.state == JobState.RUNNING and job.attempts >= job.max_attempts:
        reason = f"The worker stopped responding {job.attempts} times while processing this video."
        return failed(job, reason, None)
    return replace(
        job,
        state=JobState.RUNNING,
        attempts=job.attempts + 1,
        lease_owner=worker,
        lease_expires_at=now + timedelta(seconds=lease_seconds),
    )


def extended(job: JobRecord, lease_seconds: float) -> JobRecord:
    return replace(job, lease_expires_at=utcnow() + timedelta(seconds=lease_seconds))


def completed(job: JobRecord) -> JobRecord:
    return replace(job, state=JobState.DONE, lease_owner="", lease_expires_at=None, last_error="")


def failed(job: JobRecord, reason: str, retry_at: datetime | None) -> JobRecord:
    """Back to queued at `retry_at` while attempts remain; failed for good otherwise."""
    retry = retry_at is not None and job.attempts < job.max_attempts
    return replace(
        job,
        state=JobState.QUEUED if retry else JobState.FAILED,
        run_after=retry_at if retry and retry_at else job.run_after,
        last_error=reason,
        lease_owner="",
        lease_expires_at=None,
    )


def requeued(job: JobRecord) -> JobRecord:
    return replace(job, state=JobState.QUEUED, attempts=0, run_after=utcnow(), lease_owner="", lease_expires_at=None)


def released(job: JobRecord) -> JobRecord:
    attempts = max(0, job.attempts - 1)
    return replace(
        job, state=JobState.QUEUED, attempts=attempts, run_after=utcnow(), lease_owner="", lease_expires_at=None
    )


def is_open(job: JobRecord) -> bool:
    return job.state in (JobState.QUEUED, JobState.RUNNING)
