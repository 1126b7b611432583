"""Cross-object checks of a bundle: what the controller would reject or a user would trip over.

References to objects missing from the bundle are warnings (they may already be in the
cluster), so a single valid object validated alone has no errors. A Secret value that is still a
placeholder (``ANTHROPIC_API_KEY``, ``<YOUR_KEY>``, an unsubstituted ``${VAR}``, empty) is a
warning too: the API server accepts it and only the upstream provider rejects it at request
time. Secret values never appear in messages.

Namespaces: a reference without a namespace means the referrer's namespace; an object without
a namespace is in ``default``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from aigw_sdk.models.aigateway_types import (
    AIGatewayRoute,
    AIGatewayRouteV1alpha1,
    AIServiceBackend,
    AIServiceBackendV1alpha1,
    BackendSecurityPolicy,
    BackendSecurityPolicyV1alpha1,
    MCPRoute,
    MCPRouteV1alpha1,
    QuotaPolicy,
)
from aigw_sdk.models.base import Resource
from aigw_sdk.models.core import Secret
from aigw_sdk.models.envoy_gateway import BackendTrafficPolicy, PolicyTargetReference
from aigw_sdk.validation.costs import check_cost_expression
from aigw_sdk.validation.issues import Severity, ValidationIssue

AIGW_GROUP = "aigateway.envoyproxy.io"
EG_GROUP = "gateway.envoyproxy.io"
GATEWAY_API_GROUP = "gateway.networking.k8s.io"
DEFAULT_NAMESPACE = "default"

_ROUTES = (AIGatewayRoute, AIGatewayRouteV1alpha1)
_BACKENDS = (AIServiceBackend, AIServiceBackendV1alpha1)
_POLICIES = (BackendSecurityPolicy, BackendSecurityPolicyV1alpha1)
_MCP_ROUTES = (MCPRoute, MCPRouteV1alpha1)
AI_GATEWAY_METADATA = "io.envoy.ai_gateway"
_PLACEHOLDER = re.compile(
    r"^$|^\{\}$|^\$\{[^}]*\}$|<[^<>]+>|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$",
)
_ASSIGNMENT = re.compile(r"^\s*[\w.-]+\s*=\s*(.*?)\s*$")

Key = tuple[str, str, str]  # kind, namespace, name


@dataclass(frozen=True, slots=True)
class SecretUse:
    """A Secret a BackendSecurityPolicy reads: where the reference is and which key it reads."""

    path: str
    namespace: str
    name: str
    key: str
    policy_type: str


def namespace_of(resource: Resource) -> str:
    """The object's namespace, ``default`` when unset."""
    return resource.namespace or DEFAULT_NAMESPACE


def check_bundle(resources: Sequence[Resource]) -> list[ValidationIssue]:
    """Every cross-object problem of ``resources``, in document order."""
    present = {(r.kind, namespace_of(r), r.name) for r in resources}
    secrets = {(namespace_of(r), r.name): r for r in resources if isinstance(r, Secret)}
    checker = _Checker(present, secrets)
    checker.cost_keys = {
        (namespace_of(r), r.name): {c.metadata_key for c in r.spec.llm_request_costs or ()}
        for r in resources
        if isinstance(r, _ROUTES) and r.spec is not None
    }
    for resource in resources:
        if isinstance(resource, _ROUTES):
            checker.route(resource)
        elif isinstance(resource, _BACKENDS):
            checker.backend(resource)
        elif isinstance(resource, _POLICIES):
            checker.policy(resource)
        elif isinstance(resource, BackendTrafficPolicy):
            checker.traffic_policy(resource)
        elif isinstance(resource, QuotaPolicy):
            checker.quota_policy(resource)
        elif isinstance(resource, _MCP_ROUTES):
            checker.mcp_route(resource)
    return checker.issues


def secret_uses(policy: BackendSecurityPolicy | BackendSecurityPolicyV1alpha1) -> list[SecretUse]:
    """The Secrets a policy's type reads, with the key read from each."""
    spec = policy.spec
    if spec is None:
        return []
    namespace = namespace_of(policy)
    refs = {
        "APIKey": ("spec.apiKey.secretRef", spec.api_key and spec.api_key.secret_ref, "apiKey"),
        "AzureAPIKey": (
            "spec.azureAPIKey.secretRef",
            spec.azure_api_key and spec.azure_api_key.secret_ref,
            "apiKey",
        ),
        "AnthropicAPIKey": (
            "spec.anthropicAPIKey.secretRef",
            spec.anthropic_api_key and spec.anthropic_api_key.secret_ref,
            "apiKey",
        ),
        "AWSCredentials": (
            "spec.awsCredentials.credentialsFile.secretRef",
            spec.aws_credentials
            and spec.aws_credentials.credentials_file
            and spec.aws_credentials.credentials_file.secret_ref,
            "credentials",
        ),
        "AzureCredentials": (
            "spec.azureCredentials.clientSecretRef",
            spec.azure_credentials and spec.azure_credentials.client_secret_ref,
            "client-secret",
        ),
        "GCPCredentials": (
            "spec.gcpCredentials.credentialsFile.secretRef",
            spec.gcp_credentials
            and spec.gcp_credentials.credentials_file
            and spec.gcp_credentials.credentials_file.secret_ref,
            "service_account.json",
        ),
    }
    path, ref, key = refs[spec.type]
    if not ref:
        return []
    return [SecretUse(path, ref.namespace or namespace, ref.name, key, spec.type)]


