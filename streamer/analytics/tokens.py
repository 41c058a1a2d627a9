"""View tokens: issued with the watch page, they name one view of one video by one viewer and are the only
credential a heartbeat carries (no cookie), so /api/heartbeat needs no CSRF token.

Format: base64url(JSON [view_id, video_id, user_id, issued_ms, duration_ms]) "." base64url(HMAC-SHA256)[:16 bytes],
keyed by a key derived from the secret key in this module's own namespace.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from streamer.analytics.errors import InvalidBeat

NAMESPACE = b"streamer.analytics.view-token.v1"


@dataclass(frozen=True)
class ViewClaims:
    view_id: str
    video_id: str
    user_id: str
    issued_ms: int
    duration_ms: int

    @property
    def issued_at(self) -> datetime:
        return datetime.fromtimestamp(self.issued_ms / 1000, UTC)

    @property
    def duration(self) -> float:
        """The video's duration as the server knew it (0: unknown)."""
        return self.duration_ms / 1000


def view_key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), NAMESPACE, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest()[:16])


def issue_view_token(key: bytes, claims: ViewClaims) -> str:
    fields = [claims.view_id, claims.video_id, claims.user_id, claims.issued_ms, claims.duration_ms]
    payload = _b64(json.dumps(fields, separators=(",", ":")).encode())
    return f"{payload}.{_signature(key, payload)}"


def verify_view_token(key: bytes, token: str, now_ms: int, lifetime_ms: int) -> ViewClaims:
    """The claims of a token this server signed and that has not expired. Raises InvalidBeat."""
    payload, _, signature = token.partition(".")
    if not hmac.compare_digest(signature.encode(), _signature(key, payload).encode()):
        raise InvalidBeat("the view token is not valid")
    view_id, video_id, user_id, issued_ms, duration_ms = json.loads(_unb64(payload))
    claims = ViewClaims(str(view_id), str(video_id), str(user_id), int(issued_ms), int(duration_ms))
    if now_ms > claims.issued_ms + lifetime_ms:
        raise InvalidBeat("the view token has expired; reload the page")
    return claims


class TokenVerifier:
    """verify_view_token with a memory of the tokens whose signature already checked out: every beat of a view
    carries the same token, so the HMAC and decoding run once per view (per process), not once per beat.
    Expiry is checked on every call. Forgets the least recently used tokens beyond `capacity`."""

    def __init__(self, key: bytes, capacity: int = 100_000) -> None:
        self._key = key
        self._capacity = capacity
        self._known: OrderedDict[str, ViewClaims] = OrderedDict()

    def verify(self, token: str, now_ms: int, lifetime_ms: int) -> ViewClaims:
        """As verify_view_token. Raises InvalidBeat."""
        claims = self._known.get(token)
        if claims is None:
            claims = verify_view_token(self._key, token, now_ms, lifetime_ms)
            self._known[token] = claims
            if len(self._known) > self._capacity:
                self._known.popitem(last=False)
        else:
            self._known.move_to_end(token)
            if now_ms > claims.issued_ms + lifetime_ms:
                raise InvalidBeat("the view token has expired; reload the page")
        return claims
