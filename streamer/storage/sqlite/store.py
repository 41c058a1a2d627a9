"""The embedded default: one SQLite file, zero setup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from streamer.storage.base import MigrationStatus
from streamer.storage.errors import StoreUnavailable
from streamer.storage.migrations import load_migrations
from streamer.storage.records import utcnow
from streamer.storage.sqlite.analytics import SqliteAnalytics
from streamer.storage.sqlite.catalog import SqliteCatalogIndex
from streamer.storage.sqlite.connection import Database, to_epoch
from streamer.storage.sqlite.courses import SqliteCourses
from streamer.storage.sqlite.delivery import SqliteDelivery
from streamer.storage.sqlite.identities import SqliteIdentities
from streamer.storage.sqlite.invites import SqliteInvites, SqliteStripeEvents
from streamer.storage.sqlite.jobs import SqliteJobs
from streamer.storage.sqlite.memberships import SqliteMemberships, SqlitePlans
from streamer.storage.sqlite.sessions import SqliteSessions
from streamer.storage.sqlite.throttle import SqliteThrottle
from streamer.storage.sqlite.tokens import SqliteTokens
from streamer.storage.sqlite.uploads import SqliteUploads
from streamer.storage.sqlite.users import SqliteUsers
from streamer.storage.sqlite.videos import SqliteVideos

_LEDGER = "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)"


class SqliteStore:
    def __init__(self, db: Database, path: Path) -> None:
        self.path = path
        self._db = db
        self.users = SqliteUsers(db)
        self.videos = SqliteVideos(db)
        self.jobs = SqliteJobs(db)
        self.uploads = SqliteUploads(db)
        self.delivery = SqliteDelivery(db)
        self.courses = SqliteCourses(db)
        self.catalog = SqliteCatalogIndex(db)
        self.analytics = SqliteAnalytics(db)
        self.sessions = SqliteSessions(db)
        self.tokens = SqliteTokens(db)
        self.throttle = SqliteThrottle(db)
        self.identities = SqliteIdentities(db)
        self.plans = SqlitePlans(db)
        self.memberships = SqliteMemberships(db)
        self.invites = SqliteInvites(db)
        self.stripe_events = SqliteStripeEvents(db)

    @classmethod
    async def open(cls, path: Path) -> SqliteStore:
        return cls(await Database.open(path), path)

    async def ping(self) -> None:
        try:
            await self._db.fetch_one("SELECT 1")
        except sqlite3.Error as error:
            raise StoreUnavailable(f"SQLite database {self.path}: {error}") from error

    async def migration_status(self) -> MigrationStatus:
        await self._db.execute(_LEDGER)
        applied = [row["name"] for row in await self._db.fetch_all("SELECT name FROM schema_migrations")]
        pending = [m.name for m in load_migrations("sqlite") if m.name not in applied]
        return MigrationStatus(applied=sorted(applied), pending=pending)

    async def migrate(self) -> list[str]:
        pending = set((await self.migration_status()).pending)
        done = []
        for migration in load_migrations("sqlite"):
            if migration.name not in pending:
                continue
            record = ("INSERT INTO schema_migrations VALUES (?, ?)", (migration.name, to_epoch(utcnow())))
            await self._db.transaction([*((sql, ()) for sql in migration.statements), record])
            done.append(migration.name)
        return done

    async def close(self) -> None:
        await self._db.close()
