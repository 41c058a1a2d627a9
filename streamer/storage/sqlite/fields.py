from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from streamer.storage.base import require_known_fields
from streamer.storage.sqlite.connection import to_epoch


def sql_value(value: object) -> Any:
    if isinstance(value, datetime):
        return to_epoch(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, tuple | list):
        return json.dumps(list(value))
    return value


def assignments(changes: Mapping[str, object], allowed: frozenset[str]) -> tuple[str, list[Any]]:
    """`col = ?, …` and its parameters. Raises ValueError for a field that may not be changed."""
    names = require_known_fields(changes, allowed)
    return ", ".join(f"{name} = ?" for name in names), [sql_value(changes[name]) for name in names]
