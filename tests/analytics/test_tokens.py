from __future__ import annotations

import time

import pytest

from streamer.analytics.errors import InvalidBeat
from streamer.analytics.tokens import TokenVerifier, issue_view_token, verify_view_token, view_key
from tests.analytics.beats import KEY, claims_for

HOUR_MS = 3600 * 1000


def now_ms() -> int:
    return int(time.time() * 1000)


def test_a_token_gives_back_its_claims() -> None:
    claims = claims_for("video-1", "user-1", duration=61.5)
    verified = verify_view_token(KEY, issue_view_token(KEY, claims), now_ms(), HOUR_MS)
    assert verified == claims
    assert verified.duration == 61.5


def test_a_changed_token_is_refused() -> None:
    token = issue_view_token(KEY, claims_for())
    payload, _, signature = token.partition(".")
    forged = issue_view_token(KEY, claims_for()).partition(".")[0]
    for bad in (f"{forged}.{signature}", f"{payload}.{signature[:-2]}AA", payload, "", "a.b.c"):
        with pytest.raises(InvalidBeat, match="not valid"):
            verify_view_token(KEY, bad, now_ms(), HOUR_MS)


def test_a_token_expires_after_its_lifetime() -> None:
    token = issue_view_token(KEY, claims_for(age=7200))
    with pytest.raises(InvalidBeat, match="expired"):
        verify_view_token(KEY, token, now_ms(), HOUR_MS)


def test_view_tokens_have_their_own_key_namespace() -> None:
    secret = "s" * 32
    assert view_key(secret) != secret.encode()
    assert view_key(secret) != view_key("t" * 32)
    with pytest.raises(InvalidBeat):
        verify_view_token(view_key(secret), issue_view_token(KEY, claims_for()), now_ms(), HOUR_MS)


def test_the_remembering_verifier_refuses_what_verify_refuses_and_still_expires() -> None:
    verifier = TokenVerifier(KEY, capacity=2)
    claims = claims_for(age=1800)
    token = issue_view_token(KEY, claims)
    assert verifier.verify(token, now_ms(), HOUR_MS) == claims
    assert verifier.verify(token, now_ms(), HOUR_MS) == claims  # remembered
    with pytest.raises(InvalidBeat, match="expired"):
        verifier.verify(token, now_ms() + HOUR_MS, HOUR_MS)  # a remembered token expires all the same
    payload, _, signature = token.partition(".")
    with pytest.raises(InvalidBeat, match="not valid"):
        verifier.verify(f"{payload}.{signature[:-2]}AA", now_ms(), HOUR_MS)
    for _ in range(3):  # past its capacity it forgets, and verifies again
        other = claims_for()
        assert verifier.verify(issue_view_token(KEY, other), now_ms(), HOUR_MS) == other
    assert verifier.verify(token, now_ms(), HOUR_MS) == claims
