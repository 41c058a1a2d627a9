from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, fields

from streamer.storage.base import require_known_fields
from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.catalog import COURSE_FIELDS, StaleVersion
from streamer.storage.errors import NotFound
from streamer.storage.records import CourseRecord, Visibility, utcnow

_NAMES = [field.name for field in fields(CourseRecord)]
_COLUMNS = ", ".join(_NAMES)


def _course(row: Row) -> CourseRecord:
    converted = {
        "created_at": aware(row["created_at"]),
        "updated_at": aware(row["updated_at"]),
        "visibility": Visibility(row["visibility"]),
        "video_ids": tuple(row["video_ids"] or ()),
        "description": row["description"] or "",
        "cover_video_id": row["cover_video_id"] or "",
    }
    return CourseRecord(**(row | converted))


class CassandraCourses:
    """`courses` by id, written only by lightweight transactions (`IF NOT EXISTS`, `IF version = ?`,
    `IF EXISTS`); `courses_by_owner` and `courses_all` list ids newest first."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def create(self, course: CourseRecord) -> None:
        marks = ",".join("?" * len(_NAMES))
        await self._db.execute_lwt(f"INSERT INTO courses ({_COLUMNS}) VALUES ({marks}) IF NOT EXISTS", astuple(course))
        await self._db.execute(
            "INSERT INTO courses_by_owner (owner_id, created_at, course_id) VALUES (?, ?, ?)",
            (course.owner_id, course.created_at, course.id),
            write=True,
        )
        await self._db.execute(
            "INSERT INTO courses_all (shard, created_at, course_id) VALUES (0, ?, ?)",
            (course.created_at, course.id),
            write=True,
        )

    async def get(self, course_id: str) -> CourseRecord | None:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM courses WHERE id = ?", (course_id,))
        return _course(rows[0]) if rows and rows[0]["owner_id"] else None

    async def list_by_owner(self, owner_id: str, limit: int = 200) -> list[CourseRecord]:
        rows = await self._db.execute(
            "SELECT course_id FROM courses_by_owner WHERE owner_id = ? LIMIT ?", (owner_id, limit)
        )
        return await self._many([row["course_id"] for row in rows])

    async def list_all(self, limit: int = 200) -> list[CourseRecord]:
        rows = await self._db.execute("SELECT course_id FROM courses_all WHERE shard = 0 LIMIT ?", (limit,))
        return await self._many([row["course_id"] for row in rows])

    async def update(self, course_id: str, changes: Mapping[str, object], expected_version: int) -> CourseRecord:
        names = require_known_fields(changes, COURSE_FIELDS)
        sql = ", ".join(f"{name} = ?" for name in names)
        params = [list(value) if isinstance(value, tuple) else value for value in (changes[n] for n in names)]
        applied = await self._db.execute_lwt(
            f"UPDATE courses SET {sql}, version = ?, updated_at = ? WHERE id = ? IF version = ?",
            (*params, expected_version + 1, utcnow(), course_id, expected_version),
        )
        course = await self.get(course_id)
        if course is None:
            raise NotFound(f"course {course_id}")
        if not applied:
            raise StaleVersion(f"course {course_id} is at version {course.version}, not {expected_version}")
        return course

    async def delete(self, course_id: str) -> None:
        course = await self.get(course_id)
        if course is None:
            return
        await self._db.execute(
            "DELETE FROM courses_by_owner WHERE owner_id = ? AND created_at = ? AND course_id = ?",
            (course.owner_id, course.created_at, course_id),
            write=True,
        )
        await self._db.execute(
            "DELETE FROM courses_all WHERE shard = 0 AND created_at = ? AND course_id = ?",
            (course.created_at, course_id),
            write=True,
        )
        await self._db.execute_lwt("DELETE FROM courses WHERE id = ? IF EXISTS", (course_id,))

    async def _many(self, course_ids: list[str]) -> list[CourseRecord]:
        if not course_ids:
            return []
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM courses WHERE id IN ?", (course_ids,))
        found = {row["id"]: _course(row) for row in rows if row["owner_id"]}
        return [found[course_id] for course_id in course_ids if course_id in found]
