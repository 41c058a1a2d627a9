"""The uploads contract, run against every backend."""

from __future__ import annotations

from datetime import timedelta

from streamer.storage.base import Store
from streamer.storage.records import new_id, utcnow
from streamer.storage.uploads import UploadRecord


def an_upload(length: int = 1000, expires_in: float = 3600) -> UploadRecord:
    now = utcnow()
    return UploadRecord(
        id=new_id(),
        owner_id=new_id(),
        length=length,
        offset=0,
        metadata="filename bGVjdHVyZS5tcDQ=",
        created_at=now,
        expires_at=now + timedelta(seconds=expires_in),
    )


async def test_a_created_upload_reads_back_equal(store: Store) -> None:
    upload = an_upload(length=21 * 1024**3)
    await store.uploads.create(upload)
    assert await store.uploads.get(upload.id) == upload


async def test_an_unknown_upload_is_none(store: Store) -> None:
    assert await store.uploads.get(new_id()) is None


async def test_set_offset_records_bytes_and_the_new_expiry(store: Store) -> None:
    upload = an_upload()
    await store.uploads.create(upload)
    later = utcnow() + timedelta(hours=2)
    await store.uploads.set_offset(upload.id, 512, later)
    stored = await store.uploads.get(upload.id)
    assert stored is not None
    assert (stored.offset, stored.expires_at, stored.length) == (512, later, 1000)


async def test_delete_forgets_the_upload_and_set_offset_does_not_bring_it_back(store: Store) -> None:
    upload = an_upload()
    await store.uploads.create(upload)
    await store.uploads.delete(upload.id)
    await store.uploads.set_offset(upload.id, 10, utcnow())
    assert await store.uploads.get(upload.id) is None
    await store.uploads.delete(upload.id)


async def test_expired_compares_the_expiry_with_now(store: Store) -> None:
    upload = an_upload(expires_in=-1)
    assert upload.expired(utcnow())
    assert not an_upload(expires_in=60).expired(utcnow())
