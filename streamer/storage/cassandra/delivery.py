from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, fields

from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.delivery import DeliveryConfigRecord

_NAMES = [field.name for field in fields(DeliveryConfigRecord)]
_COLUMNS = ", ".join(_NAMES)
_SCOPE = "current"
_BUCKET = "all"


def _config(row: Row) -> DeliveryConfigRecord:
    return DeliveryConfigRecord(**({name: row[name] for name in _NAMES} | {"created_at": aware(row["created_at"])}))


class CassandraDelivery:
    """`delivery_overrides` is one row whose map is replaced whole; history is written to `delivery_configs`
    (by id) and `delivery_history` (newest first)."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def get_overrides(self) -> dict[str, str]:
        rows = await self._db.execute("SELECT overrides FROM delivery_overrides WHERE scope = ?", (_SCOPE,))
        return dict(rows[0]["overrides"] or {}) if rows else {}

    async def record_applied(self, overrides: Mapping[str, str], config: DeliveryConfigRecord) -> None:
        marks = ",".join("?" * len(_NAMES))
        values = astuple(config)
        await self._db.execute(f"INSERT INTO delivery_configs ({_COLUMNS}) VALUES ({marks})", values, write=True)
        await self._db.execute(
            f"INSERT INTO delivery_history (bucket, {_COLUMNS}) VALUES (?, {marks})", (_BUCKET, *values), write=True
        )
        await self._db.execute(
            "INSERT INTO delivery_overrides (scope, overrides) VALUES (?, ?)", (_SCOPE, dict(overrides)), write=True
        )

    async def history(self, limit: int = 50) -> list[DeliveryConfigRecord]:
        rows = await self._db.execute(
            f"SELECT {_COLUMNS} FROM delivery_history WHERE bucket = ? LIMIT ?", (_BUCKET, limit)
        )
        return [_config(row) for row in rows]

    async def get_config(self, config_id: str) -> DeliveryConfigRecord | None:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM delivery_configs WHERE id = ?", (config_id,))
        return _config(rows[0]) if rows else None
