"""The one-time tokens contract, run against every backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from streamer.storage.accounts import TokenRecord
from streamer.storage.base import Store
from streamer.storage.records import new_id, utcnow


def a_token(purpose: str = "reset", seconds: float = 600) -> TokenRecord:
    now = utcnow()
    return TokenRecord(
        token_hash=new_id() + new_id(),
        purpose=purpose,
        user_id=new_id(),
        data="ada@example.org",
        created_at=now,
        expires_at=now + timedelta(seconds=seconds),
    )


async def test_a_token_is_consumed_once(store: Store) -> None:
    token = a_token()
    await store.tokens.create(token)
    assert await store.tokens.get(token.token_hash) == token
    used = await store.tokens.consume(token.token_hash, "reset")
    assert used is not None
    assert (used.user_id, used.data, used.used) == (token.user_id, token.data, True)
    assert await store.tokens.consume(token.token_hash, "reset") is None


async def test_of_ten_concurrent_consumers_one_gets_the_token(store: Store) -> None:
    token = a_token()
    await store.tokens.create(token)
    results = await asyncio.gather(*(store.tokens.consume(token.token_hash, "reset") for _ in range(10)))
    assert len([result for result in results if result is not None]) == 1


async def test_a_token_of_another_purpose_or_unknown_is_not_consumed(store: Store) -> None:
    token = a_token("verify")
    await store.tokens.create(token)
    assert await store.tokens.consume(token.token_hash, "reset") is None
    assert await store.tokens.consume(new_id(), "verify") is None
    assert await store.tokens.consume(token.token_hash, "verify") is not None


async def test_an_expired_token_is_gone(store: Store) -> None:
    token = a_token(seconds=1)
    await store.tokens.create(token)
    await asyncio.sleep(1.2)
    assert await store.tokens.get(token.token_hash) is None
    assert await store.tokens.consume(token.token_hash, "reset") is None
