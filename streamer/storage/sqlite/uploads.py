from __future__ import annotations

from datetime import datetime

from streamer.storage.records import utcnow
from streamer.storage.sqlite.connection import Database, Row, from_epoch, to_epoch
from streamer.storage.uploads import UploadRecord

_COLUMNS = "id, owner_id, length, upload_offset, metadata, created_at, expires_at"


def _upload(row: Row) -> UploadRecord:
    return UploadRecord(
        id=row["id"],
        owner_id=row["owner_id"],
        length=row["length"],
        offset=row["upload_offset"],
        metadata=row["metadata"],
        created_at=from_epoch(row["created_at"]) or utcnow(),
        expires_at=from_epoch(row["expires_at"]) or utcnow(),
    )


class SqliteUploads:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, upload: UploadRecord) -> None:
        values = (
            upload.id,
            upload.owner_id,
            upload.length,
            upload.offset,
            upload.metadata,
            to_epoch(upload.created_at),
            to_epoch(upload.expires_at),
        )
        await self._db.execute(f"INSERT INTO uploads ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", values)

    async def get(self, upload_id: str) -> UploadRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM uploads WHERE id = ?", (upload_id,))
        return _upload(row) if row else None

    async def set_offset(self, upload_id: str, offset: int, expires_at: datetime) -> None:
        await self._db.execute(
            "UPDATE uploads SET upload_offset = ?, expires_at = ? WHERE id = ?",
            (offset, to_epoch(expires_at), upload_id),
        )

    async def delete(self, upload_id: str) -> None:
        await self._db.execute("DELETE FROM uploads WHERE id = ?", (upload_id,))
