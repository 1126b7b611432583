"""Per-model defaults for Anthropic backends: default `max_tokens` and the thinking style."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ModelFamily", "model_family"]

ThinkingStyle = Literal["none", "budget", "adaptive"]


@dataclass(frozen=True, slots=True)
class ModelFamily:
    """What the translator needs to know about a Claude model family."""

    default_max_tokens: int
    max_output_tokens: int
    thinking: ThinkingStyle


# Ordered: the first prefix that matches wins. Defaults are deliberately modest (Anthropic's
# output-token rate limits are charged against `max_tokens` up front); clients wanting long
# outputs set `max_completion_tokens`.
_FAMILIES: tuple[tuple[str, ModelFamily], ...] = (
    ("claude-3-haiku", ModelFamily(4096, 4096, "none")),
    ("claude-3-opus", ModelFamily(4096, 4096, "none")),
    ("claude-3-sonnet", ModelFamily(4096, 4096, "none")),
    ("claude-3-5-", ModelFamily(8192, 8192, "none")),
    ("claude-3-7-", ModelFamily(8192, 64000, "budget")),
    ("claude-opus-4-6", ModelFamily(8192, 128000, "adaptive")),
    ("claude-sonnet-4-6", ModelFamily(8192, 64000, "adaptive")),
    ("claude-opus-4-5", ModelFamily(8192, 64000, "budget")),
    ("claude-opus-4", ModelFamily(8192, 32000, "budget")),
    ("claude-sonnet-4", ModelFamily(8192, 64000, "budget")),
    ("claude-haiku-4", ModelFamily(8192, 64000, "budget")),
)
_UNKNOWN = ModelFamily(4096, 1 << 31, "budget")


def model_family(model: str) -> ModelFamily:
    """The family of an upstream model id (provider prefixes and date suffixes are ignored)."""
    start = model.find("claude-")
    name = model[start:] if start >= 0 else model
    for prefix, family in _FAMILIES:
        if name.startswith(prefix):
            return family
    return _UNKNOWN
