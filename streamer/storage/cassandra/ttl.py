from __future__ import annotations

import math
from datetime import datetime

from streamer.storage.records import utcnow


def ttl_until(moment: datetime) -> int:
    """Whole seconds from now until `moment`, at least 1 (Cassandra refuses a TTL of 0 as 'forever')."""
    return max(1, math.ceil((moment - utcnow()).total_seconds()))
