"""Cross-object checks: each with a failing and a passing bundle."""

from __future__ import annotations

import base64

import pytest

from aigw_sdk.validation.bundle_checks import check_bundle, is_placeholder
from aigw_sdk.validation.issues import ValidationIssue
from aigw_sdk.validation.validator import validate_resources
from tests.support.upstream import Upstream

from .helpers import load, load_file

ROUTE = """
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {name: route}
spec:
  rules:
    - backendRefs: [{name: backend}]
"""
BACKEND = """
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIServiceBackend
metadata: {name: backend}
spec:
  schema: {name: Anthropic}
  backendRef: {name: eg-backend, kind: Backend, group: gateway.envoyproxy.io}
"""
EG_BACKEND = """
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: Backend
metadata: {name: eg-backend}
spec:
  endpoints: [{fqdn: {hostname: api.anthropic.com, port: 443}}]
"""
POLICY = """
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: BackendSecurityPolicy
metadata: {name: %(name)s}
spec:
  targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: backend}]
  type: AnthropicAPIKey
  anthropicAPIKey:
    secretRef: {name: key}
"""
SECRET = """
apiVersion: v1
kind: Secret
metadata: {name: key, namespace: default}
stringData:
  %(key)s: %(value)s
"""


def bundle(*docs: str) -> str:
    return "\n---\n".join(docs)


def policy(name: str = "policy") -> str:
    return POLICY % {"name": name}


def secret(key: str = "apiKey", value: str = "sk-ant-real-looking-value") -> str:
    return SECRET % {"key": key, "value": value}


def found(text: str) -> list[ValidationIssue]:
    return check_bundle(load(text))


def where(issues: list[ValidationIssue]) -> list[tuple[str, str, str, str]]:
    return [(i.severity, i.kind, i.name, i.path) for i in issues]


COMPLETE = bundle(ROUTE, BACKEND, EG_BACKEND, policy(), secret())


def test_complete_bundle_has_no_issues() -> None:
    assert found(COMPLETE) == []
    assert validate_resources(load(COMPLETE)) == []


def test_route_backend_missing() -> None:
    issues = found(ROUTE)
    assert where(issues) == [("warning", "AIGatewayRoute", "route", "spec.rules[0].backendRefs[0]")]
    assert 'AIServiceBackend "default/backend" is not in the bundle' in issues[0].message


def test_route_backend_in_other_namespace_is_missing() -> None:
    moved = BACKEND.replace("{name: backend}", "{name: backend, namespace: other}")
    eg_moved = EG_BACKEND.replace("{name: eg-backend}", "{name: eg-backend, namespace: other}")
    assert where(found(bundle(ROUTE, moved, eg_moved))) == [
        ("warning", "AIGatewayRoute", "route", "spec.rules[0].backendRefs[0]")
    ]
    referenced = ROUTE.replace("{name: backend}", "{name: backend, namespace: other}")
    assert found(bundle(referenced, moved, eg_moved)) == []


def test_inference_pool_refs_are_not_backend_refs() -> None:
    pool = ROUTE.replace(
        "{name: backend}", "{name: pool, group: inference.networking.k8s.io, kind: InferencePool}"
    )
    assert found(pool) == []


def test_eg_backend_missing() -> None:
    assert where(found(BACKEND)) == [("warning", "AIServiceBackend", "backend", "spec.backendRef")]
    assert found(bundle(BACKEND, EG_BACKEND)) == []


def test_policy_target_and_secret_missing() -> None:
    issues = found(policy())
    assert where(issues) == [
        ("warning", "BackendSecurityPolicy", "policy", "spec.targetRefs[0]"),
        ("warning", "BackendSecurityPolicy", "policy", "spec.anthropicAPIKey.secretRef"),
    ]
    assert 'Secret "default/key" is not in the bundle' in issues[1].message
    assert found(bundle(BACKEND, EG_BACKEND, policy(), secret())) == []


@pytest.mark.parametrize(
    ("spec", "key"),
    [
        ("type: APIKey\n  apiKey: {secretRef: {name: key}}", "apiKey"),
        ("type: AzureAPIKey\n  azureAPIKey: {secretRef: {name: key}}", "apiKey"),
        (
            "type: AWSCredentials\n  awsCredentials: {region: us-east-1, "
            "credentialsFile: {secretRef: {name: key}}}",
            "credentials",
        ),
        (
            "type: AzureCredentials\n  azureCredentials: {clientID: c, tenantID: t, "
            "clientSecretRef: {name: key}}",
            "client-secret",
        ),
        (
            "type: GCPCredentials\n  gcpCredentials: {projectName: p, region: r, "
            "credentialsFile: {secretRef: {name: key}}}",
            "service_account.json",
        ),
    ],
)
def test_secret_lacks_the_key_its_policy_type_reads(spec: str, key: str) -> None:
    text = f"""
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: BackendSecurityPolicy
metadata: {{name: policy}}
spec:
  {spec}
"""
    issues = found(bundle(text, secret(key="other")))
    assert where(issues) == [("error", "BackendSecurityPolicy", "policy", issues[0].path)]
    assert f'Secret "default/key" has no key "{key}"' in issues[0].message
    assert found(bundle(text, secret(key=key))) == []


def test_placeholder_secret_value_of_the_seed_is_a_warning(upstream: Upstream) -> None:
    issues = validate_resources(load_file(upstream.examples / "basic/anthropic.yaml"))
    assert where(issues) == [
        ("warning", "Secret", "envoy-ai-gateway-basic-anthropic-apikey", "stringData.apiKey")
    ]
    assert "ANTHROPIC_API_KEY" not in issues[0].message


