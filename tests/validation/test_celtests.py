"""The upstream CRD CEL test suite (tests/crdcel) for the four AI Gateway kinds that have cases."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aigw_sdk.validation.validator import format_api_server_error, validate_object

from .helpers import CELTESTS, load_file

KINDS = (
    "TestAIGatewayRoutes",
    "TestAIServiceBackends",
    "TestBackendSecurityPolicies",
    "TestMCPRoutes",
)


def _cases() -> list[Any]:
    expectations = json.loads((CELTESTS / "expectations.json").read_text())
    return [
        pytest.param(case, id=case["file"])
        for test in KINDS
        for case in expectations[test]["cases"]
    ]


CASES = _cases()


def test_suite_size() -> None:
    assert len(CASES) == 66


@pytest.mark.parametrize("case", CASES)
def test_celtest_case(case: dict[str, Any]) -> None:
    resources = load_file(CELTESTS / case["file"])
    assert len(resources) == 1
    (resource,) = resources
    errors = [i for i in validate_object(resource) if i.severity == "error"]
    if case["valid"]:
        assert errors == []
        return
    expected = case["expected_error_substring"]
    assert errors, f"expected an error containing {expected!r}"
    texts = [f"{i.path}: {i.message}" for i in errors]
    texts.append(format_api_server_error(resource, errors))
    assert any(expected in text for text in texts), texts
