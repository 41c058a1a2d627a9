"""Resumable uploads with tus 1.0.0 semantics (and no HTTP): create, find, receive bytes, terminate, expire.

An upload shares its id with the video it becomes. Its bytes stream to `uploads/<id>.part`; the offset
is promised (stored) only after an fsync, at checkpoints and when the body ends or breaks off, so an
upload resumes after a dropped connection or an app restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from streamer.catalog import ingest
from streamer.catalog.config import PipelineConfig
from streamer.catalog.layout import is_valid_id
from streamer.catalog.partfile import PartBusy, PartWriter, create_empty, remove
from streamer.catalog.tus_metadata import InvalidMetadata, filename_of, parse_metadata, title_for
from streamer.storage.base import Store
from streamer.storage.errors import NotFound
from streamer.storage.records import VideoRecord, VideoStatus, new_id, utcnow
from streamer.storage.uploads import UploadRecord

WRITE_BYTES = 1024 * 1024
CHECKPOINT_BYTES = 8 * 1024 * 1024
CHECKPOINT_SECONDS = 2.0
EXPIRED_REASON = "The upload was not finished in time; please upload the file again"


class UploadError(Exception):
    """Base of the upload errors; the message is fit to show."""


class UploadNotFound(UploadError):
    """No such upload for this user (never says whether it exists for someone else)."""


class UploadExpired(UploadError):
    """The upload was left unfinished past its expiry and has been deleted."""


class OffsetMismatch(UploadError):
    """The client's offset is not where the upload stands; it must ask (HEAD) and resume from there."""


class UploadTooLarge(UploadError):
    """Over the size limit, or more bytes than the upload's declared length."""


class UploadBusy(UploadError):
    """Another request is writing to this upload at this moment."""


class InvalidUpload(UploadError):
    """The request is malformed (a bad length or metadata)."""


async def create_upload(
    store: Store, config: PipelineConfig, owner_id: str, length: int, metadata_header: str
) -> UploadRecord:
    """Start an upload of `length` bytes and its video (status uploading). A zero-length upload is complete
    at once. Raises InvalidUpload or UploadTooLarge."""
    if length > config.max_upload_size:
        raise UploadTooLarge(f"The file is larger than the limit of {config.max_upload_size} bytes")
    try:
        metadata = parse_metadata(metadata_header)
    except InvalidMetadata as error:
        raise InvalidUpload(str(error)) from None
    now, filename = utcnow(), filename_of(metadata)
    video = VideoRecord(
        id=new_id(),
        owner_id=owner_id,
        title=title_for(metadata, filename),
        status=VideoStatus.UPLOADING,
        created_at=now,
        updated_at=now,
        source_name=filename,
    )
    upload = UploadRecord(video.id, owner_id, length, 0, metadata_header, now, now + config.upload_expiry)
    create_empty(config.layout.upload_part(upload.id))
    await store.videos.create(video)
    await store.uploads.create(upload)
    if length == 0:
        await ingest.accept_upload(store, config, upload)
    return upload


async def find_upload(store: Store, config: PipelineConfig, owner_id: str, upload_id: str) -> UploadRecord:
    """The caller's upload. Raises UploadNotFound, or UploadExpired (after deleting it)."""
    upload = await store.uploads.get(upload_id) if is_valid_id(upload_id) else None
    if upload is None or upload.owner_id != owner_id:
        raise UploadNotFound("No such upload")
    if upload.expired(utcnow()):
        await expire(store, config, upload)
        raise UploadExpired("This upload expired; please start again")
    if upload.offset == upload.length:
        await ingest.accept_upload(store, config, upload)  # finish what a crash interrupted
    return upload


async def receive(
    store: Store,
    config: PipelineConfig,
    upload: UploadRecord,
    offset: int,
    chunks: AsyncIterator[bytes],
    declared_length: int | None,
) -> UploadRecord:
    """Append the body `chunks` at `offset`; returns the upload as stored afterwards. What arrived is kept
    even when the body breaks off (the exception propagates). A complete upload is handed to ingest.

    Raises OffsetMismatch, UploadTooLarge (the bytes up to the length are kept), UploadBusy, UploadNotFound."""
    if offset != upload.offset:
        raise OffsetMismatch(f"The upload is at byte {upload.offset}, not {offset}")
    if declared_length is not None and declared_length > upload.length - upload.offset:
        raise UploadTooLarge("More bytes than the upload's length")
    try:
        writer = await PartWriter.open(config.layout.upload_part(upload.id), upload.offset)
    except PartBusy:
        raise UploadBusy("This upload is receiving data in another request") from None
    except FileNotFoundError:
        raise UploadNotFound("No such upload") from None
    receiver = _Receiver(store, config, upload, writer)
    try:
        overflow = await receiver.consume(chunks)
    finally:
        upload = await receiver.checkpoint()
        await writer.close()
    if overflow:
        raise UploadTooLarge("More bytes than the upload's length")
    if upload.offset == upload.length:
        await ingest.accept_upload(store, config, upload)
    return upload


