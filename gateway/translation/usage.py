"""Token usage normalised the same way for translated and passthrough traffic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["TokenUsage"]


def _int(mapping: Mapping[str, Any] | None, key: str) -> int:
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """Token counts of one response.

    `input_tokens` is the *total* prompt size (upstream's normalisation: Anthropic input +
    cache read + cache creation, i.e. OpenAI `prompt_tokens`); `cached_input_tokens` and
    `cache_creation_input_tokens` are the parts of it read from / written to the prompt cache.
    """

    input_tokens: int = 0
    cached_input_tokens: int = 0
    cache_creation_input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.input_tokens + self.output_tokens

    @classmethod
    def from_anthropic(cls, usage: Mapping[str, Any] | None) -> TokenUsage:
        """From an Anthropic `usage` object (message, message_start or message_delta)."""
        read = _int(usage, "cache_read_input_tokens")
        creation = _int(usage, "cache_creation_input_tokens")
        details = usage.get("output_tokens_details") if isinstance(usage, Mapping) else None
        return cls(
            input_tokens=_int(usage, "input_tokens") + read + creation,
            cached_input_tokens=read,
            cache_creation_input_tokens=creation,
            output_tokens=_int(usage, "output_tokens"),
            reasoning_tokens=_int(details, "thinking_tokens"),
        )

    @classmethod
    def from_openai(cls, usage: Mapping[str, Any] | None) -> TokenUsage:
        """From an OpenAI Chat Completions `usage` object."""
        prompt = usage.get("prompt_tokens_details") if isinstance(usage, Mapping) else None
        completion = usage.get("completion_tokens_details") if isinstance(usage, Mapping) else None
        return cls(
            input_tokens=_int(usage, "prompt_tokens"),
            cached_input_tokens=_int(prompt, "cached_tokens"),
            cache_creation_input_tokens=_int(prompt, "cache_creation_input_tokens"),
            output_tokens=_int(usage, "completion_tokens"),
            reasoning_tokens=_int(completion, "reasoning_tokens"),
        )

    @classmethod
    def from_responses(cls, usage: Mapping[str, Any] | None) -> TokenUsage:
        """From a `usage` object counted in `input_tokens` / `output_tokens`.

        The Responses API, images, audio transcriptions, `input_tokens` counts and Cohere's
        `meta.tokens` all use these names.
        """
        details = usage.get("input_tokens_details") if isinstance(usage, Mapping) else None
        output = usage.get("output_tokens_details") if isinstance(usage, Mapping) else None
        return cls(
            input_tokens=_int(usage, "input_tokens"),
            cached_input_tokens=_int(details, "cached_tokens"),
            output_tokens=_int(usage, "output_tokens"),
            reasoning_tokens=_int(output, "reasoning_tokens"),
        )

    def to_openai(self) -> dict[str, Any]:
        """OpenAI `usage`.

        Cache writes go to Envoy's `prompt_tokens_details.cache_creation_input_tokens`.
        """
        prompt_details: dict[str, Any] = {"cached_tokens": self.cached_input_tokens}
        if self.cache_creation_input_tokens:
            prompt_details["cache_creation_input_tokens"] = self.cache_creation_input_tokens
        out: dict[str, Any] = {
            "prompt_tokens": self.input_tokens,
            "completion_tokens": self.output_tokens,
            "total_tokens": self.total_tokens,
            "prompt_tokens_details": prompt_details,
        }
        if self.reasoning_tokens:
            out["completion_tokens_details"] = {"reasoning_tokens": self.reasoning_tokens}
        return out

    def to_anthropic(self) -> dict[str, Any]:
        """Anthropic `usage`: the cached parts are split back out of `input_tokens`."""
        uncached = self.input_tokens - self.cached_input_tokens - self.cache_creation_input_tokens
        return {
            "input_tokens": max(uncached, 0),
            "cache_creation_input_tokens": self.cache_creation_input_tokens,
            "cache_read_input_tokens": self.cached_input_tokens,
            "output_tokens": self.output_tokens,
        }
