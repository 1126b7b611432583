"""The upstream CRD CEL suite (tests/crdcel) for the AI Gateway kinds, from the pinned module."""

from __future__ import annotations

import pytest

from aigw_sdk.validation.validator import format_api_server_error, validate_object
from tests.support.upstream import CelCase, celtest_cases, upstream_params

from .helpers import load_file

KINDS = (
    "TestAIGatewayRoutes",
    "TestAIServiceBackends",
    "TestBackendSecurityPolicies",
    "TestMCPRoutes",
)


def _cases() -> list[object]:
    return [pytest.param(c, id=c.file) for c in celtest_cases() if c.test in KINDS]


CASES = upstream_params(_cases)


def test_suite_size(upstream: object) -> None:
    assert len(CASES) == 66


@pytest.mark.parametrize("case", CASES)
def test_celtest_case(case: CelCase) -> None:
    resources = load_file(case.path)
    assert len(resources) == 1
    (resource,) = resources
    errors = [i for i in validate_object(resource) if i.severity == "error"]
    if case.expected_error is None:
        assert errors == []
        return
    expected = case.expected_error
    assert errors, f"expected an error containing {expected!r}"
    texts = [f"{i.path}: {i.message}" for i in errors]
    texts.append(format_api_server_error(resource, errors))
    assert any(expected in text for text in texts), texts
