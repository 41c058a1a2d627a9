"""Password policy (NIST SP 800-63B, ASVS 5) and argon2id hashing.

Policy: at least `min_length` characters (a setting, 8 or more), up to MAX_LENGTH accepted and never truncated,
no composition rules; refused when it is on the breached-password list shipped by the zxcvbn package (30,000
passwords from leaked corpora) or when zxcvbn estimates fewer than a million guesses (dictionary words, keyboard
patterns, repeats, the user's own name or address). Unicode is NFKC-normalised before it is measured or hashed.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from streamer.accounts.errors import WeakPassword

MAX_LENGTH = 1024  # NIST asks to accept at least 64, ASVS at least 128; the cap only bounds hashing work
MIN_GUESSES_SCORE = 2  # zxcvbn score 2: at least 10^6 guesses
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the estimate of a prefix is a lower bound, which is what we want
BREACHED = frozenset(FREQUENCY_LISTS["passwords"])
UNUSABLE = "!"  # prefix of a password hash no password matches (accounts that sign in through a provider)


def normalise_password(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    max_length: int = MAX_LENGTH

    def check(self, password: str, context: Sequence[str] = ()) -> None:
        """Raises WeakPassword saying what to change; `context` are the user's own words (name, address)."""
        text = normalise_password(password)
        if len(text) < self.min_length:
            raise WeakPassword(f"Use at least {self.min_length} characters.")
        if len(text) > self.max_length:
            raise WeakPassword(f"Use at most {self.max_length} characters.")
        if text.lower() in BREACHED:
            raise WeakPassword("This password appears in lists of leaked passwords. Please choose another.")
        estimate = zxcvbn(text[:_ZXCVBN_MAX], user_inputs=_words(context))
        if estimate["score"] < MIN_GUESSES_SCORE:
            hint = estimate["feedback"].get("warning") or "It is too easy to guess."
            raise WeakPassword(f"{hint.rstrip('.')}. A few unrelated words make a strong password.")


def _words(context: Sequence[str]) -> list[str]:
    """Each context string and its parts: `Ada Lovelace`, `ada`, `lovelace`; `ada.l@example.org`, `ada`, …"""
    words = {piece.lower() for text in context for piece in [text, *re.split(r"[^\w]+", text)] if len(piece) >= 3}
    return sorted(words)


class Hasher:
    """argon2id via argon2-cffi. Hashing runs in a worker thread so the event loop keeps serving."""

    def __init__(self, memory_kib: int, time_cost: int, parallelism: int) -> None:
        self._argon2 = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._argon2.hash, normalise_password(password))

    async def verify(self, stored_hash: str, password: str) -> bool:
        """True when `password` matches. An unusable or unreadable hash costs the same time and is False."""
        if not stored_hash.startswith("$argon2"):
            await self.burn(password)
            return False
        return await asyncio.to_thread(self._verify, stored_hash, normalise_password(password))

    async def burn(self, password: str) -> None:
        """Spend the time one verification takes, so unknown users answer as slowly as known ones."""
        await asyncio.to_thread(lambda: self._verify(self._dummy, normalise_password(password)))

    def needs_rehash(self, stored_hash: str) -> bool:
        return stored_hash.startswith("$argon2") and self._argon2.check_needs_rehash(stored_hash)

    @cached_property
    def _dummy(self) -> str:
        return self._argon2.hash("not a password anyone has")

    def _verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
