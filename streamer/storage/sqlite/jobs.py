from __future__ import annotations

from dataclasses import astuple, fields, replace
from datetime import datetime

from streamer.storage.errors import NotFound
from streamer.storage.job_transitions import (
    claimed,
    completed,
    extended,
    failed,
    released,
    requeued,
)
from streamer.storage.records import JobRecord, JobState, new_id, utcnow
from streamer.storage.sqlite.connection import Database, Row, from_epoch
from streamer.storage.sqlite.fields import sql_value

_NAMES = [field.name for field in fields(JobRecord)]
_COLUMNS = ", ".join(_NAMES)
_TIMES = ("created_at", "updated_at", "run_after", "lease_expires_at")


def _job(row: Row) -> JobRecord:
    converted = {name: from_epoch(row[name]) for name in _TIMES} | {"state": JobState(row["state"])}
    return JobRecord(**(row | converted))


class SqliteJobs:
    """Every change is a compare-and-set on `version`, so concurrent workers never share a job."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(self, video_id: str, kind: str, max_attempts: int = 3) -> JobRecord:
        now = utcnow()
        job = JobRecord(
            id=new_id(),
            video_id=video_id,
            kind=kind,
            state=JobState.QUEUED,
            attempts=0,
            max_attempts=max_attempts,
            created_at=now,
            updated_at=now,
            run_after=now,
            version=0,
        )
        marks = ",".join("?" * len(_NAMES))
        await self._db.execute(f"INSERT INTO jobs ({_COLUMNS}) VALUES ({marks})", [sql_value(v) for v in astuple(job)])
        return job

    async def get(self, job_id: str) -> JobRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
        return _job(row) if row else None

    async def list_all(self, limit: int = 200) -> list[JobRecord]:
        rows = await self._db.fetch_all(f"SELECT {_COLUMNS} FROM jobs ORDER BY created_at DESC LIMIT ?", (limit,))
        return [_job(row) for row in rows]

    async def claim(self, worker: str, lease_seconds: float) -> JobRecord | None:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at LIMIT 50"
        )
        now = utcnow()
        for job in (_job(row) for row in rows):
            if not job.claimable(now):
                continue
            result = await self._swap(job, claimed(job, worker, lease_seconds, now))
            if result and result.state == JobState.RUNNING:
                return result
        return None

    async def extend_lease(self, job: JobRecord, lease_seconds: float) -> JobRecord | None:
        return await self._swap(job, extended(job, lease_seconds))

    async def complete(self, job: JobRecord) -> JobRecord | None:
        return await self._swap(job, completed(job))

    async def fail(self, job: JobRecord, reason: str, retry_at: datetime | None) -> JobRecord | None:
        return await self._swap(job, failed(job, reason, retry_at))

    async def requeue(self, job_id: str) -> JobRecord:
        while (job := await self.get(job_id)) is not None:
            if result := await self._swap(job, requeued(job)):
                return result
        raise NotFound(f"job {job_id}")

    async def release(self, job: JobRecord) -> JobRecord | None:
        return await self._swap(job, released(job))

    async def _swap(self, current: JobRecord, wanted: JobRecord) -> JobRecord | None:
        """Write `wanted` only if the row is still at `current.version`; None when someone else won."""
        new = replace(wanted, version=current.version + 1, updated_at=utcnow())
        names = [name for name in _NAMES if name != "id"]
        sql = ", ".join(f"{name} = ?" for name in names)
        params = [sql_value(getattr(new, name)) for name in names]
        changed = await self._db.execute(
            f"UPDATE jobs SET {sql} WHERE id = ? AND version = ?", (*params, current.id, current.version)
        )
        return new if changed == 1 else None
