"""The delivery concern: the admin's overrides of delivery settings and the history of applied configs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class DeliveryConfigRecord:
    """One applied nginx config: who applied which overrides, and the checksum of what was rendered."""

    id: str
    created_at: datetime
    author: str
    overrides: str  # JSON object: setting name -> text
    checksum: str  # sha256 of the rendered nginx.conf
    note: str = ""


class DeliveryStore(Protocol):
    async def get_overrides(self) -> dict[str, str]:
        """The overrides in force (setting name -> text); empty when none were applied."""

    async def record_applied(self, overrides: Mapping[str, str], config: DeliveryConfigRecord) -> None:
        """Make `overrides` the ones in force (replacing all others) and add `config` to the history."""

    async def history(self, limit: int = 50) -> list[DeliveryConfigRecord]:
        """Applied configs, newest first."""

    async def get_config(self, config_id: str) -> DeliveryConfigRecord | None: ...
