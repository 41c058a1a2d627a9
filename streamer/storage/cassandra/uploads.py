from __future__ import annotations

from datetime import datetime

from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.records import utcnow
from streamer.storage.uploads import UploadRecord

_COLUMNS = "id, owner_id, length, upload_offset, metadata, created_at, expires_at"


def _upload(row: Row) -> UploadRecord:
    return UploadRecord(
        id=row["id"],
        owner_id=row["owner_id"],
        length=row["length"],
        offset=row["upload_offset"],
        metadata=row["metadata"] or "",
        created_at=aware(row["created_at"]) or utcnow(),
        expires_at=aware(row["expires_at"]) or utcnow(),
    )


class CassandraUploads:
    """`uploads` by id, plain writes: only the node holding the file writes a row, under a file lock."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def create(self, upload: UploadRecord) -> None:
        values = (
            upload.id,
            upload.owner_id,
            upload.length,
            upload.offset,
            upload.metadata,
            upload.created_at,
            upload.expires_at,
        )
        await self._db.execute(f"INSERT INTO uploads ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", values, write=True)

    async def get(self, upload_id: str) -> UploadRecord | None:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM uploads WHERE id = ?", (upload_id,))
        return _upload(rows[0]) if rows and rows[0]["owner_id"] else None

    async def set_offset(self, upload_id: str, offset: int, expires_at: datetime) -> None:
        if await self.get(upload_id) is None:
            return  # an UPDATE would resurrect a deleted upload as a partial row
        await self._db.execute(
            "UPDATE uploads SET upload_offset = ?, expires_at = ? WHERE id = ?",
            (offset, expires_at, upload_id),
            write=True,
        )

    async def delete(self, upload_id: str) -> None:
        await self._db.execute("DELETE FROM uploads WHERE id = ?", (upload_id,), write=True)
