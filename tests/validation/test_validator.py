"""validate_resources / validate_object / format_api_server_error."""

from __future__ import annotations

import pytest

from aigw_sdk.errors import APIDeprecationWarning
from aigw_sdk.models import AIServiceBackendV1alpha1
from aigw_sdk.models.registry import ParseFailure
from aigw_sdk.validation.validator import (
    CEL_SKIPPED,
    format_api_server_error,
    path_sort_key,
    validate_object,
    validate_resources,
)

from .helpers import load

TWO_BAD = """
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {name: first}
spec:
  parentRefs: [{name: gw, kind: Service}]
  rules:
    - name: same
    - name: same
    - name: route-not-found
  colour: red
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: BackendSecurityPolicy
metadata: {name: second}
spec:
  type: Nope
  apiKey: {secretRef: {name: k}}
  awsCredentials: {region: r}
"""


def test_all_problems_of_a_bundle_in_document_then_path_order() -> None:
    issues = validate_resources(load(TWO_BAD))
    assert [(i.name, i.path, i.message) for i in issues if i.severity == "error"] == [
        ("first", "spec.colour", 'unknown field "spec.colour"'),
        ("first", "spec.parentRefs", 'Invalid value: "array": only Gateway is supported'),
        (
            "first",
            "spec.rules",
            'Invalid value: "array": rule name must be unique within the route',
        ),
        (
            "first",
            "spec.rules[2]",
            'Invalid value: "object": rule name route-not-found is reserved',
        ),
        (
            "second",
            "spec.type",
            'Unsupported value: "Nope": supported values: "APIKey", "AWSCredentials", '
            '"AzureAPIKey", "AzureCredentials", "GCPCredentials", "AnthropicAPIKey"',
        ),
        ("second", "", CEL_SKIPPED),  # the note without a path last, as the API server puts it
    ]


def test_format_api_server_error() -> None:
    route, policy = load(TWO_BAD)
    issues = validate_resources([route, policy])
    assert format_api_server_error(route, issues) == (
        'AIGatewayRoute in version "v1beta1" cannot be handled as a AIGatewayRoute: '
        'strict decoding error: unknown field "spec.colour"'
    )
    assert format_api_server_error(policy, issues) == (
        'BackendSecurityPolicy.aigateway.envoyproxy.io "second" is invalid: ['
        'spec.type: Unsupported value: "Nope": supported values: "APIKey", "AWSCredentials", '
        '"AzureAPIKey", "AzureCredentials", "GCPCredentials", "AnthropicAPIKey", '
        "<nil>: " + CEL_SKIPPED + "]"
    )


def test_format_single_error_has_no_brackets() -> None:
    (backend,) = load(
        """
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIServiceBackend
metadata: {name: b}
spec:
  schema: {name: OpenAI}
  backendRef: {name: svc, kind: Service, port: 80}
"""
    )
    assert format_api_server_error(backend, validate_object(backend)) == (
        'AIServiceBackend.aigateway.envoyproxy.io "b" is invalid: spec.backendRef: Invalid value: '
        '"object": BackendRef must be a Backend resource of Envoy Gateway. See '
        "https://github.com/envoyproxy/ai-gateway/issues/902 for more details."
    )


def test_metadata_name() -> None:
    (missing, bad) = load(
        """
apiVersion: v1
kind: Secret
metadata: {}
---
apiVersion: v1
kind: Secret
metadata: {name: Bad_Name}
"""
    )
    assert [(i.path, i.message) for i in validate_object(missing)] == [
        ("metadata.name", "Required value: name or generateName is required")
    ]
    (issue,) = validate_object(bad)
    assert issue.message.startswith('Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain')


def test_v1alpha1_objects_get_the_deprecation_warning() -> None:
    with pytest.warns(APIDeprecationWarning):
        (backend,) = load(
            """
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIServiceBackend
metadata: {name: b}
spec:
  schema: {name: OpenAI}
  backendRef: {name: eg, kind: Backend, group: gateway.envoyproxy.io}
"""
        )
    issues = validate_object(backend)
    assert [(i.severity, i.path, i.message) for i in issues] == [
        ("warning", "", AIServiceBackendV1alpha1.deprecation_warning)
    ]


def test_parse_failure_of_a_partial_model_is_reported() -> None:
    (policy,) = load(
        """
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: retry}
spec:
  retry:
    retryOn: {triggers: [sometimes]}
"""
    )
    assert isinstance(policy, ParseFailure)
    issues = validate_object(policy)
    assert [i.path for i in issues] == ["spec.retry.retryOn.triggers.0"]
    assert issues[0].severity == "error"


def test_unmodelled_kinds_are_not_checked() -> None:
    (deployment,) = load(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {x: 1}\n"
    )
    assert validate_resources([deployment]) == []


def test_a_single_valid_object_alone_has_no_errors() -> None:
    (route,) = load(
        """
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {name: r}
spec:
  rules: [{backendRefs: [{name: missing}]}]
"""
    )
    assert [i for i in validate_resources([route]) if i.severity == "error"] == []


def test_path_sort_key_compares_indices_as_numbers() -> None:
    paths = ["spec.rules[10]", "spec.rules[2].name", "spec.rules", "", "spec.a"]
    assert sorted(paths, key=path_sort_key) == [
        "",
        "spec.a",
        "spec.rules",
        "spec.rules[2].name",
        "spec.rules[10]",
    ]


def test_a_large_bundle_validates() -> None:
    docs = []
    for n in range(25):
        docs.append(
            f"""
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {{name: r{n}}}
spec:
  parentRefs: [{{name: gw}}]
  rules:
    - {{name: a, backendRefs: [{{name: b{n}}}]}}
    - {{name: b, matches: [{{headers: [{{name: x-ai-eg-model, value: m}}]}}]}}
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIServiceBackend
metadata: {{name: b{n}}}
spec:
  schema: {{name: OpenAI}}
  backendRef: {{name: e{n}, kind: Backend, group: gateway.envoyproxy.io}}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: Backend
metadata: {{name: e{n}}}
spec: {{endpoints: [{{fqdn: {{hostname: h, port: 443}}}}]}}
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: BackendSecurityPolicy
metadata: {{name: p{n}}}
spec:
  targetRefs: [{{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: b{n}}}]
  type: APIKey
  apiKey: {{secretRef: {{name: s{n}}}}}
"""
        )
    resources = load("\n---\n".join(docs))
    assert len(resources) == 100
    issues = validate_resources(resources)
    assert {(i.kind, i.path) for i in issues} == {
        ("BackendSecurityPolicy", "spec.apiKey.secretRef")
    }
