"""The job queue contract, run against every backend: leases, exactly-one claims, retries."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from streamer.storage.base import Store
from streamer.storage.records import JobRecord, JobState, new_id, utcnow


async def drain(store: Store) -> None:
    """Claim and complete whatever earlier tests left open, so each test sees only its own jobs."""
    while job := await store.jobs.claim("drain", 60):
        await store.jobs.complete(job)


async def claim_own(store: Store, job: JobRecord, worker: str = "w1", lease: float = 60) -> JobRecord:
    claimed = await store.jobs.claim(worker, lease)
    assert claimed is not None
    assert claimed.id == job.id
    return claimed


async def test_an_enqueued_job_is_queued_and_readable(store: Store) -> None:
    job = await store.jobs.enqueue(new_id(), "transcode", max_attempts=4)
    assert (job.state, job.attempts, job.max_attempts, job.kind) == (JobState.QUEUED, 0, 4, "transcode")
    assert await store.jobs.get(job.id) == job
    assert job.id in {listed.id for listed in await store.jobs.list_all()}


async def test_claim_takes_the_oldest_job_with_a_lease(store: Store) -> None:
    await drain(store)
    first = await store.jobs.enqueue(new_id(), "transcode")
    await store.jobs.enqueue(new_id(), "transcode")
    claimed = await claim_own(store, first, "worker-a")
    assert (claimed.state, claimed.attempts, claimed.lease_owner) == (JobState.RUNNING, 1, "worker-a")
    assert claimed.lease_expires_at is not None
    assert claimed.lease_expires_at > utcnow()
    await drain(store)


async def test_of_many_concurrent_claimers_exactly_one_gets_the_job(store: Store) -> None:
    await drain(store)
    job = await store.jobs.enqueue(new_id(), "transcode")
    results = await asyncio.gather(*(store.jobs.claim(f"w{n}", 60) for n in range(10)))
    winners = [result for result in results if result is not None]
    assert [winner.id for winner in winners] == [job.id]
    assert (await store.jobs.get(job.id)).lease_owner == winners[0].lease_owner  # type: ignore[union-attr]


async def test_a_job_under_a_live_lease_is_not_claimed_again(store: Store) -> None:
    await drain(store)
    job = await store.jobs.enqueue(new_id(), "transcode")
    await claim_own(store, job)
    assert await store.jobs.claim("w2", 60) is None
    await drain(store)


async def test_an_expired_lease_can_be_claimed_again(store: Store) -> None:
    await drain(store)
    job = await store.jobs.enqueue(new_id(), "transcode")
    first = await claim_own(store, job, "w1", lease=0.3)
    await asyncio.sleep(0.5)
    second = await claim_own(store, job, "w2")
    assert (second.lease_owner, second.attempts) == ("w2", 2)
    assert await store.jobs.extend_lease(first, 60) is None
    assert await store.jobs.complete(first) is None
    await store.jobs.complete(second)


async def test_extending_the_lease_keeps_the_job_and_moves_the_expiry(store: Store) -> None:
    await drain(store)
    job = await claim_own(store, await store.jobs.enqueue(new_id(), "transcode"), lease=0.3)
    extended = await store.jobs.extend_lease(job, 60)
    assert extended is not None
    assert extended.lease_expires_at > job.lease_expires_at  # type: ignore[operator]
    await asyncio.sleep(0.5)
    assert await store.jobs.claim("w2", 60) is None
    await store.jobs.complete(extended)


async def test_complete_marks_done_and_it_is_never_claimed_again(store: Store) -> None:
    await drain(store)
    job = await claim_own(store, await store.jobs.enqueue(new_id(), "transcode"))
    done = await store.jobs.complete(job)
    assert done is not None
    assert done.state == JobState.DONE
    assert (await store.jobs.get(job.id)).state == JobState.DONE  # type: ignore[union-attr]
    assert await store.jobs.claim("w2", 60) is None


async def test_fail_with_retry_requeues_after_the_backoff(store: Store) -> None:
    await drain(store)
    job = await claim_own(store, await store.jobs.enqueue(new_id(), "transcode", max_attempts=3))
    retry_at = utcnow() + timedelta(seconds=0.4)
    failed = await store.jobs.fail(job, "ffmpeg exited with 1", retry_at)
    assert failed is not None
    assert (failed.state, failed.last_error) == (JobState.QUEUED, "ffmpeg exited with 1")
    assert await store.jobs.claim("w2", 60) is None
    await asyncio.sleep(0.6)
    again = await claim_own(store, job, "w2")
    assert again.attempts == 2
    await store.jobs.complete(again)


async def test_fail_without_retry_or_out_of_attempts_is_final(store: Store) -> None:
    await drain(store)
    job = await claim_own(store, await store.jobs.enqueue(new_id(), "transcode", max_attempts=1))
    final = await store.jobs.fail(job, "This file has no video stream", utcnow())
    assert final is not None
    assert (final.state, final.last_error) == (JobState.FAILED, "This file has no video stream")
    assert await store.jobs.claim("w2", 60) is None


async def test_a_job_whose_worker_keeps_dying_fails_with_a_reason(store: Store) -> None:
    await drain(store)
    job = await store.jobs.enqueue(new_id(), "transcode", max_attempts=1)
    await claim_own(store, job, lease=0.2)
    await asyncio.sleep(0.4)
    assert await store.jobs.claim("w2", 60) is None
    stored = await store.jobs.get(job.id)
    assert stored is not None
    assert stored.state == JobState.FAILED
    assert "stopped responding" in stored.last_error


async def test_requeue_gives_a_failed_job_a_fresh_start(store: Store) -> None:
    await drain(store)
    job = await claim_own(store, await store.jobs.enqueue(new_id(), "transcode", max_attempts=1))
    await store.jobs.fail(job, "boom", None)
    requeued = await store.jobs.requeue(job.id)
    assert (requeued.state, requeued.attempts) == (JobState.QUEUED, 0)
    again = await claim_own(store, job, "w3")
    assert again.attempts == 1
    await store.jobs.complete(again)


async def test_requeue_takes_a_running_job_away_from_its_worker(store: Store) -> None:
    await drain(store)
    running = await claim_own(store, await store.jobs.enqueue(new_id(), "transcode"))
    await store.jobs.requeue(running.id)
    assert await store.jobs.extend_lease(running, 60) is None
    await drain(store)


async def test_release_hands_the_job_back_without_counting_the_attempt(store: Store) -> None:
    await drain(store)
    running = await claim_own(store, await store.jobs.enqueue(new_id(), "transcode", max_attempts=1))
    released = await store.jobs.release(running)
    assert released is not None
    assert (released.state, released.attempts, released.lease_owner) == (JobState.QUEUED, 0, "")
    again = await claim_own(store, running, "w2")
    assert again.attempts == 1
    assert await store.jobs.release(running) is None
    await store.jobs.complete(again)
