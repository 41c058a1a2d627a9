"""Apache Cassandra: for many app nodes and heavy analytics."""

from __future__ import annotations

from streamer.storage.base import MigrationStatus
from streamer.storage.cassandra.analytics import CassandraAnalytics
from streamer.storage.cassandra.catalog import CassandraCatalogIndex
from streamer.storage.cassandra.courses import CassandraCourses
from streamer.storage.cassandra.delivery import CassandraDelivery
from streamer.storage.cassandra.identities import CassandraIdentities
from streamer.storage.cassandra.invites import CassandraInvites, CassandraStripeEvents
from streamer.storage.cassandra.jobs import CassandraJobs
from streamer.storage.cassandra.memberships import CassandraMemberships, CassandraPlans
from streamer.storage.cassandra.session import CassandraSession, CassandraTarget
from streamer.storage.cassandra.sessions import CassandraSessions
from streamer.storage.cassandra.throttle import CassandraThrottle
from streamer.storage.cassandra.tokens import CassandraTokens
from streamer.storage.cassandra.uploads import CassandraUploads
from streamer.storage.cassandra.users import CassandraUsers
from streamer.storage.cassandra.videos import CassandraVideos
from streamer.storage.errors import MigrationsPending
from streamer.storage.migrations import load_migrations
from streamer.storage.records import utcnow

_LEDGER = "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamp)"


class CassandraStore:
    def __init__(self, db: CassandraSession, replication_factor: int, local_dc: str) -> None:
        self._db = db
        self._replication = f"{{'class': 'NetworkTopologyStrategy', '{local_dc}': {replication_factor}}}"
        self.users = CassandraUsers(db)
        self.videos = CassandraVideos(db)
        self.jobs = CassandraJobs(db)
        self.uploads = CassandraUploads(db)
        self.delivery = CassandraDelivery(db)
        self.courses = CassandraCourses(db)
        self.catalog = CassandraCatalogIndex(db, self.videos)
        self.analytics = CassandraAnalytics(db)
        self.sessions = CassandraSessions(db)
        self.tokens = CassandraTokens(db)
        self.throttle = CassandraThrottle(db)
        self.identities = CassandraIdentities(db)
        self.plans = CassandraPlans(db)
        self.memberships = CassandraMemberships(db)
        self.invites = CassandraInvites(db)
        self.stripe_events = CassandraStripeEvents(db)

    @classmethod
    async def open(cls, target: CassandraTarget, replication_factor: int) -> CassandraStore:
        db = await CassandraSession.connect(target)
        store = cls(db, replication_factor, target.local_dc)
        await db.use_keyspace()
        return store

    async def ping(self) -> None:
        await self._db.execute("SELECT release_version FROM system.local")

    async def migration_status(self) -> MigrationStatus:
        names = [m.name for m in load_migrations("cassandra")]
        if not await self._db.use_keyspace():
            return MigrationStatus(applied=[], pending=names)
        await self._db.ddl(_LEDGER)
        applied = sorted(row["name"] for row in await self._db.execute("SELECT name FROM schema_migrations"))
        return MigrationStatus(applied=applied, pending=[name for name in names if name not in applied])

    async def migrate(self) -> list[str]:
        await self._db.ddl(f"CREATE KEYSPACE IF NOT EXISTS {self._db.keyspace} WITH replication = {self._replication}")
        pending = set((await self.migration_status()).pending)
        done = []
        for migration in load_migrations("cassandra"):
            if migration.name in pending:
                for statement in migration.statements:
                    await self._db.ddl(statement)
                await self._db.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    (migration.name, utcnow()),
                    write=True,
                )
                done.append(migration.name)
        return done

    async def require_migrated(self) -> None:
        if (await self.migration_status()).pending:
            raise MigrationsPending("the Cassandra schema is not up to date")

    async def close(self) -> None:
        await self._db.close()
