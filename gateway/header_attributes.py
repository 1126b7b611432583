"""Request headers mapped to metric labels, span attributes and access-log fields, as `aigw run`.

`OTEL_AIGW_REQUEST_HEADER_ATTRIBUTES` is the base mapping for all three;
`OTEL_AIGW_{METRICS,SPAN,LOG}_REQUEST_HEADER_ATTRIBUTES` are merged over it (their keys win).
Spans and logs default to `agent-session-id:session.id` when their variable is unset (set it
empty to disable); metrics never default to a session id (one series per session).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

__all__ = ["HeaderAttributes", "HeaderAttributesError", "parse_mapping"]

BASE_VARIABLE: Final = "OTEL_AIGW_REQUEST_HEADER_ATTRIBUTES"
_SESSION_DEFAULT: Final = "agent-session-id:session.id"


class HeaderAttributesError(ValueError):
    """A malformed header-attribute mapping (the message names the variable and the pair)."""


def parse_mapping(text: str, variable: str = BASE_VARIABLE) -> dict[str, str]:
    """Parse `header:attribute[,header:attribute...]` into {lower-case header: attribute}."""
    if text == "":
        return {}
    result: dict[str, str] = {}
    for position, pair in enumerate(text.split(","), start=1):
        pair = pair.strip()
        if not pair:
            raise HeaderAttributesError(
                f"{variable}: empty header-attribute pair at position {position}"
            )
        header, sep, attribute = pair.partition(":")
        if not sep:
            raise HeaderAttributesError(
                f"{variable}: invalid header-attribute pair at position {position}: {pair!r} "
                "(expected format: header:attribute)"
            )
        header, attribute = header.strip(), attribute.strip()
        if not header or not attribute:
            raise HeaderAttributesError(
                f"{variable}: empty header or attribute at position {position}: {pair!r}"
            )
        result[header.lower()] = attribute
    return result


@dataclass(frozen=True, slots=True)
class HeaderAttributes:
    """The three merged mappings (request header -> attribute name)."""

    metrics: Mapping[str, str]
    spans: Mapping[str, str]
    logs: Mapping[str, str]

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> HeaderAttributes:
        """Read the `OTEL_AIGW_*REQUEST_HEADER_ATTRIBUTES` variables (bad ones raise)."""
        base = parse_mapping(env.get(BASE_VARIABLE, ""), BASE_VARIABLE)

        def merged(kind: str, default: str) -> dict[str, str]:
            variable = f"OTEL_AIGW_{kind}_REQUEST_HEADER_ATTRIBUTES"
            return {**base, **parse_mapping(env.get(variable, default), variable)}

        return cls(
            metrics=merged("METRICS", ""),
            spans=merged("SPAN", _SESSION_DEFAULT),
            logs=merged("LOG", _SESSION_DEFAULT),
        )
