"""llmRequestCosts CEL: compile check and evaluation against upstream's variables."""

from __future__ import annotations

import pytest

from aigw_sdk.costs import (
    CostExpressionError,
    check_cost_expression,
    compile_cost,
    compile_cost_expression,
    evaluate_cost,
)


def test_upstream_valid_expression() -> None:
    expression = "input_tokens == uint(3) ? 100000000 : 0"
    assert check_cost_expression(expression) is None
    program = compile_cost(expression)
    assert evaluate_cost(program, {"input_tokens": 3}) == 100000000
    assert evaluate_cost(program, {"input_tokens": 4, "model": "m"}) == 0


def test_documented_invalid_example_names_the_undeclared_variable() -> None:
    error = check_cost_expression(
        "model == 'llama' ?  input_tokens + output_token * 0.5 : total_tokens"
    )
    assert error is not None
    assert error.startswith("invalid CEL expression: ")
    assert "undeclared reference to 'output_token'" in error


def test_uint_times_double_is_a_type_error_even_in_a_branch() -> None:
    error = check_cost_expression("model == 'llama' ? input_tokens * 0.5 : total_tokens")
    assert error is not None and "uint * float" in error


def test_token_counts_are_uint() -> None:
    assert check_cost_expression("input_tokens + 1") is not None
    assert check_cost_expression("input_tokens + 1u") is None
    assert check_cost_expression("int(input_tokens) * 2 + 1") is None


def test_negative_result() -> None:
    assert check_cost_expression("int(input_tokens) - 5") == (
        "invalid CEL expression: CEL expression result is negative (-5)"
    )
    program = compile_cost("int(input_tokens) - int(output_tokens)")
    with pytest.raises(CostExpressionError, match=r"negative \(-1900\)"):
        evaluate_cost(program, {"input_tokens": 100, "output_tokens": 2000})


def test_string_result() -> None:
    assert check_cost_expression("model") == (
        "invalid CEL expression: CEL expression result is not an integer, got string"
    )


def test_syntax_error() -> None:
    error = check_cost_expression("input_tokens +")
    assert error is not None
    assert error.startswith("invalid CEL expression: cannot compile CEL expression:")


def test_all_upstream_variables_are_declared() -> None:
    expression = (
        "model == backend || route_name == '' ? input_tokens + cached_input_tokens + "
        "cache_creation_input_tokens + output_tokens + total_tokens + reasoning_tokens : 0u"
    )
    assert check_cost_expression(expression) is None
    assert evaluate_cost(expression, {"model": "a", "backend": "b", "route_name": "r"}) == 0


def test_comprehension_variables_are_not_undeclared() -> None:
    assert check_cost_expression("[1, 2].exists(x, x == 2) ? 5 : 0") is None


def test_evaluation_rejects_bad_variables() -> None:
    program = compile_cost("total_tokens")
    with pytest.raises(CostExpressionError, match="unknown cost variables: tokens"):
        evaluate_cost(program, {"tokens": 1})
    with pytest.raises(CostExpressionError, match="total_tokens must be a non-negative integer"):
        evaluate_cost(program, {"total_tokens": -1})


def test_compile_cost_expression_gives_a_function_of_the_variables() -> None:
    cost = compile_cost_expression("output_tokens * 2u")
    assert cost({"output_tokens": 21}) == 42
    with pytest.raises(ValueError, match="invalid CEL expression"):
        compile_cost_expression("nope")


def test_check_is_cached_per_expression() -> None:
    check_cost_expression.cache_clear()
    for _ in range(3):
        assert check_cost_expression("output_tokens") is None
    assert check_cost_expression.cache_info().hits == 2
