"""Counting the statements a store sends to its database, to pin how many round trips a request costs.

`count_round_trips(store)` wraps the store's one connection (SQLite `Database`, or `CassandraSession`) for the
length of a `with` block: every statement that reaches the database is one round trip, recorded with its
text. Statement preparation on Cassandra is cached per process and not counted.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from streamer.storage.base import Store

# The methods of each backend's connection through which every statement passes (fetch_one and
# execute_lwt call through fetch_all and _start, so they are counted once).
_ENTRY_POINTS = {
    "Database": ("fetch_all", "execute", "execute_many", "transaction", "transaction_many"),
    "CassandraSession": ("_start", "execute_unlogged_batch", "ddl"),
}


def backend_of(store: Store) -> str:
    """The backend: sqlite or cassandra."""
    return "cassandra" if type(store._db).__name__ == "CassandraSession" else "sqlite"  # type: ignore[attr-defined]


@dataclass
class RoundTrips:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()

    def __str__(self) -> str:
        return f"{self.count} round trips:\n" + "\n".join(f"  {text[:140]}" for text in self.statements)


def _counting(method: Callable[..., Any], trips: RoundTrips) -> Callable[..., Any]:
    @functools.wraps(method)
    async def counted(*args: Any, **kwargs: Any) -> Any:
        trips.statements.append(" ".join(str(args[0]).split()) if args else method.__name__)
        return await method(*args, **kwargs)

    return counted


@contextmanager
def count_round_trips(store: Store) -> Iterator[RoundTrips]:
    db = store._db  # type: ignore[attr-defined]
    names = _ENTRY_POINTS[type(db).__name__]
    trips = RoundTrips()
    for name in names:
        setattr(db, name, _counting(getattr(db, name), trips))
    try:
        yield trips
    finally:
        for name in names:
            delattr(db, name)
