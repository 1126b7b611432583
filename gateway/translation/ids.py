"""Deterministic sanitisation of tool ids and names, with the reverse map for responses."""

from __future__ import annotations

import re

__all__ = ["NameMap"]

_INVALID = re.compile(r"[^a-zA-Z0-9_-]")


class NameMap:
    """Maps client names to names matching `^[a-zA-Z0-9_-]{1,max_len}$`, and back.

    Invalid characters become `_`; a sanitised name that collides with another client name
    gets a numeric suffix. The same client name always maps to the same backend name. Suffixes
    continue from the last one tried for the same base, so mapping n names costs O(n) even when
    they all sanitise to the same base.
    """

    __slots__ = ("_back", "_forward", "_max_len", "_next_suffix")

    def __init__(self, max_len: int | None = None) -> None:
        self._max_len = max_len
        self._forward: dict[str, str] = {}
        self._back: dict[str, str] = {}
        self._next_suffix: dict[str, int] = {}

    def to_backend(self, name: str) -> str:
        """The backend-safe name for a client name (allocated on first use)."""
        known = self._forward.get(name)
        if known is not None:
            return known
        base = _INVALID.sub("_", name) or "_"
        candidate = self._truncate(base, "")
        if candidate in self._back:
            counter = self._next_suffix.get(base, 2)
            candidate = self._truncate(base, f"_{counter}")
            while candidate in self._back:
                counter += 1
                candidate = self._truncate(base, f"_{counter}")
            self._next_suffix[base] = counter + 1
        self._forward[name] = candidate
        self._back[candidate] = name
        return candidate

    def to_client(self, name: str) -> str:
        """The client name for a backend name; unknown names are returned unchanged."""
        return self._back.get(name, name)

    def _truncate(self, base: str, suffix: str) -> str:
        if self._max_len is None:
            return base + suffix
        return base[: self._max_len - len(suffix)] + suffix
