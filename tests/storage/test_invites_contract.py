"""The invite codes and processed-webhook-events contract, run against every backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from streamer.storage.base import Store
from streamer.storage.memberships import InviteRecord
from streamer.storage.records import new_id, utcnow


def an_invite(max_uses: int = 1) -> InviteRecord:
    now = utcnow()
    return InviteRecord(
        code=new_id()[:12],
        plan_id="",
        days=30,
        max_uses=max_uses,
        uses=0,
        created_by="admin@example.org",
        created_at=now,
        expires_at=now + timedelta(days=7),
    )


async def test_an_invite_is_stored_once(store: Store) -> None:
    invite = an_invite()
    assert await store.invites.create(invite) is True
    assert await store.invites.create(invite) is False
    assert await store.invites.get(invite.code) == invite
    assert invite in await store.invites.list_all()
    assert await store.invites.get("no-such-code") is None


async def test_a_use_is_counted_only_from_the_current_count(store: Store) -> None:
    invite = an_invite(max_uses=3)
    await store.invites.create(invite)
    taken = await store.invites.take_use(invite)
    assert taken is not None
    assert taken.uses == 1
    assert await store.invites.take_use(invite) is None
    assert await store.invites.get(invite.code) == taken


async def test_of_ten_concurrent_uses_from_one_count_exactly_one_is_counted(store: Store) -> None:
    invite = an_invite(max_uses=10)
    await store.invites.create(invite)
    results = await asyncio.gather(*(store.invites.take_use(invite) for _ in range(10)))
    assert len([result for result in results if result is not None]) == 1
    stored = await store.invites.get(invite.code)
    assert stored is not None
    assert stored.uses == 1


async def test_a_user_redeems_a_code_once_until_the_claim_is_released(store: Store) -> None:
    code, user_id = new_id(), new_id()
    assert await store.invites.claim_redemption(code, user_id, utcnow()) is True
    assert await store.invites.claim_redemption(code, user_id, utcnow()) is False
    assert await store.invites.claim_redemption(code, new_id(), utcnow()) is True
    await store.invites.release_redemption(code, user_id)
    assert await store.invites.claim_redemption(code, user_id, utcnow()) is True


async def test_of_ten_concurrent_claims_of_one_webhook_event_exactly_one_wins(store: Store) -> None:
    event_id = f"evt_{new_id()}"
    results = await asyncio.gather(*(store.stripe_events.claim(event_id, "invoice.paid", utcnow()) for _ in range(10)))
    assert results.count(True) == 1
    assert await store.stripe_events.seen(event_id)


async def test_a_released_event_can_be_claimed_again(store: Store) -> None:
    event_id = f"evt_{new_id()}"
    assert await store.stripe_events.claim(event_id, "invoice.paid", utcnow())
    await store.stripe_events.release(event_id)
    assert not await store.stripe_events.seen(event_id)
    assert await store.stripe_events.claim(event_id, "invoice.paid", utcnow())
