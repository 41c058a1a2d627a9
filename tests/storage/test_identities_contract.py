"""The OIDC identity links contract, run against every backend."""

from __future__ import annotations

import asyncio

from streamer.storage.accounts import IdentityRecord
from streamer.storage.base import Store
from streamer.storage.records import new_id, utcnow


async def test_an_identity_links_to_one_user_only(store: Store) -> None:
    subject = new_id()
    first = IdentityRecord("http://issuer.test/default", subject, new_id(), utcnow())
    assert await store.identities.link(first)
    assert not await store.identities.link(IdentityRecord(first.issuer, subject, new_id(), utcnow()))
    assert await store.identities.find(first.issuer, subject) == first
    assert await store.identities.find("http://other.test", subject) is None


async def test_of_concurrent_links_of_one_identity_one_wins(store: Store) -> None:
    subject = new_id()
    links = [IdentityRecord("http://issuer.test/default", subject, new_id(), utcnow()) for _ in range(8)]
    results = await asyncio.gather(*(store.identities.link(link) for link in links))
    assert sum(results) == 1
