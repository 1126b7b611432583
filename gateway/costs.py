"""Route `llmRequestCosts` (§1.7, §4.5): compiled once per configuration, evaluated per response.

The CEL part is the SDK's (`aigw_sdk.costs`, shared with offline validation); usage comes
normalised as `TokenUsage`, so passthrough and translated traffic cost the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from aigw_sdk.costs import compile_cost_expression
from aigw_sdk.models import LLMRequestCost
from gateway.translation.usage import TokenUsage

__all__ = ["CostProgram", "compile_costs", "evaluate_costs"]

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
