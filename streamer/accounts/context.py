"""Everything the accounts functions need, built once per app (or CLI run) and passed explicitly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from streamer.accounts.mail import Mailer, mailer_for
from streamer.accounts.passwords import Hasher, PasswordPolicy
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.records import utcnow


@dataclass
class Accounts:
    store: Store
    settings: Settings
    mailer: Mailer
    hasher: Hasher
    policy: PasswordPolicy
    clock: Callable[[], datetime] = field(default=utcnow)

    @classmethod
    def build(cls, store: Store, settings: Settings, mailer: Mailer | None = None) -> Accounts:
        hasher = Hasher(
            settings.password_hash_memory_kib, settings.password_hash_time_cost, settings.password_hash_parallelism
        )
        return cls(
            store=store,
            settings=settings,
            mailer=mailer or mailer_for(settings),
            hasher=hasher,
            policy=PasswordPolicy(min_length=settings.password_min_length),
        )

    def link(self, path: str) -> str:
        """An absolute link for mails, always from STREAMER_PUBLIC_URL, never from a request's Host header."""
        return self.settings.public_url.rstrip("/") + path
