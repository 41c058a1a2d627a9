"""Why a heartbeat was refused. No HTTP here: streamer/web/analytics.py maps each to a status."""

from __future__ import annotations


class AnalyticsError(Exception):
    """Base class of the analytics domain errors."""


class InvalidBeat(AnalyticsError):
    """The heartbeat is malformed, implausible or carries a bad view token; the message says which rule."""


class RateLimited(AnalyticsError):
    """Too many heartbeats from one view or one address; the sender may try again later."""


class IngestUnavailable(AnalyticsError):
    """The beat could not be stored durably (the store failed, the queue is full, or the server is stopping).
    Nothing was acknowledged; the player sends its running totals again with the next beat."""
