"""Errors raised by every store backend. None of them knows about HTTP."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for storage failures."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (a Cassandra node went away, a file is unreadable)."""


class InvalidDatabaseUrl(StoreError):
    """STREAMER_DATABASE_URL cannot be parsed."""


class MigrationsPending(StoreError):
    """The schema is behind the code; `streamer db migrate` applies what is missing."""


class NotFound(StoreError):
    """The record asked for does not exist."""


class EmailTaken(StoreError):
    """Another user already has this email address (compared case-insensitively)."""
