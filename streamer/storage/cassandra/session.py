"""cassandra-driver bridged into asyncio: the driver's callbacks resolve asyncio futures, so no query
ever blocks the event loop. Statements are prepared once and cached."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cassandra import ConsistencyLevel, CoordinationFailure, OperationTimedOut, Timeout, Unavailable
from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile, NoHostAvailable, ResponseFuture, Session
from cassandra.connection import ConnectionException
from cassandra.policies import DCAwareRoundRobinPolicy, TokenAwarePolicy
from cassandra.query import BatchStatement, BatchType, PreparedStatement, dict_factory

from streamer.storage.errors import StoreUnavailable

log = logging.getLogger(__name__)
Row = dict[str, Any]
UNAVAILABLE = (
    NoHostAvailable,
    Unavailable,
    Timeout,
    OperationTimedOut,
    CoordinationFailure,
    ConnectionException,
    OSError,
)


@dataclass(frozen=True)
class CassandraTarget:
    hosts: list[str]
    port: int
    keyspace: str
    local_dc: str
    read_consistency: str
    write_consistency: str
    connect_timeout: float
    request_timeout: float


class _QuietKeyspaceWarning(logging.Filter):
    """Cassandra 5 warns on every prepared statement once a session has a keyspace; tables here are
    deliberately unqualified so one code path serves any keyspace."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "USE <keyspace>" not in record.getMessage()


logging.getLogger("cassandra.protocol").addFilter(_QuietKeyspaceWarning())


def aware(value: datetime | None) -> datetime | None:
    """The driver hands back naive UTC datetimes."""
    return None if value is None else value.replace(tzinfo=UTC)


class CassandraSession:
    def __init__(self, cluster: Cluster, session: Session, target: CassandraTarget) -> None:
        self._cluster = cluster
        self._session = session
        self._read = ConsistencyLevel.name_to_value[target.read_consistency.upper()]
        self._write = ConsistencyLevel.name_to_value[target.write_consistency.upper()]
        self._prepared: dict[str, PreparedStatement] = {}
        self.keyspace = target.keyspace

    @classmethod
    async def connect(cls, target: CassandraTarget) -> CassandraSession:
        profile = ExecutionProfile(
            load_balancing_policy=TokenAwarePolicy(DCAwareRoundRobinPolicy(local_dc=target.local_dc)),
            request_timeout=target.request_timeout,
            row_factory=dict_factory,
        )
        cluster = Cluster(
            target.hosts,
            port=target.port,
            connect_timeout=target.connect_timeout,
            execution_profiles={EXEC_PROFILE_DEFAULT: profile},
            protocol_version=5,
        )
        try:
            session = await asyncio.to_thread(cluster.connect)
        except UNAVAILABLE as error:
            cluster.shutdown()
            where = ", ".join(f"{host}:{target.port}" for host in target.hosts)
            raise StoreUnavailable(f"cannot reach Cassandra at {where}: {_reason(error)}") from None
        return cls(cluster, session, target)

    async def use_keyspace(self) -> bool:
        """Switch to the configured keyspace; False when it does not exist yet."""
        rows = await self.execute(
            "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?", (self.keyspace,)
        )
        if not rows:
            return False
        await asyncio.to_thread(self._session.set_keyspace, self.keyspace)
        return True

    async def execute(self, cql: str, params: Sequence[Any] = (), *, write: bool = False) -> list[Row]:
        future = await self._start(cql, params, write=write, fetch_size=None, paging_state=None)
        return list(future.result().current_rows)

    async def execute_lwt(self, cql: str, params: Sequence[Any] = ()) -> bool:
        """Run a lightweight transaction (`IF …`); True when it was applied."""
        rows = await self.execute(cql, params, write=True)
        return bool(rows and rows[0].get("[applied]"))

    async def page(
        self, cql: str, params: Sequence[Any], page_size: int, paging_state: bytes | None
    ) -> tuple[list[Row], bytes | None]:
        """One page and the opaque state that fetches the next (None at the end)."""
        future = await self._start(cql, params, write=False, fetch_size=page_size, paging_state=paging_state)
        result = future.result()
        return list(result.current_rows), result.paging_state

    async def execute_unlogged_batch(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Write statements as one unlogged batch: one request, no batch log; atomic within each partition only.
        Across partitions keep it small (see beat_writes): Cassandra warns past 10 partitions or 5 KiB, and
        refuses past 50 KiB. A warning Cassandra sends back is logged here."""
        batch = BatchStatement(batch_type=BatchType.UNLOGGED, consistency_level=self._write)
        prepared = {cql: await self._prepare(cql) for cql in {cql for cql, _ in statements}}
        for cql, params in statements:
            batch.add(prepared[cql].bind(params))
        done = await self._await(self._session.execute_async(batch))
        for warning in done.warnings or ():
            log.warning("Cassandra warned about a batch of %d statements: %s", len(statements), warning)

    async def ddl(self, cql: str) -> None:
        await self._await(self._session.execute_async(cql, timeout=120))

    async def close(self) -> None:
        await asyncio.to_thread(self._cluster.shutdown)

    async def _start(
        self, cql: str, params: Sequence[Any], *, write: bool, fetch_size: int | None, paging_state: bytes | None
    ) -> ResponseFuture:
        statement = (await self._prepare(cql)).bind(list(params))
        statement.consistency_level = self._write if write else self._read
        statement.serial_consistency_level = ConsistencyLevel.LOCAL_SERIAL
        statement.fetch_size = fetch_size
        return await self._await(self._session.execute_async(statement, paging_state=paging_state))

    async def _prepare(self, cql: str) -> PreparedStatement:
        if cql not in self._prepared:
            try:
                self._prepared[cql] = await asyncio.to_thread(self._session.prepare, cql)
            except UNAVAILABLE as error:
                raise StoreUnavailable(f"Cassandra did not answer: {_reason(error)}") from None
        return self._prepared[cql]

    async def _await(self, future: ResponseFuture) -> ResponseFuture:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[ResponseFuture] = loop.create_future()

        def settle(_: object) -> None:
            loop.call_soon_threadsafe(_resolve, done, future)

        future.add_callbacks(settle, settle)
        await done
        try:
            future.result()
        except UNAVAILABLE as error:
            raise StoreUnavailable(f"Cassandra did not answer: {_reason(error)}") from None
        return future


def _resolve(done: asyncio.Future[ResponseFuture], future: ResponseFuture) -> None:
    if not done.done():
        done.set_result(future)


def _reason(error: BaseException) -> str:
    if isinstance(error, NoHostAvailable) and error.errors:
        first = next(iter(error.errors.values()))
        return str(first) or type(first).__name__
    return str(error) or type(error).__name__
