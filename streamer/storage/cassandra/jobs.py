from __future__ import annotations

from dataclasses import astuple, fields, replace
from datetime import datetime, timedelta

from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.errors import NotFound
from streamer.storage.job_transitions import (
    claimed,
    completed,
    extended,
    failed,
    is_open,
    released,
    requeued,
)
from streamer.storage.records import JobRecord, JobState, new_id, utcnow

_NAMES = [field.name for field in fields(JobRecord)]
_COLUMNS = ", ".join(_NAMES)
_TIMES = ("created_at", "updated_at", "run_after", "lease_expires_at")
_QUEUE_SHARD = 0
_LIST_DAYS = 30


def _job(row: Row) -> JobRecord:
    converted = {name: aware(row[name]) for name in _TIMES} | {"state": JobState(row["state"])}
    texts = {"lease_owner": row["lease_owner"] or "", "last_error": row["last_error"] or ""}
    return JobRecord(**(row | converted | texts))


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


class CassandraJobs:
    """Each job row is only ever written by a lightweight transaction on `version` (never mixed with
    plain writes, which Paxos does not order); `open_jobs` is the queue that claimers scan."""

    def __init__(self, db: CassandraSession) -> None:
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
        await self._db.execute_lwt(f"INSERT INTO jobs ({_COLUMNS}) VALUES ({marks}) IF NOT EXISTS", astuple(job))
        await self._db.execute(
            "INSERT INTO open_jobs (shard, created_at, job_id) VALUES (?, ?, ?)",
            (_QUEUE_SHARD, now, job.id),
            write=True,
        )
        await self._db.execute(
            "INSERT INTO jobs_by_day (day, created_at, job_id) VALUES (?, ?, ?)",
            (_day(now), now, job.id),
            write=True,
        )
        return job

    async def get(self, job_id: str) -> JobRecord | None:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
        return _job(rows[0]) if rows else None

    async def list_all(self, limit: int = 200) -> list[JobRecord]:
        ids: list[str] = []
        today = utcnow()
        for back in range(_LIST_DAYS):
            day = _day(today - timedelta(days=back))
            rows = await self._db.execute(
                "SELECT job_id FROM jobs_by_day WHERE day = ? LIMIT ?", (day, limit - len(ids))
            )
            ids.extend(row["job_id"] for row in rows)
            if len(ids) >= limit:
                break
        jobs = [await self.get(job_id) for job_id in ids]
        return [job for job in jobs if job is not None]

    async def claim(self, worker: str, lease_seconds: float) -> JobRecord | None:
        rows = await self._db.execute("SELECT job_id FROM open_jobs WHERE shard = ? LIMIT 50", (_QUEUE_SHARD,))
        now = utcnow()
        for row in rows:
            job = await self.get(row["job_id"])
            if job is None or not job.claimable(now):
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
        params = [getattr(new, name) for name in names]
        applied = await self._db.execute_lwt(
            f"UPDATE jobs SET {sql} WHERE id = ? IF version = ?", (*params, current.id, current.version)
        )
        if not applied:
            return None
        await self._track_open(new)
        return new

    async def _track_open(self, job: JobRecord) -> None:
        key = (_QUEUE_SHARD, job.created_at, job.id)
        if is_open(job):
            sql = "INSERT INTO open_jobs (shard, created_at, job_id) VALUES (?, ?, ?)"
        else:
            sql = "DELETE FROM open_jobs WHERE shard = ? AND created_at = ? AND job_id = ?"
        await self._db.execute(sql, key, write=True)
