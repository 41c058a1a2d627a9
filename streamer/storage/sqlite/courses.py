from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import astuple, fields

from streamer.storage.catalog import COURSE_FIELDS, StaleVersion
from streamer.storage.errors import NotFound
from streamer.storage.records import CourseRecord, Visibility, utcnow
from streamer.storage.sqlite.connection import Database, Row, from_epoch
from streamer.storage.sqlite.fields import assignments, sql_value

_NAMES = [field.name for field in fields(CourseRecord)]
_COLUMNS = ", ".join(_NAMES)


def _course(row: Row) -> CourseRecord:
    converted = {
        "created_at": from_epoch(row["created_at"]),
        "updated_at": from_epoch(row["updated_at"]),
        "visibility": Visibility(row["visibility"]),
        "video_ids": tuple(json.loads(row["video_ids"])),
    }
    return CourseRecord(**(row | converted))


class SqliteCourses:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, course: CourseRecord) -> None:
        marks = ",".join("?" * len(_NAMES))
        values = [sql_value(value) for value in astuple(course)]
        await self._db.execute(f"INSERT INTO courses ({_COLUMNS}) VALUES ({marks})", values)

    async def get(self, course_id: str) -> CourseRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM courses WHERE id = ?", (course_id,))
        return _course(row) if row else None

    async def list_by_owner(self, owner_id: str, limit: int = 200) -> list[CourseRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM courses WHERE owner_id = ? ORDER BY created_at DESC, id LIMIT ?",
            (owner_id, limit),
        )
        return [_course(row) for row in rows]

    async def list_all(self, limit: int = 200) -> list[CourseRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM courses ORDER BY created_at DESC, id LIMIT ?", (limit,)
        )
        return [_course(row) for row in rows]

    async def update(self, course_id: str, changes: Mapping[str, object], expected_version: int) -> CourseRecord:
        sql, params = assignments(changes, COURSE_FIELDS)
        changed = await self._db.execute(
            f"UPDATE courses SET {sql}, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
            (*params, sql_value(utcnow()), course_id, expected_version),
        )
        course = await self.get(course_id)
        if course is None:
            raise NotFound(f"course {course_id}")
        if not changed:
            raise StaleVersion(f"course {course_id} is at version {course.version}, not {expected_version}")
        return course

    async def delete(self, course_id: str) -> None:
        await self._db.execute("DELETE FROM courses WHERE id = ?", (course_id,))
