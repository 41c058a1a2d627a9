"""Records and store protocols for memberships: plans, memberships, invite codes, processed Stripe events.

Every write to a membership row or an invite row is a compare-and-set (a `version` or `uses` check; an LWT on
Cassandra), so concurrent webhook deliveries and concurrent redemptions never lose an update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class MembershipSource(StrEnum):
    STRIPE = "stripe"
    GRANT = "grant"
    INVITE = "invite"


class MembershipStatus(StrEnum):
    PENDING = "pending"  # a Stripe subscription that is not paid yet (incomplete)
    ACTIVE = "active"
    PAST_DUE = "past_due"  # a renewal payment failed; access lasts for the grace period
    UNPAID = "unpaid"  # Stripe gave up retrying or paused the subscription; it can still be paid
    CANCELED = "canceled"  # the Stripe subscription ended; terminal
    REVOKED = "revoked"  # an admin ended a grant or invite membership


@dataclass(frozen=True)
class PlanRecord:
    id: str
    name: str
    amount: int  # in the currency's smallest unit (cents)
    currency: str
    interval: str  # "month" or "year"
    video_ids: tuple[str, ...]  # empty: every video
    active: bool
    created_at: datetime
    stripe_price_id: str = ""  # a Price made in the Stripe dashboard; empty: Checkout gets inline price data


@dataclass(frozen=True)
class MembershipRecord:
    """One source of access for one user. A Stripe membership's id is its subscription id."""

    id: str
    user_id: str  # empty while a Stripe event arrived before the one naming the user
    source: MembershipSource
    plan_id: str  # empty: every video
    status: MembershipStatus
    created_at: datetime
    updated_at: datetime
    version: int
    expires_at: datetime | None = None  # grants and invites: end of access; Stripe: end of the current period
    status_at: datetime | None = None  # Stripe: `created` time of the event that set `status`
    past_due_since: datetime | None = None
    stripe_customer_id: str = ""
    note: str = ""  # who granted it, or the invite code


@dataclass(frozen=True)
class InviteRecord:
    code: str
    plan_id: str
    days: int  # length of the membership a redemption gives
    max_uses: int
    uses: int
    created_by: str
    created_at: datetime
    expires_at: datetime | None = None  # after this the code can no longer be redeemed


class PlanStore(Protocol):
    async def create(self, plan: PlanRecord) -> None: ...

    async def get(self, plan_id: str) -> PlanRecord | None: ...

    async def list_all(self, limit: int = 200) -> list[PlanRecord]:
        """Oldest first."""

    async def set_active(self, plan_id: str, active: bool) -> PlanRecord:
        """Offer or withdraw a plan. Raises NotFound."""


class MembershipStore(Protocol):
    async def create(self, membership: MembershipRecord) -> bool:
        """Store a new membership; False (and nothing written) when one with this id exists."""

    async def get(self, membership_id: str) -> MembershipRecord | None: ...

    async def for_user(self, user_id: str) -> list[MembershipRecord]: ...

    async def list_all(self, limit: int = 1000) -> list[MembershipRecord]: ...

    async def swap(self, current: MembershipRecord, wanted: MembershipRecord) -> MembershipRecord | None:
        """Write `wanted` only if the row is still at `current.version`; None when another writer won."""


class InviteStore(Protocol):
    async def create(self, invite: InviteRecord) -> bool:
        """False (and nothing written) when the code exists."""

    async def get(self, code: str) -> InviteRecord | None: ...

    async def list_all(self, limit: int = 500) -> list[InviteRecord]: ...

    async def take_use(self, invite: InviteRecord) -> InviteRecord | None:
        """Count one use if the code is still at `invite.uses`; None when another redemption won."""

    async def claim_redemption(self, code: str, user_id: str, at: datetime) -> bool:
        """Record that `user_id` redeemed `code`; False when they already had."""

    async def release_redemption(self, code: str, user_id: str) -> None: ...


class StripeEventStore(Protocol):
    async def claim(self, event_id: str, kind: str, at: datetime) -> bool:
        """Mark a webhook event as processed; of any number of concurrent claims exactly one is True."""

    async def release(self, event_id: str) -> None:
        """Forget a claim whose processing failed, so Stripe's retry is processed."""

    async def seen(self, event_id: str) -> bool: ...
