"""JSON helpers (orjson) shared by the translators."""

from __future__ import annotations

from typing import Any

import orjson

JSONObject = dict[str, Any]


def dumps(value: Any) -> bytes:
    """Compact JSON bytes."""
    return orjson.dumps(value)


def dumps_str(value: Any) -> str:
    """Compact JSON text (for tool-call argument strings)."""
    return orjson.dumps(value).decode()


def loads(data: str | bytes) -> Any:
    """Parse JSON; raises `ValueError` on malformed input."""
    return orjson.loads(data)
