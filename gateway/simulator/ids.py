"""Realistic, deterministic ids: a per-prefix counter hashed into base62 characters."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Final

_ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#: Maps every byte value to one alphabet character (value mod 62), for `bytes.translate`.
_TABLE: Final = bytes(ord(_ALPHABET[i % len(_ALPHABET)]) for i in range(256))
MAX_LENGTH: Final = 32


class IdFactory:
    """Makes ids such as `msg_01…`, `toolu_01…`, `req_01…`, `chatcmpl-…`, `call_…`.

    The n-th id with a prefix is the same in every run: the bytes of sha256(`<prefix>:<n>`), each
    mapped to a base62 character.
    """

    def __init__(self) -> None:
        self._counters: Counter[str] = Counter()

    def make(self, prefix: str, length: int = 24) -> str:
        """The next id with `prefix` and `length` (at most 32) base62 characters after it."""
        if not 0 < length <= MAX_LENGTH:
            raise ValueError(f"length: must be from 1 to {MAX_LENGTH}")
        self._counters[prefix] += 1
        digest = hashlib.sha256(f"{prefix}:{self._counters[prefix]}".encode()).digest()
        return prefix + digest[:length].translate(_TABLE).decode()

    def uuid(self) -> str:
        """The next deterministic UUID-formatted id (Cohere's response ids)."""
        self._counters["uuid"] += 1
        digest = hashlib.sha256(f"uuid:{self._counters['uuid']}".encode()).hexdigest()
        return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-a{digest[17:20]}-{digest[20:32]}"
