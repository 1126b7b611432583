"""Server-sent event framing for the simulator (own tiny encoder; the gateway has its own)."""

from __future__ import annotations

from typing import Any

import orjson

DONE = b"data: [DONE]\n\n"


def named_event(event: str, data: dict[str, Any]) -> bytes:
    """An Anthropic-style event: `event: <name>` then one `data:` line of compact JSON."""
    return b"event: " + event.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"


def data_event(data: dict[str, Any]) -> bytes:
    """An OpenAI-style event: a single `data:` line of compact JSON."""
    return b"data: " + orjson.dumps(data) + b"\n\n"
