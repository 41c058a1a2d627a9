"""The delivery settings in force for the app: Settings overlaid with the store's overrides, re-read briefly.

Every app process signs links with these, so a change applied by an admin (possibly on another node) reaches
all of them within `max_age` seconds; the process that applied it sees it at once.
"""

from __future__ import annotations

import time

from streamer.delivery.tunables import effective
from streamer.settings import Settings
from streamer.storage.base import Store

MAX_AGE = 5.0


class EffectiveSettings:
    def __init__(self, settings: Settings, store: Store, max_age: float = MAX_AGE) -> None:
        self._settings = settings
        self._store = store
        self._max_age = max_age
        self._cached: Settings | None = None
        self._read_at = 0.0

    async def get(self) -> Settings:
        """Raises StoreUnavailable. Overrides that no longer validate (an older version's) are ignored."""
        if self._cached is None or time.monotonic() - self._read_at > self._max_age:
            overrides = await self._store.delivery.get_overrides()
            self._cached = _overlay(self._settings, overrides)
            self._read_at = time.monotonic()
        return self._cached

    def invalidate(self) -> None:
        self._cached = None


def _overlay(settings: Settings, overrides: dict[str, str]) -> Settings:
    try:
        return effective(settings, overrides)
    except ValueError:
        return settings
