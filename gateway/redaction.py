"""Keeping credentials out of what the gateway shows: `/config` and relayed upstream replies.

`is_credential_header` decides which header values `GET /config` masks. `Redactor` replaces the
credential values the gateway injected into an upstream request wherever the upstream echoes
them back (an error body quoting the key, a header, a stream event), so a client never receives
the gateway's own credentials.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

__all__ = ["MASK", "Redactor", "is_credential_header"]

MASK: Final = "***"
_CREDENTIAL_NAMES: Final = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key", "cookie"}
)
_CREDENTIAL_PARTS: Final = ("key", "token", "secret", "password", "credential")
_MIN_SECRET: Final = 4  # shorter values would mask ordinary text
_SCHEMES: Final = ("Bearer ", "Basic ")


def is_credential_header(name: str) -> bool:
    """Whether a header's value is a credential (by name: authorization, *key*, *token*, ...)."""
    lowered = name.lower()
    return lowered in _CREDENTIAL_NAMES or any(part in lowered for part in _CREDENTIAL_PARTS)


class Redactor:
    """Masks given secret values in bytes; `feed`/`flush` do the same across a stream's chunks."""

    __slots__ = ("_held", "_secrets")

    def __init__(self, values: Iterable[str]) -> None:
        secrets: set[bytes] = set()
        for value in values:
            for scheme in _SCHEMES:
                if value.startswith(scheme):
                    value = value[len(scheme) :]
            if len(value.strip()) >= _MIN_SECRET:
                secrets.add(value.strip().encode())
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted(secrets, key=len, reverse=True)
        self._held = b""

    def __bool__(self) -> bool:
        return bool(self._secrets)

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secret(s))"

    def redact(self, data: bytes) -> bytes:
        """`data` with every secret replaced by `***`."""
        for secret in self._secrets:
            if secret in data:
                data = data.replace(secret, MASK.encode())
        return data

    def feed(self, chunk: bytes) -> bytes:
        """The redacted part of a stream that is safe to send: a tail that could be the start of
        a secret split across chunks is held back until the next chunk (or `flush`)."""
        if not self._secrets:
            return chunk
        data = self.redact(self._held + chunk)
        hold = self._partial_tail(data)
        self._held = data[len(data) - hold :] if hold else b""
        return data[: len(data) - hold]

    def flush(self) -> bytes:
        """Whatever `feed` held back, at the end of the stream."""
        held, self._held = self._held, b""
        return held

    def _partial_tail(self, data: bytes) -> int:
        longest = 0
        for secret in self._secrets:
            for size in range(min(len(secret) - 1, len(data)), longest, -1):
                if data.endswith(secret[:size]):
                    longest = size
                    break
        return longest
