from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import astuple, fields

from streamer.storage.base import USER_FIELDS, require_known_fields
from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.errors import EmailTaken, NotFound
from streamer.storage.records import UserRecord

_MANY = 100  # ids per IN: the coordinator fans out to every partition named
_NAMES = [field.name for field in fields(UserRecord)]
_COLUMNS = ", ".join(_NAMES)


def _user(row: Row) -> UserRecord:
    times = {"created_at": aware(row["created_at"]), "password_changed_at": aware(row["password_changed_at"])}
    return UserRecord(**(row | times))


class CassandraUsers:
    """`users` by id, with `users_by_email` as the uniqueness claim (INSERT … IF NOT EXISTS)."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def create(self, user: UserRecord) -> None:
        await self._claim_email(user.email_key, user.id, user.email)
        marks = ",".join("?" * len(_NAMES))
        await self._db.execute(f"INSERT INTO users ({_COLUMNS}) VALUES ({marks})", astuple(user), write=True)

    async def get(self, user_id: str) -> UserRecord | None:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,))
        return _user(rows[0]) if rows else None

    async def get_many(self, user_ids: list[str]) -> list[UserRecord]:
        wanted = list(dict.fromkeys(user_ids))
        chunks = [wanted[first : first + _MANY] for first in range(0, len(wanted), _MANY)]
        found: dict[str, UserRecord] = {}
        for rows in await asyncio.gather(
            *(self._db.execute(f"SELECT {_COLUMNS} FROM users WHERE id IN ?", (chunk,)) for chunk in chunks)
        ):
            found |= {row["id"]: _user(row) for row in rows}
        return [found[user_id] for user_id in user_ids if user_id in found]

    async def get_by_email(self, email_key: str) -> UserRecord | None:
        rows = await self._db.execute("SELECT user_id FROM users_by_email WHERE email_key = ?", (email_key,))
        user = await self.get(rows[0]["user_id"]) if rows else None
        return user if user and user.email_key == email_key else None

    async def update(self, user_id: str, changes: Mapping[str, object]) -> UserRecord:
        names = require_known_fields(changes, USER_FIELDS)
        sql = ", ".join(f"{name} = ?" for name in names)
        await self._require(user_id)
        params = [changes[name] for name in names]
        await self._db.execute(f"UPDATE users SET {sql} WHERE id = ?", (*params, user_id), write=True)
        return await self._require(user_id)

    async def change_email(self, user_id: str, email: str, email_key: str) -> UserRecord:
        current = await self._require(user_id)
        await self._claim_email(email_key, user_id, email)
        await self._db.execute(
            "UPDATE users SET email = ?, email_key = ?, email_verified = false WHERE id = ?",
            (email, email_key, user_id),
            write=True,
        )
        await self._db.execute_lwt(
            "DELETE FROM users_by_email WHERE email_key = ? IF user_id = ?", (current.email_key, user_id)
        )
        return await self._require(user_id)

    async def list_all(self, limit: int = 1000) -> list[UserRecord]:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM users LIMIT ?", (limit,))
        return sorted((_user(row) for row in rows), key=lambda user: user.created_at)

    async def _claim_email(self, email_key: str, user_id: str, email: str) -> None:
        claim = "INSERT INTO users_by_email (email_key, user_id) VALUES (?, ?) IF NOT EXISTS"
        if not await self._db.execute_lwt(claim, (email_key, user_id)):
            raise EmailTaken(email)

    async def _require(self, user_id: str) -> UserRecord:
        user = await self.get(user_id)
        if user is None:
            raise NotFound(f"user {user_id}")
        return user
