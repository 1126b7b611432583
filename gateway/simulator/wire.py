"""Reading request bodies: the checks and text extraction both API modules share."""

from __future__ import annotations

from typing import Any


def is_int(value: Any) -> bool:
    """A JSON integer (``True``/``False`` are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def content_text(content: Any) -> str:
    """The text of a message `content`: the string itself, or its text parts joined by spaces.

    Both APIs spell a text part `{"type": "text", "text": …}`; other parts are skipped.
    """
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            p["text"]
            for p in content
            if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
        )
    return ""
