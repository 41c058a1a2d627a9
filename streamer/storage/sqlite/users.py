from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from streamer.storage.base import USER_FIELDS
from streamer.storage.errors import EmailTaken, NotFound
from streamer.storage.records import UserRecord
from streamer.storage.sqlite.connection import Database, Row, from_epoch, to_epoch
from streamer.storage.sqlite.fields import assignments

_COLUMNS = "id, email, email_key, password_hash, display_name, role, email_verified, created_at, password_changed_at"


def _user(row: Row) -> UserRecord:
    converted = {
        "email_verified": bool(row["email_verified"]),
        "created_at": from_epoch(row["created_at"]),
        "password_changed_at": from_epoch(row["password_changed_at"]),
    }
    return UserRecord(**(row | converted))


class SqliteUsers:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, user: UserRecord) -> None:
        values = (
            user.id,
            user.email,
            user.email_key,
            user.password_hash,
            user.display_name,
            user.role,
            int(user.email_verified),
            to_epoch(user.created_at),
            to_epoch(user.password_changed_at),
        )
        try:
            await self._db.execute(f"INSERT INTO users ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", values)
        except sqlite3.IntegrityError as error:
            raise EmailTaken(user.email) from error

    async def get(self, user_id: str) -> UserRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,))
        return _user(row) if row else None

    async def get_many(self, user_ids: list[str]) -> list[UserRecord]:
        found = await self._db.fetch_by_ids(f"SELECT {_COLUMNS} FROM users", user_ids)
        return [_user(found[user_id]) for user_id in user_ids if user_id in found]

    async def get_by_email(self, email_key: str) -> UserRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM users WHERE email_key = ?", (email_key,))
        return _user(row) if row else None

    async def update(self, user_id: str, changes: Mapping[str, object]) -> UserRecord:
        sql, params = assignments(changes, USER_FIELDS)
        if await self._db.execute(f"UPDATE users SET {sql} WHERE id = ?", (*params, user_id)) == 0:
            raise NotFound(f"user {user_id}")
        return await self._require(user_id)

    async def change_email(self, user_id: str, email: str, email_key: str) -> UserRecord:
        try:
            changed = await self._db.execute(
                "UPDATE users SET email = ?, email_key = ?, email_verified = 0 WHERE id = ?",
                (email, email_key, user_id),
            )
        except sqlite3.IntegrityError as error:
            raise EmailTaken(email) from error
        if changed == 0:
            raise NotFound(f"user {user_id}")
        return await self._require(user_id)

    async def list_all(self, limit: int = 1000) -> list[UserRecord]:
        rows = await self._db.fetch_all(f"SELECT {_COLUMNS} FROM users ORDER BY created_at LIMIT ?", (limit,))
        return [_user(row) for row in rows]

    async def _require(self, user_id: str) -> UserRecord:
        user = await self.get(user_id)
        if user is None:
            raise NotFound(f"user {user_id}")
        return user
