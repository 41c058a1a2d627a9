"""The file an upload's bytes go to: one writer at a time (an OS file lock, so it holds across processes),
writes in a worker thread so the event loop never blocks on disk, fsync before an offset is promised."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from pathlib import Path
from typing import BinaryIO


class PartBusy(Exception):
    """Another request is writing this upload right now."""


def create_empty(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=False)


def _open_locked(path: Path, offset: int) -> BinaryIO:
    handle = path.open("r+b")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise PartBusy(str(path)) from None
    # Bytes past the acknowledged offset were never promised to the client: drop them.
    handle.truncate(offset)
    handle.seek(offset)
    return handle


def _sync(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())


class PartWriter:
    """Appends to `path` from `offset`. Raises PartBusy on open when another writer holds the file,
    FileNotFoundError when the file is gone."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle

    @classmethod
    async def open(cls, path: Path, offset: int) -> PartWriter:
        return cls(await asyncio.to_thread(_open_locked, path, offset))

    async def write(self, data: bytes | bytearray) -> None:
        await asyncio.to_thread(self._handle.write, data)

    async def sync(self) -> None:
        await asyncio.to_thread(_sync, self._handle)

    async def close(self) -> None:
        await asyncio.to_thread(self._handle.close)


def remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
