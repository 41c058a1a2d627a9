from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, fields

from streamer.storage.delivery import DeliveryConfigRecord
from streamer.storage.sqlite.connection import Database, Row, from_epoch
from streamer.storage.sqlite.fields import sql_value

_NAMES = [field.name for field in fields(DeliveryConfigRecord)]
_COLUMNS = ", ".join(_NAMES)


def _config(row: Row) -> DeliveryConfigRecord:
    return DeliveryConfigRecord(**(row | {"created_at": from_epoch(row["created_at"])}))


class SqliteDelivery:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_overrides(self) -> dict[str, str]:
        rows = await self._db.fetch_all("SELECT name, value FROM delivery_overrides")
        return {row["name"]: row["value"] for row in rows}

    async def record_applied(self, overrides: Mapping[str, str], config: DeliveryConfigRecord) -> None:
        marks = ",".join("?" * len(_NAMES))
        await self._db.transaction(
            [
                ("DELETE FROM delivery_overrides", ()),
                *(("INSERT INTO delivery_overrides VALUES (?, ?)", item) for item in sorted(overrides.items())),
                (
                    f"INSERT INTO delivery_configs ({_COLUMNS}) VALUES ({marks})",
                    [sql_value(v) for v in astuple(config)],
                ),
            ]
        )

    async def history(self, limit: int = 50) -> list[DeliveryConfigRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM delivery_configs ORDER BY created_at DESC, id LIMIT ?", (limit,)
        )
        return [_config(row) for row in rows]

    async def get_config(self, config_id: str) -> DeliveryConfigRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM delivery_configs WHERE id = ?", (config_id,))
        return _config(row) if row else None
