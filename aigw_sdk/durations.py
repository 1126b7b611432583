"""Durations as people type them on command lines: ``90``, ``90s``, ``1.5s``, ``3m``, ``1h30m``,
``500ms`` (Go/kubectl style); a bare number is seconds."""

from __future__ import annotations

import argparse
import re
from typing import Final

__all__ = ["duration_arg", "parse_duration"]

_UNIT_SECONDS: Final = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "us": 1e-6, "µs": 1e-6}
_PART: Final = re.compile(r"(\d+(?:\.\d+)?|\.\d+)(ms|us|µs|h|m|s)")


def parse_duration(text: str) -> float:
    """Seconds in `text`; ValueError naming the value when it is not a duration."""
    value = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", value):
        return float(value)
    position, total = 0, 0.0
    for match in _PART.finditer(value):
        if match.start() != position:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    if not value or position != len(value):
        raise ValueError(
            f"invalid duration {text!r}: use a number of seconds or units h, m, s, ms "
            "(90, 90s, 3m, 1h30m)"
        )
    return total


def duration_arg(text: str) -> float:
    """An argparse ``type=`` for durations."""
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
