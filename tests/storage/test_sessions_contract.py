"""The sessions contract, run against every backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from streamer.storage.accounts import SessionRecord
from streamer.storage.base import Store
from streamer.storage.records import new_id, utcnow


def a_session(user_id: str = "", *, idle: float = 3600, absolute: float = 7200) -> SessionRecord:
    now = utcnow()
    return SessionRecord(
        token_hash=new_id() + new_id(),
        user_id=user_id or new_id(),
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(seconds=idle),
        absolute_expires_at=now + timedelta(seconds=absolute),
        remember=False,
    )


async def test_a_created_session_is_found_by_its_hash(store: Store) -> None:
    session = a_session()
    await store.sessions.create(session)
    assert await store.sessions.get(session.token_hash) == session
    assert await store.sessions.get(new_id()) is None


async def test_touch_moves_last_seen_and_expiry(store: Store) -> None:
    session = a_session()
    await store.sessions.create(session)
    later = replace(
        session,
        last_seen_at=session.last_seen_at + timedelta(seconds=30),
        expires_at=session.expires_at + timedelta(seconds=30),
    )
    await store.sessions.touch(later)
    assert await store.sessions.get(session.token_hash) == later


async def test_a_deleted_session_stays_gone_even_when_touched_afterwards(store: Store) -> None:
    session = a_session()
    await store.sessions.create(session)
    await store.sessions.delete(session.token_hash)
    await store.sessions.touch(replace(session, last_seen_at=utcnow()))
    assert await store.sessions.get(session.token_hash) is None
    assert await store.sessions.list_for_user(session.user_id) == []


async def test_a_session_past_its_expiry_is_gone(store: Store) -> None:
    session = a_session(idle=-1)
    await store.sessions.create(session)
    assert await store.sessions.get(session.token_hash) is None


async def test_delete_for_user_keeps_only_the_named_session(store: Store) -> None:
    user_id = new_id()
    sessions = [a_session(user_id) for _ in range(3)]
    other = a_session()
    for session in [*sessions, other]:
        await store.sessions.create(session)
    assert len(await store.sessions.list_for_user(user_id)) == 3
    assert await store.sessions.delete_for_user(user_id, keep=sessions[1].token_hash) == 2
    assert await store.sessions.list_for_user(user_id) == [sessions[1]]
    assert await store.sessions.get(other.token_hash) == other
    assert await store.sessions.delete_for_user(user_id) == 1
    assert await store.sessions.get(sessions[1].token_hash) is None
