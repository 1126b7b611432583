"""The simulator's one token-counting rule: ceil(characters / 4) per piece of text."""

from __future__ import annotations

from typing import Any

import orjson

CHARS_PER_TOKEN = 4


def count_tokens(text: str) -> int:
    """Tokens in `text`: ceil(len(text) / 4), so the empty string is 0 tokens."""
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def compact_json(value: Any) -> str:
    """Compact JSON with sorted keys: the canonical text of a non-text block or a tool input."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def truncate_to_tokens(text: str, tokens: int) -> str:
    """The longest prefix of `text` that is at most `tokens` tokens."""
    return text[: max(tokens, 0) * CHARS_PER_TOKEN]
