"""One aiosqlite connection per store: WAL, a busy timeout for the other processes, rows as dicts."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from streamer.storage.errors import StoreUnavailable

Row = dict[str, Any]


def to_epoch(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def from_epoch(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


_IDS_PER_STATEMENT = 500


class Database:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        # One connection: two transactions interleaving on it would nest BEGINs, so they take turns.
        self._transaction_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable(f"cannot open the SQLite database {path}: {error}") from error
        connection.row_factory = aiosqlite.Row
        for pragma in ("journal_mode=WAL", "busy_timeout=10000", "foreign_keys=ON", "synchronous=NORMAL"):
            await connection.execute(f"PRAGMA {pragma}")
        return cls(connection)

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self._connection.execute(sql, params) as cursor:
            return [dict(row) for row in await cursor.fetchall()]

    async def fetch_by_ids(self, select: str, ids: Sequence[str]) -> dict[str, Row]:
        """The rows of `select … WHERE id IN (…)` for `ids`, by id; in chunks, as SQLite caps the parameters
        of one statement."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Row] = {}
        for first in range(0, len(wanted), _IDS_PER_STATEMENT):
            chunk = wanted[first : first + _IDS_PER_STATEMENT]
            rows = await self.fetch_all(f"{select} WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            found |= {row["id"]: row for row in rows}
        return found

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; returns the number of rows it changed."""
        async with self._connection.execute(sql, params) as cursor:
            return cursor.rowcount

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._connection.executemany(sql, rows)

    async def transaction(self, statements: Iterable[tuple[str, Sequence[Any]]]) -> None:
        """Run (sql, params) statements in one transaction: all or nothing."""
        async with self._transaction_lock:
            await self._connection.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    await self._connection.execute(sql, params)
            except BaseException:
                await self._connection.execute("ROLLBACK")
                raise
            await self._connection.execute("COMMIT")

    async def transaction_many(self, groups: Iterable[tuple[str, Sequence[Sequence[Any]]]]) -> None:
        """Run each (sql, rows) group of DML with executemany, all in one transaction: all or nothing."""
        async with self._transaction_lock:
            await self._connection.execute("BEGIN IMMEDIATE")
            try:
                for sql, rows in groups:
                    if rows:
                        await self._connection.executemany(sql, rows)
            except BaseException:
                await self._connection.execute("ROLLBACK")
                raise
            await self._connection.execute("COMMIT")

    async def close(self) -> None:
        await self._connection.close()
