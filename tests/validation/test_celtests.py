"""The upstream CRD CEL suite (tests/crdcel) for the AI Gateway kinds, from the pinned module."""

from __future__ import annotations

import pytest
import yaml

from aigw_sdk.models import parse_resource
from aigw_sdk.validation.validator import format_api_server_error, validate_object
from tests.support.upstream import CelCase, as_go_struct, celtest_cases, upstream_params

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
    (document,) = [d for d in yaml.safe_load_all(case.path.read_text()) if d]
    resource = parse_resource(as_go_struct(document))  # as upstream's Go driver sends it
    errors = [i for i in validate_object(resource) if i.severity == "error"]
    if case.expected_error is None:
        assert errors == []
        return
    expected = case.expected_error
    assert errors, f"expected an error containing {expected!r}"
    texts = [f"{i.path}: {i.message}" for i in errors]
    texts.append(format_api_server_error(resource, errors))
    assert any(expected in text for text in texts), texts