def test_placeholder_in_base64_data() -> None:
    encoded = base64.b64encode(b"<YOUR_API_KEY>").decode()
    text = SECRET.replace("stringData", "data") % {"key": "apiKey", "value": encoded}
    assert where(found(bundle(BACKEND, EG_BACKEND, policy(), text))) == [
        ("warning", "Secret", "key", "data.apiKey")
    ]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "  ",
        "ANTHROPIC_API_KEY",
        "<YOUR_KEY>",
        "${OPENAI_API_KEY}",
        "{}",
        "[default]\naws_access_key_id = AWS_ACCESS_KEY_ID\n",
    ],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value", ["sk-ant-api03-abc", "[default]\naws_access_key_id = AKIAabc123\n"]
)
def test_real_values_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


def test_two_policies_targeting_one_backend() -> None:
    issues = found(bundle(BACKEND, EG_BACKEND, policy("first"), policy("second"), secret()))
    assert where(issues) == [("error", "BackendSecurityPolicy", "second", "spec.targetRefs[0]")]
    assert 'already targeted by BackendSecurityPolicy "default/first"' in issues[0].message


TRAFFIC = """
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: retry}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: %s}]
  retry: {numRetries: 3}
"""


def test_traffic_policy_target_matches_no_route() -> None:
    assert where(found(bundle(TRAFFIC % "nothing"))) == [
        ("warning", "BackendTrafficPolicy", "retry", "spec.targetRefs[0]")
    ]
    routed = bundle(ROUTE, BACKEND, EG_BACKEND, TRAFFIC % "route")
    assert found(routed) == []


def test_provider_fallback_example_is_consistent(upstream: Upstream) -> None:
    resources = load_file(upstream.examples / "provider_fallback/base.yaml")
    resources += load_file(upstream.examples / "provider_fallback/fallback.yaml")
    assert [i for i in check_bundle(resources) if i.kind == "BackendTrafficPolicy"] == []


def test_cost_expression_that_does_not_compile() -> None:
    costs = """
  llmRequestCosts:
    - {metadataKey: ok, type: CEL, cel: "input_tokens + output_tokens"}
    - {metadataKey: bad, type: CEL, cel: "input_token * 2"}
    - {metadataKey: tokens, type: TotalToken}
"""
    issues = found(bundle(ROUTE + costs, BACKEND, EG_BACKEND))
    assert where(issues) == [("error", "AIGatewayRoute", "route", "spec.llmRequestCosts[1].cel")]
    assert issues[0].message.startswith("invalid CEL expression: ")
    fixed = costs.replace("input_token * 2", "input_tokens * 2u")
    assert found(bundle(ROUTE + fixed, BACKEND, EG_BACKEND)) == []


QUOTA = """
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: QuotaPolicy
metadata: {name: quota}
spec:
  targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: backend}]
  perModelQuotas:
    - modelName: m
      quota:
        costExpression: "input_tokens * 2"
        defaultBucket: {limit: 10, duration: 1h}
"""
MCP = """
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: MCPRoute
metadata: {name: mcp}
spec:
  parentRefs: [{name: gw, kind: Gateway, group: gateway.networking.k8s.io}]
  backendRefs:
    - name: github
      kind: Backend
      group: gateway.envoyproxy.io
      securityPolicy: {apiKey: {secretRef: {name: github-token}}}
"""
RATE_LIMIT = """
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: limits}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: route}]
  rateLimit:
    type: Global
    global:
      rules:
        - limit: {requests: 10, unit: Hour}
          cost:
            request: {from: Metadata, metadata: {namespace: io.envoy.ai_gateway, key: llm_in}}
            response: {from: Metadata, metadata: {namespace: io.envoy.ai_gateway, key: llm_out}}
"""


def _messages(text: str) -> list[str]:
    return [f"{i.kind} {i.path}: {i.message}" for i in check_bundle(load(text))]


def test_quota_policy_target_and_cost_expression() -> None:
    messages = _messages(QUOTA)
    assert any(
        m.startswith('QuotaPolicy spec.targetRefs[0]: AIServiceBackend "default/backend" is not')
        for m in messages
    ), messages
    assert any(
        m.startswith("QuotaPolicy spec.perModelQuotas[0].quota.costExpression:") for m in messages
    ), messages
    fixed = QUOTA.replace("input_tokens * 2", "input_tokens * 2u")
    assert _messages(ROUTE + "---" + BACKEND + "---" + EG_BACKEND + "---" + fixed) == []


def test_mcp_route_backend_and_secret_missing() -> None:
    assert _messages(MCP) == [
        'MCPRoute spec.backendRefs[0]: Backend "default/github" is not in the bundle (it must '
        "exist in the cluster)",
        "MCPRoute spec.backendRefs[0].securityPolicy.apiKey.secretRef: Secret "
        '"default/github-token" is not in the bundle (it must exist in the cluster)',
    ]


def test_rate_limit_metadata_costs_need_route_cost_keys() -> None:
    route = ROUTE + "  llmRequestCosts: [{metadataKey: llm_out, type: OutputToken}]\n"
    messages = _messages(route + "---" + RATE_LIMIT)
    assert [m for m in messages if m.startswith("BackendTrafficPolicy")] == [
        "BackendTrafficPolicy spec.rateLimit.global.rules[0].cost.request.metadata: "
        "io.envoy.ai_gateway costs are only known once the response has completed: on the "
        "request this cost is always 0"
    ]
    messages = _messages(ROUTE + "---" + RATE_LIMIT)
    assert any(
        m.startswith(
            "BackendTrafficPolicy spec.rateLimit.global.rules[0].cost.response.metadata.key: key "
            '"llm_out" is not a metadataKey'
        )
        for m in messages
    ), messages
