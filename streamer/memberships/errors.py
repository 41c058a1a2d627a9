"""Membership errors. None of them knows about HTTP; streamer/web/memberships.py maps them."""

from __future__ import annotations


class MembershipError(Exception):
    """Base class; the message is fit to show the person who caused it."""


class InvalidPlan(MembershipError):
    """A plan's name, price, currency or interval cannot be used."""


class PlanNotFound(MembershipError):
    """No offered plan has this id."""


class UnknownMember(MembershipError):
    """No user has this email address."""


class InvalidGrant(MembershipError):
    """A grant or invite asks for an impossible length or number of uses."""


class InviteNotFound(MembershipError):
    """No invite code like this exists."""


class InviteUnusable(MembershipError):
    """The invite code expired, was used up, or this user already redeemed it."""


class MembershipBusy(MembershipError):
    """Too many concurrent writers kept changing one membership; the caller may retry."""


class PaymentsNotConfigured(MembershipError):
    """Stripe keys are not set, so online payments are off."""


class PaymentProviderError(MembershipError):
    """Stripe refused or could not be reached."""


class NoBillingAccount(MembershipError):
    """The user has never subscribed through Stripe, so there is nothing to manage."""


class InvalidWebhook(MembershipError):
    """A webhook delivery's signature, timestamp or body is not acceptable; nothing was changed."""


class MalformedEvent(InvalidWebhook):
    """A correctly signed body that is not a Stripe event we can read."""