def is_placeholder(value: str) -> bool:
    """Whether a secret value is still a placeholder rather than a credential."""
    candidates = [value.strip()]
    candidates += [m.group(1) for m in map(_ASSIGNMENT.match, value.splitlines()) if m]
    return any(_PLACEHOLDER.search(c) for c in candidates)


class _Checker:
    def __init__(self, present: set[Key], secrets: dict[tuple[str, str], Secret]) -> None:
        self.present = present
        self.secrets = secrets
        self.issues: list[ValidationIssue] = []
        self.backend_policies: dict[Key, Resource] = {}
        self.placeholders: set[tuple[str, str, str]] = set()
        self.cost_keys: dict[tuple[str, str], set[str]] = {}  # route -> llmRequestCosts keys

    def add(self, resource: Resource, severity: Severity, path: str, message: str) -> None:
        self.issues.append(
            ValidationIssue(
                severity, resource.kind, resource.name, resource.namespace, path, message
            )
        )

    def missing(self, resource: Resource, path: str, kind: str, namespace: str, name: str) -> None:
        if (kind, namespace, name) not in self.present:
            message = (
                f'{kind} "{namespace}/{name}" is not in the bundle (it must exist in the cluster)'
            )
            self.add(resource, "warning", path, message)

    def route(self, route: AIGatewayRoute | AIGatewayRouteV1alpha1) -> None:
        if route.spec is None:
            return
        namespace = namespace_of(route)
        for i, rule in enumerate(route.spec.rules):
            for j, ref in enumerate(rule.backend_refs or ()):
                if ref.group is None and ref.kind is None:
                    path = f"spec.rules[{i}].backendRefs[{j}]"
                    ref_namespace = ref.namespace or namespace
                    self.missing(route, path, "AIServiceBackend", ref_namespace, ref.name)
        for i, cost in enumerate(route.spec.llm_request_costs or ()):
            if cost.type == "CEL":
                error = check_cost_expression(cost.cel or "")
                if error is not None:
                    self.add(route, "error", f"spec.llmRequestCosts[{i}].cel", error)

    def backend(self, backend: AIServiceBackend | AIServiceBackendV1alpha1) -> None:
        if backend.spec is None:
            return
        ref = backend.spec.backend_ref
        if ref.kind == "Backend" and ref.group == EG_GROUP:
            namespace = ref.namespace or namespace_of(backend)
            self.missing(backend, "spec.backendRef", "Backend", namespace, ref.name)

    def policy(self, policy: BackendSecurityPolicy | BackendSecurityPolicyV1alpha1) -> None:
        if policy.spec is None:
            return
        namespace = namespace_of(policy)
        for i, target in enumerate(policy.spec.target_refs or ()):
            if target.group != AIGW_GROUP or target.kind != "AIServiceBackend":
                continue
            path = f"spec.targetRefs[{i}]"
            key = ("AIServiceBackend", namespace, target.name)
            self.missing(policy, path, *key)
            first = self.backend_policies.setdefault(key, policy)
            if first is not policy:
                message = (
                    f'AIServiceBackend "{namespace}/{target.name}" is already targeted by '
                    f'BackendSecurityPolicy "{namespace_of(first)}/{first.name}": '
                    "a backend can have only one BackendSecurityPolicy"
                )
                self.add(policy, "error", path, message)
        for use in secret_uses(policy):
            self.secret(policy, use)

    def secret(self, policy: Resource, use: SecretUse) -> None:
        secret = self.secrets.get((use.namespace, use.name))
        if secret is None:
            self.missing(policy, use.path, "Secret", use.namespace, use.name)
            return
        present_keys = secret.keys()
        if use.key not in present_keys:
            message = (
                f'Secret "{use.namespace}/{use.name}" has no key "{use.key}", '
                f"which type {use.policy_type} reads"
            )
            self.add(policy, "error", use.path, message)
            return
        self.placeholder(secret, use.key)

    def placeholder(self, secret: Secret, key: str) -> None:
        marker = (namespace_of(secret), secret.name, key)
        if marker in self.placeholders:
            return
        self.placeholders.add(marker)
        field = "stringData" if secret.string_data and key in secret.string_data else "data"
        try:
            value = secret.value(key)
        except ValueError:
            self.add(secret, "error", f"{field}.{key}", "value is not valid base64")
            return
        if value is not None and is_placeholder(value):
            message = "value is a placeholder, not a credential: put the real one here"
            self.add(secret, "warning", f"{field}.{key}", message)

    def traffic_policy(self, policy: BackendTrafficPolicy) -> None:
        namespace = namespace_of(policy)
        for path, target in _traffic_targets(policy):
            if target.group != GATEWAY_API_GROUP or target.kind != "HTTPRoute":
                continue
            routes = {
                ("AIGatewayRoute", namespace, target.name),
                ("HTTPRoute", namespace, target.name),
            }
            if not routes & self.present:
                message = (
                    f'HTTPRoute "{namespace}/{target.name}" matches no AIGatewayRoute in the '
                    "bundle (the HTTPRoute of an AIGatewayRoute has the route's name)"
                )
                self.add(policy, "warning", path, message)
        self.rate_limit_costs(policy)

    def rate_limit_costs(self, policy: BackendTrafficPolicy) -> None:
        """Metadata costs must name an `llmRequestCosts` key of the routes the policy covers."""
        rate_limit = policy.spec.rate_limit
        if rate_limit is None or rate_limit.global_ is None or not self.cost_keys:
            return
        namespace = namespace_of(policy)
        routes = [(namespace, t.name) for _, t in _traffic_targets(policy) if t.kind == "HTTPRoute"]
        if any(t.kind == "Gateway" for _, t in _traffic_targets(policy)):
            routes = list(self.cost_keys)
        keys = set().union(*(self.cost_keys.get(route, set()) for route in routes))
        if not any(route in self.cost_keys for route in routes):
            return  # the routes are not in the bundle
        for i, rule in enumerate(rate_limit.global_.rules or ()):
            for phase in ("request", "response"):
                cost = getattr(rule.cost, phase) if rule.cost is not None else None
                if cost is None or cost.metadata is None:
                    continue
                path = f"spec.rateLimit.global.rules[{i}].cost.{phase}.metadata"
                if cost.metadata.namespace != AI_GATEWAY_METADATA:
                    continue
                if phase == "request":
                    message = (
                        f"{AI_GATEWAY_METADATA} costs are only known once the response has "
                        "completed: on the request this cost is always 0"
                    )
                    self.add(policy, "warning", path, message)
                elif cost.metadata.key not in keys:
                    message = (
                        f'key "{cost.metadata.key}" is not a metadataKey of the llmRequestCosts '
                        "of the routes this policy applies to: the cost is always 0"
                    )
                    self.add(policy, "warning", f"{path}.key", message)

    def quota_policy(self, policy: QuotaPolicy) -> None:
        spec = policy.spec
        if spec is None:
            return
        namespace = namespace_of(policy)
        for i, target in enumerate(spec.target_refs or ()):
            if target.kind == "AIServiceBackend":
                self.missing(policy, f"spec.targetRefs[{i}]", target.kind, namespace, target.name)
        expressions: list[tuple[str, str | None]] = []
        if spec.service_quota is not None:
            expressions.append(
                ("spec.serviceQuota.costExpression", spec.service_quota.cost_expression)
            )
        for i, entry in enumerate(spec.per_model_quotas or ()):
            path = f"spec.perModelQuotas[{i}].quota.costExpression"
            expressions.append((path, entry.quota.cost_expression))
        for path, expression in expressions:
            if expression:
                error = check_cost_expression(expression)
                if error is not None:
                    self.add(policy, "error", path, error)

    def mcp_route(self, route: MCPRoute | MCPRouteV1alpha1) -> None:
        spec = route.spec
        if spec is None:
            return
        namespace = namespace_of(route)
        for i, ref in enumerate(spec.backend_refs or ()):
            path = f"spec.backendRefs[{i}]"
            kind = ref.kind or "Service"
            if kind in ("Backend", "Service"):
                self.missing(route, path, kind, ref.namespace or namespace, ref.name)
            api_key = ref.security_policy.api_key if ref.security_policy is not None else None
            if api_key is not None and api_key.secret_ref is not None:
                secret = api_key.secret_ref
                self.missing(
                    route,
                    f"{path}.securityPolicy.apiKey.secretRef",
                    "Secret",
                    secret.namespace or namespace,
                    secret.name,
                )


def _traffic_targets(policy: BackendTrafficPolicy) -> Iterator[tuple[str, PolicyTargetReference]]:
    if policy.spec.target_ref is not None:
        yield "spec.targetRef", policy.spec.target_ref
    for i, target in enumerate(policy.spec.target_refs or ()):
        yield f"spec.targetRefs[{i}]", target
