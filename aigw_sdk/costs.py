"""`llmRequestCosts[].cel`: compile check (controller side) and evaluation (gateway hot path).

Upstream declares ``model``, ``backend`` and ``route_name`` as strings and the token counts as
``uint``, and requires an int or uint, non-negative result. The ``cel`` package has no static
type checker and turns every Python ``int`` into a CEL ``int``, so:

* the token counts are bound as real CEL uints by wrapping the expression in one ``map`` macro
  per variable (``[uint(n)].map(input_tokens, …)[0]``) — uint/int/double mixing then fails as in
  cel-go;
* undeclared names are found statically from the compiled program's references (names bound
  by comprehension macros excepted);
* type errors are found by evaluating the program with several value sets: upstream's dummy
  values (``"dummy"``, all zeros), then each string literal of the expression for the string
  variables and each integer literal (and its successor) for the token counts, so the branches
  the expression selects on are exercised. A type error in a branch none of these reaches goes
  unnoticed until evaluation, where :func:`evaluate_cost` reports it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import cel

STRING_VARIABLES = ("model", "backend", "route_name")
UINT_VARIABLES = (
    "input_tokens",
    "cached_input_tokens",
    "cache_creation_input_tokens",
    "output_tokens",
    "total_tokens",
    "reasoning_tokens",
)
_DECLARED = frozenset((*STRING_VARIABLES, *UINT_VARIABLES))
_UINTS = "aigw_cost_uints"
_RESULT = "aigw_cost_result"
_MAX_SAMPLES = 24
_BOUND_NAME = re.compile(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_]\w*)\s*,")
_STRING_LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
_INT_LITERAL = re.compile(r"(?<![\w.])(\d+)u?(?![\w.])")
_EVAL_ERRORS = (TypeError, RuntimeError, ValueError, KeyError, OverflowError, ZeroDivisionError)


class CostExpressionError(ValueError):
    """A cost expression that does not compile, or whose evaluation fails or is not a count."""


@dataclass(frozen=True, slots=True)
class CostProgram:
    """A compiled cost expression; evaluate it with :func:`evaluate_cost`."""

    expression: str
    program: cel.Program


def compile_cost(expression: str) -> CostProgram:
    """Compile and sanity-check ``expression``; raises :class:`CostExpressionError`.

    The message starts with ``invalid CEL expression:`` as the route's NotAccepted status does.
    """
    try:
        raw = cel.compile(expression)
    except ValueError as exc:
        raise _invalid(f"cannot compile CEL expression: {_first_line(exc)}") from None
    bound = set(_BOUND_NAME.findall(expression))
    unknown = sorted(set(raw.variables()) - _DECLARED - bound)
    if unknown:
        names = ", ".join(f"undeclared reference to '{name}'" for name in unknown)
        raise _invalid(f"cannot compile CEL expression: {names}")
    compiled = CostProgram(expression, cel.compile(_wrap(expression)))
    for sample in _samples(expression):
        try:
            _run(compiled, sample)
        except CostExpressionError as exc:
            raise _invalid(str(exc)) from None
    return compiled


def compile_cost_expression(expression: str) -> Callable[[Mapping[str, Any]], int]:
    """:func:`compile_cost` as a function of the variables (raises :class:`CostExpressionError`)."""
    return functools.partial(evaluate_cost, compile_cost(expression))


@functools.lru_cache(maxsize=256)
def check_cost_expression(expression: str) -> str | None:
    """None when ``expression`` is a valid cost expression, else the error text.

    Cached: a bundle's routes usually repeat the same few expressions.
    """
    try:
        compile_cost(expression)
    except CostExpressionError as exc:
        return str(exc)
    return None


def evaluate_cost(expression: str | CostProgram, variables: Mapping[str, Any]) -> int:
    """The cost for one request; unset variables are ``""`` / ``0``.

    Pass a :class:`CostProgram` from :func:`compile_cost` on hot paths. Raises
    :class:`CostExpressionError` when evaluation fails or the result is negative or not an
    integer.
    """
    compiled = expression if isinstance(expression, CostProgram) else compile_cost(expression)
    unknown = variables.keys() - _DECLARED
    if unknown:
        raise CostExpressionError(f"unknown cost variables: {', '.join(sorted(unknown))}")
    for name in UINT_VARIABLES:
        value = variables.get(name, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise CostExpressionError(f"{name} must be a non-negative integer")
    return _run(compiled, variables)


def _run(compiled: CostProgram, variables: Mapping[str, Any]) -> int:
    context: dict[str, Any] = {name: str(variables.get(name, "")) for name in STRING_VARIABLES}
    context[_UINTS] = [variables.get(name, 0) for name in UINT_VARIABLES]
    try:
        type_name, value = compiled.program.execute(context)
    except _EVAL_ERRORS as exc:
        raise CostExpressionError(
            f"failed to evaluate CEL expression: {_first_line(exc)}"
        ) from None
    if type_name not in ("int", "uint"):
        raise CostExpressionError(f"CEL expression result is not an integer, got {type_name}")
    if value < 0:
        raise CostExpressionError(f"CEL expression result is negative ({value})")
    return int(value)


def _wrap(expression: str) -> str:
    """Bind the token counts as CEL uints and return ``[type(result), result]``."""
    body = f"[({expression}\n)].map({_RESULT}, [type({_RESULT}), {_RESULT}])[0]"
    for index, name in reversed(list(enumerate(UINT_VARIABLES))):
        body = f"[uint({_UINTS}[{index}])].map({name}, {body})[0]"
    return body


def _samples(expression: str) -> list[dict[str, str | int]]:
    strings = ["dummy"] + [a or b for a, b in _STRING_LITERAL.findall(expression)]
    numbers = [0]
    for literal in _INT_LITERAL.findall(_STRING_LITERAL.sub("''", expression)):
        numbers += [int(literal), int(literal) + 1]
    samples: list[dict[str, str | int]] = []
    for text in dict.fromkeys(strings):
        for number in dict.fromkeys(numbers):
            sample: dict[str, str | int] = {name: text for name in STRING_VARIABLES}
            sample.update({name: number for name in UINT_VARIABLES})
            samples.append(sample)
    return samples[:_MAX_SAMPLES]


def _invalid(detail: str) -> CostExpressionError:
    return CostExpressionError(f"invalid CEL expression: {detail}")


def _first_line(exc: BaseException) -> str:
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return text.splitlines()[0] if text else type(exc).__name__
