"""Storage: one async interface per concern (see base.py), with SQLite and Cassandra backends."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.cassandra.session import CassandraTarget
from streamer.storage.errors import InvalidDatabaseUrl, MigrationsPending

_CASSANDRA_URL = re.compile(r"^cassandra://(?P<hosts>[^/:,]+(?:,[^/:,]+)*)(?::(?P<port>\d{1,5}))?/(?P<ks>\w+)$")


async def open_store(settings: Settings) -> Store:
    """Connect to the database named by STREAMER_DATABASE_URL (does not migrate).

    Raises InvalidDatabaseUrl or StoreUnavailable with a message fit for one line.
    """
    url = settings.effective_database_url
    if url.startswith("sqlite:///"):
        from streamer.storage.sqlite.store import SqliteStore

        return await SqliteStore.open(Path(unquote(url.removeprefix("sqlite:///"))))
    if url.startswith("cassandra://"):
        from streamer.storage.cassandra.store import CassandraStore

        return await CassandraStore.open(cassandra_target(url, settings), settings.cassandra_replication_factor)
    raise InvalidDatabaseUrl(f"STREAMER_DATABASE_URL: unsupported scheme in {url!r}; use sqlite:/// or cassandra://")


async def open_migrated_store(settings: Settings) -> Store:
    """Like open_store, but raises MigrationsPending when `streamer db migrate` has work left."""
    store = await open_store(settings)
    status = await store.migration_status()
    if status.pending:
        await store.close()
        raise MigrationsPending(
            f"the database is missing {len(status.pending)} migration(s) ({', '.join(status.pending)}); "
            "run `streamer db migrate`"
        )
    return store


def cassandra_target(url: str, settings: Settings) -> CassandraTarget:
    match = _CASSANDRA_URL.match(url)
    if not match:
        raise InvalidDatabaseUrl(
            f"STREAMER_DATABASE_URL: {url!r} is not of the form cassandra://host1,host2:9042/keyspace"
        )
    port = int(match["port"] or 9042)
    if not 0 < port < 65536:
        raise InvalidDatabaseUrl(f"STREAMER_DATABASE_URL: port {port} is out of range")
    return CassandraTarget(
        hosts=match["hosts"].split(","),
        port=port,
        keyspace=match["ks"],
        local_dc=settings.cassandra_local_dc,
        read_consistency=settings.cassandra_read_consistency,
        write_consistency=settings.cassandra_write_consistency,
        connect_timeout=settings.cassandra_connect_timeout,
        request_timeout=settings.cassandra_request_timeout,
    )


__all__ = ["MigrationsPending", "Store", "open_migrated_store", "open_store"]