class _Receiver:
    """Buffers up to WRITE_BYTES in memory; checkpoints every CHECKPOINT_BYTES or CHECKPOINT_SECONDS."""

    def __init__(self, store: Store, config: PipelineConfig, upload: UploadRecord, writer: PartWriter) -> None:
        self.upload = upload
        self._store, self._config, self._writer = store, config, writer
        self._buffer = bytearray()
        self._written = upload.offset
        self._checked_at = time.monotonic()

    async def consume(self, chunks: AsyncIterator[bytes]) -> bool:
        """Write the chunks; True when the body ran past the upload's length (the excess is dropped)."""
        async for chunk in chunks:
            room = self.upload.length - self._written - len(self._buffer)
            self._buffer += chunk[:room]
            if len(chunk) > room:
                return True
            if len(self._buffer) >= WRITE_BYTES:
                await self._flush()
            if self._checkpoint_due():
                await self.checkpoint()
        return False

    def _checkpoint_due(self) -> bool:
        unsynced = self._written - self.upload.offset
        return unsynced >= CHECKPOINT_BYTES or (
            unsynced > 0 and time.monotonic() - self._checked_at >= CHECKPOINT_SECONDS
        )

    async def _flush(self) -> None:
        if self._buffer:
            await self._writer.write(self._buffer)
            self._written += len(self._buffer)
            self._buffer = bytearray()

    async def checkpoint(self) -> UploadRecord:
        """Make the bytes so far durable, then store the offset (and a pushed-out expiry)."""
        await self._flush()
        self._checked_at = time.monotonic()
        if self._written == self.upload.offset:
            return self.upload
        await self._writer.sync()
        expires_at = utcnow() + self._config.upload_expiry
        await self._store.uploads.set_offset(self.upload.id, self._written, expires_at)
        self.upload = replace(self.upload, offset=self._written, expires_at=expires_at)
        await _show_progress(self._store, self.upload)
        return self.upload


async def _show_progress(store: Store, upload: UploadRecord) -> None:
    # The video may have been deleted while its bytes were arriving; terminate() cleans up.
    with contextlib.suppress(NotFound):
        await store.videos.update(upload.id, {"progress": round(100.0 * upload.offset / upload.length, 1)})


async def terminate(store: Store, config: PipelineConfig, upload: UploadRecord) -> None:
    """tus termination: the bytes, the upload and its (unfinished) video are deleted."""
    remove(config.layout.upload_part(upload.id))
    await store.uploads.delete(upload.id)
    await store.videos.delete(upload.id)


async def expire(store: Store, config: PipelineConfig, upload: UploadRecord) -> None:
    """Delete an expired upload's bytes and record; its video stays, failed, saying why."""
    remove(config.layout.upload_part(upload.id))
    await store.uploads.delete(upload.id)
    with contextlib.suppress(NotFound):
        await store.videos.update(upload.id, {"status": VideoStatus.FAILED, "error": EXPIRED_REASON})


async def cleanup_expired(store: Store, config: PipelineConfig) -> int:
    """Delete expired uploads, and `.part` files no upload knows of once they are older than the expiry.
    Returns how many were removed. Looks at this machine's upload folder: run it where the bytes are."""
    removed = 0
    for part in await asyncio.to_thread(_parts, config.layout.uploads_dir):
        upload = await store.uploads.get(part.stem) if is_valid_id(part.stem) else None
        if upload is not None and upload.expired(utcnow()):
            await expire(store, config, upload)
            removed += 1
        elif upload is None and await asyncio.to_thread(_older_than, part, config.upload_expiry):
            remove(part)
            removed += 1
    return removed


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.part")) if folder.is_dir() else []


def _older_than(path: Path, age: timedelta) -> bool:
    try:
        return time.time() - path.stat().st_mtime > age.total_seconds()
    except FileNotFoundError:
        return False
