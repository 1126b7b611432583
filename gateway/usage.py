"""Token usage read from responses and streams, and route `llmRequestCosts` (§1.7, §4.5).

Usage is normalised with `TokenUsage` (shared with translation) so passthrough and translated
traffic count identically. Costs are compiled once per configuration and evaluated at the end of
a successful response.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import orjson

from aigw_sdk.models import LLMRequestCost
from aigw_sdk.validation.costs import compile_cost_expression
from gateway.sse import DEFAULT_MAX_EVENT, SSEParser
from gateway.translation.usage import TokenUsage

__all__ = [
    "CostProgram",
    "StreamUsage",
    "TokenUsage",
    "compile_costs",
    "evaluate_costs",
    "usage_from_json",
]

_BY_TYPE: Final[dict[str, Callable[[TokenUsage], int]]] = {
    "InputToken": lambda u: u.input_tokens,
    "CachedInputToken": lambda u: u.cached_input_tokens,
    "CacheCreationInputToken": lambda u: u.cache_creation_input_tokens,
    "OutputToken": lambda u: u.output_tokens,
    "TotalToken": lambda u: u.total_tokens,
    "ReasoningToken": lambda u: u.reasoning_tokens,
}


@dataclass(frozen=True, slots=True)
class CostProgram:
    """One `llmRequestCosts` entry, ready to evaluate."""

    metadata_key: str
    kind: str
    cel: Callable[[Mapping[str, Any]], int] | None = None

    def evaluate(self, usage: TokenUsage, variables: Mapping[str, Any]) -> int:
        """The cost of one response; `variables` are the CEL variables (see `evaluate_costs`)."""
        if self.cel is None:
            return _BY_TYPE[self.kind](usage)
        return self.cel(variables)


def compile_costs(costs: Iterable[LLMRequestCost]) -> tuple[CostProgram, ...]:
    """Compile a route's costs; raise ValueError naming the entry whose CEL does not compile."""
    out: list[CostProgram] = []
    for index, cost in enumerate(costs):
        if cost.type == "CEL":
            if not cost.cel:
                raise ValueError(f"[{index}] ({cost.metadata_key}): type CEL needs `cel`")
            try:
                program = compile_cost_expression(cost.cel)
            except ValueError as exc:
                raise ValueError(f"[{index}] ({cost.metadata_key}): {exc}") from exc
            out.append(CostProgram(cost.metadata_key, cost.type, program))
        else:
            out.append(CostProgram(cost.metadata_key, cost.type))
    return tuple(out)


def evaluate_costs(
    programs: tuple[CostProgram, ...],
    usage: TokenUsage,
    model: str,
    backend: str,
    route_name: str,
) -> tuple[dict[str, int], list[str]]:
    """Every cost by metadata key, plus the errors of those that failed (they are left out)."""
    costs: dict[str, int] = {}
    errors: list[str] = []
    variables = {  # upstream's `llmcostcel` variables, built once for every program
        "model": model,
        "backend": backend,
        "route_name": route_name,
        "input_tokens": usage.input_tokens,
        "cached_input_tokens": usage.cached_input_tokens,
        "cache_creation_input_tokens": usage.cache_creation_input_tokens,
        "output_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
    }
    for program in programs:
        try:
            costs[program.metadata_key] = program.evaluate(usage, variables)
        except (ValueError, TypeError, RuntimeError) as exc:
            errors.append(f"{program.metadata_key}: {exc}")
    return costs, errors


def usage_from_json(schema: str, data: Any) -> tuple[TokenUsage | None, str | None]:
    """Usage and response model of a parsed JSON response of `schema` (Anthropic/OpenAI)."""
    if not isinstance(data, dict):
        return None, None
    model = data.get("model")
    model = model if isinstance(model, str) else None
    raw = data.get("usage")
    if not isinstance(raw, dict):
        return None, model
    usage = TokenUsage.from_anthropic(raw) if schema == "Anthropic" else TokenUsage.from_openai(raw)
    return usage, model


class StreamUsage:
    """Watches a copy of an SSE stream of `schema` for usage, response model and its end.

    `complete` turns true on the stream's terminal event (Anthropic `message_stop`, OpenAI
    `[DONE]`); `failed` on an `error` event, which is terminal as well.
    """

    __slots__ = ("_anthropic", "_parser", "_usage", "complete", "failed", "model")

    def __init__(self, schema: str, max_event: int = DEFAULT_MAX_EVENT) -> None:
        self._anthropic = schema == "Anthropic"
        self._parser = SSEParser(max_event)
        self._usage: dict[str, Any] = {}
        self.model: str | None = None
        self.complete = False
        self.failed = False

    @property
    def usage(self) -> TokenUsage | None:
        """The usage seen so far (None when the stream carried none)."""
        if not self._usage:
            return None
        if self._anthropic:
            return TokenUsage.from_anthropic(self._usage)
        return TokenUsage.from_openai(self._usage)

    @property
    def terminated(self) -> bool:
        """Whether the stream reached a terminal event (success or error)."""
        return self.complete or self.failed

    def feed(self, chunk: bytes) -> None:
        """Parse one upstream chunk."""
        for event in self._parser.feed(chunk):
            if self._anthropic:
                self._anthropic_event(event.event, event.data)
            else:
                self._openai_event(event.data)

    def _anthropic_event(self, name: str, data: str) -> None:
        if name == "message_stop":
            self.complete = True
        elif name == "message_start":
            message = _loads(data).get("message")
            if isinstance(message, dict):
                if isinstance(message.get("model"), str):
                    self.model = message["model"]
                if isinstance(message.get("usage"), dict):
                    self._usage.update(message["usage"])
        elif name == "message_delta":
            usage = _loads(data).get("usage")
            if isinstance(usage, dict):
                self._usage.update({k: v for k, v in usage.items() if v is not None})
        elif name == "error":
            self.failed = True

    def _openai_event(self, data: str) -> None:
        if data == "[DONE]":
            self.complete = True
            return
        if self.model is not None and '"usage"' not in data and '"error"' not in data:
            return
        chunk = _loads(data)
        if "error" in chunk and "choices" not in chunk:
            self.failed = True
            return
        if self.model is None and isinstance(chunk.get("model"), str):
            self.model = chunk["model"]
        usage = chunk.get("usage")
        if isinstance(usage, dict):
            self._usage = usage


def _loads(data: str) -> dict[str, Any]:
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
