"""Ready-made bundles: the upstream examples, built in code.

``anthropic()`` is the seed guide's bundle (``examples/basic/anthropic.yaml``), ``openai()`` its
OpenAI sibling, ``provider_fallback()`` two providers with priorities plus the BackendTrafficPolicy
retry of ``examples/provider_fallback/``. ``with_model()`` is the guide's "more models" step.
``token_rate_limits()`` adds the per-tenant token budgets of ``examples/token_ratelimit/``, and
``quota_policy()`` builds a QuotaPolicy for one backend's model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from aigw_sdk.bundle import Bundle
from aigw_sdk.models import (
    AIGatewayRoute,
    AIGatewayRouteRule,
    AIServiceBackend,
    Backend,
    BackendSecurityPolicy,
    BackendTLSPolicy,
    BackendTrafficPolicy,
    ObjectMeta,
    QuotaPolicy,
    Resource,
    Secret,
)

GATEWAY_NAME = "envoy-ai-gateway-basic"
MODEL_HEADER = "x-ai-eg-model"
SchemaName = Literal["Anthropic", "OpenAI", "AzureOpenAI", "Cohere"]
_AUTH: dict[str, tuple[str, str]] = {
    # schema -> (BackendSecurityPolicy type, the spec field that holds its secretRef)
    "Anthropic": ("AnthropicAPIKey", "anthropicAPIKey"),
    "OpenAI": ("APIKey", "apiKey"),
    "AzureOpenAI": ("AzureAPIKey", "azureAPIKey"),
    "Cohere": ("APIKey", "apiKey"),
}


@dataclass(frozen=True)
class Provider:
    """One upstream provider: the AIServiceBackend, Backend, TLS policy, credentials it needs."""

    name: str
    schema: SchemaName
    hostname: str
    api_key: str
    port: int = 443
    tls: bool = True
    prefix: str | None = None
    version: str | None = None  # schema.version: Azure's api-version, Cohere's "v2"

    def __repr__(self) -> str:
        return (
            f"Provider(name={self.name!r}, schema={self.schema!r}, "
            f"hostname={self.hostname!r}, port={self.port}, api_key='***')"
        )

    def resources(self, namespace: str) -> list[Resource]:
        """The objects that make this provider reachable with its credentials."""
        meta = _meta(self.name, namespace)
        schema: dict[str, str] = {"name": self.schema}
        if self.prefix is not None:
            schema["prefix"] = self.prefix
        if self.version is not None:
            schema["version"] = self.version
        backend = AIServiceBackend(
            metadata=meta,
            spec={
                "schema": schema,
                "backendRef": {
                    "name": self.name,
                    "kind": "Backend",
                    "group": "gateway.envoyproxy.io",
                },
            },
        )
        policy_type, field = _AUTH[self.schema]
        secret_name = f"{self.name}-apikey"
        policy = BackendSecurityPolicy(
            metadata=_meta(secret_name, namespace),
            spec={
                "targetRefs": [
                    {
                        "group": "aigateway.envoyproxy.io",
                        "kind": "AIServiceBackend",
                        "name": self.name,
                    }
                ],
                "type": policy_type,
                field: {"secretRef": {"name": secret_name, "namespace": namespace}},
            },
        )
        eg_backend = Backend(
            metadata=meta,
            spec={"endpoints": [{"fqdn": {"hostname": self.hostname, "port": self.port}}]},
        )
        out: list[Resource] = [backend, policy, eg_backend]
        if self.tls:
            out.append(
                BackendTLSPolicy(
                    metadata=_meta(f"{self.name}-tls", namespace),
                    spec={
                        "targetRefs": [
                            {"group": "gateway.envoyproxy.io", "kind": "Backend", "name": self.name}
                        ],
                        "validation": {
                            "wellKnownCACertificates": "System",
                            "hostname": self.hostname,
                        },
                    },
                )
            )
        out.append(
            Secret(
                metadata=_meta(secret_name, namespace),
                type="Opaque",
                string_data={"apiKey": self.api_key},
            )
        )
        return out


def anthropic(
    api_key: str = "ANTHROPIC_API_KEY",
    models: Sequence[str] = ("claude-sonnet-4-5",),
    *,
    name: str = "envoy-ai-gateway-basic-anthropic",
    namespace: str = "default",
    gateway: str = GATEWAY_NAME,
    hostname: str = "api.anthropic.com",
    port: int = 443,
    tls: bool = True,
) -> Bundle:
    """The seed guide's Anthropic bundle: route, AIServiceBackend, policy, Backend, TLS, Secret.

    With the defaults it equals ``examples/basic/anthropic.yaml`` (whose Secret holds the
    placeholder ``ANTHROPIC_API_KEY`` that validation warns about).
    """
    provider = Provider(name, "Anthropic", hostname, api_key, port=port, tls=tls)
    return _single(provider, models, namespace=namespace, gateway=gateway)


def openai(
    api_key: str = "OPENAI_API_KEY",
    models: Sequence[str] = ("gpt-4o-mini",),
    *,
    name: str = "envoy-ai-gateway-basic-openai",
    namespace: str = "default",
    gateway: str = GATEWAY_NAME,
    hostname: str = "api.openai.com",
    port: int = 443,
    tls: bool = True,
) -> Bundle:
    """The OpenAI bundle of ``examples/basic/openai.yaml``."""
    provider = Provider(name, "OpenAI", hostname, api_key, port=port, tls=tls)
    return _single(provider, models, namespace=namespace, gateway=gateway)


def provider_fallback(
    primary: Provider,
    secondary: Provider,
    models: Sequence[str],
    *,
    name: str = "provider-fallback",
    namespace: str = "default",
    gateway: str = GATEWAY_NAME,
    num_retries: int = 5,
    retry_status_codes: Sequence[int] = (500,),
    per_retry_timeout: str = "30s",
) -> Bundle:
    """Two providers, ``primary`` at priority 0 and ``secondary`` at 1, and the retry policy that
    makes Envoy fall back (``examples/provider_fallback/``: one attempt per priority, retry on
    connect failures and the given status codes)."""
    route = AIGatewayRoute(
        metadata=_meta(name, namespace),
        spec={
            "parentRefs": [_parent_ref(gateway)],
            "rules": [
                _rule(
                    model,
                    [
                        {"name": primary.name, "priority": 0},
                        {"name": secondary.name, "priority": 1},
                    ],
                )
                for model in models
            ],
        },
    )
    retry = BackendTrafficPolicy(
        metadata=_meta(name, namespace),
        spec={
            "targetRefs": [
                {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": name}
            ],
            "retry": {
                "numAttemptsPerPriority": 1,
                "numRetries": num_retries,
                "perRetry": {
                    "backOff": {"baseInterval": "100ms", "maxInterval": "10s"},
                    "timeout": per_retry_timeout,
                },
                "retryOn": {
                    "httpStatusCodes": list(retry_status_codes),
                    "triggers": ["connect-failure", "retriable-status-codes"],
                },
            },
        },
    )
    return Bundle([route, *primary.resources(namespace), *secondary.resources(namespace), retry])


def with_model(
    bundle: Bundle, model: str, *, backend: str | None = None, route: str | None = None
) -> Bundle:
    """A copy of ``bundle`` whose route also sends ``model`` to ``backend`` (default: the backend
    of the route's first rule) — the guide's "Configuring More Models" step."""
    routes = bundle.of_kind(AIGatewayRoute)
    target = next((r for r in routes if route is None or r.name == route), None)
    if target is None:
        raise ValueError(f"bundle has no AIGatewayRoute{f' named {route!r}' if route else ''}")
    if backend is None:
        first = target.spec.rules[0].backend_refs if target.spec and target.spec.rules else None
        if not first:
            raise ValueError(
                f"AIGatewayRoute {target.name!r} has no backend to reuse: pass backend="
            )
        backend = first[0].name
    updated = target.model_copy(deep=True)
    assert updated.spec is not None
    updated.spec.rules.append(AIGatewayRouteRule.model_validate(_rule(model, [{"name": backend}])))
    copy = Bundle(bundle.resources)
    copy.add(updated)
    return copy


# The llmRequestCosts of examples/token_ratelimit: metadata key -> cost type.
TOKEN_COSTS: dict[str, str] = {
    "llm_input_token": "InputToken",
    "llm_cached_input_token": "CachedInputToken",
    "llm_cache_creation_input_token": "CacheCreationInputToken",
    "llm_output_token": "OutputToken",
    "llm_total_token": "TotalToken",
}


def token_rate_limits(
    bundle: Bundle,
    limits: Mapping[str, int],
    *,
    unit: Literal["Second", "Minute", "Hour", "Day", "Month", "Year"] = "Hour",
    tenant_header: str = "x-tenant-id",
    route: str | None = None,
    shadow: bool = False,
) -> Bundle:
    """A copy of ``bundle`` with per-tenant token budgets, as ``examples/token_ratelimit/``.

    The route records the token counts in ``llmRequestCosts`` (keys of :data:`TOKEN_COSTS`), and
    a BackendTrafficPolicy on its HTTPRoute gets one global rule per entry of ``limits`` (metadata
    key -> tokens per ``unit``), budgeted per distinct ``tenant_header`` value: the request costs
    0 (it only checks the budget) and the response costs the tokens it used. A policy that
    already targets the route (e.g. the retry of :func:`provider_fallback`) gets the rules, as
    Envoy Gateway applies only one BackendTrafficPolicy per target.
    """
    unknown = sorted(set(limits) - set(TOKEN_COSTS))
    if unknown:
        raise ValueError(f"limits: unknown metadata keys {unknown} (known: {sorted(TOKEN_COSTS)})")
    routes = bundle.of_kind(AIGatewayRoute)
    target = next((r for r in routes if route is None or r.name == route), None)
    if target is None or target.spec is None:
        raise ValueError(f"bundle has no AIGatewayRoute{f' named {route!r}' if route else ''}")
    updated = target.model_copy(deep=True)
    assert updated.spec is not None
    updated.spec = type(updated.spec).model_validate(
        {
            **updated.spec.to_dict(),
            "llmRequestCosts": [
                {"metadataKey": key, "type": kind} for key, kind in TOKEN_COSTS.items()
            ],
        }
    )
    rules = [
        {
            "clientSelectors": [{"headers": [{"name": tenant_header, "type": "Distinct"}]}],
            "limit": {"requests": limit, "unit": unit},
            "cost": {
                "request": {"from": "Number", "number": 0},
                "response": {
                    "from": "Metadata",
                    "metadata": {"namespace": "io.envoy.ai_gateway", "key": key},
                },
            },
            **({"shadowMode": True} if shadow else {}),
        }
        for key, limit in limits.items()
    ]
    rate_limit = {"type": "Global", "global": {"rules": rules}}
    namespace = target.namespace or "default"
    policy = next(
        (
            p
            for p in bundle.of_kind(BackendTrafficPolicy)
            if (p.namespace or "default") == namespace
            and any(
                t.kind == "HTTPRoute" and t.name == target.name for t in p.spec.target_refs or ()
            )
        ),
        None,
    )
    if policy is not None:  # Envoy Gateway applies one policy per target: extend that one
        spec = {**policy.spec.to_dict(), "rateLimit": rate_limit}
        policy = policy.model_copy(update={"spec": type(policy.spec).model_validate(spec)})
    else:
        policy = BackendTrafficPolicy(
            metadata=_meta(f"{target.name}-token-ratelimit", namespace),
            spec={
                "targetRefs": [
                    {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": target.name}
                ],
                "rateLimit": rate_limit,
            },
        )
    copy = Bundle(bundle.resources)
    copy.add(updated, policy)
    return copy


def quota_policy(
    name: str,
    backend: str,
    model: str,
    limit: int,
    *,
    duration: Literal["1s", "1m", "1h", "1d"] = "1h",
    cost_expression: str | None = None,
    tenant_header: str | None = None,
    tenant_limit: int | None = None,
    namespace: str = "default",
) -> QuotaPolicy:
    """A QuotaPolicy giving ``model`` on AIServiceBackend ``backend`` ``limit`` tokens per
    ``duration`` (the cost is ``total_tokens`` unless ``cost_expression`` says otherwise); with
    ``tenant_header`` each distinct value of that header also gets ``tenant_limit``."""
    quota: dict[str, object] = {"defaultBucket": {"limit": limit, "duration": duration}}
    if cost_expression is not None:
        quota["costExpression"] = cost_expression
    if tenant_header is not None:
        quota["bucketRules"] = [
            {
                "clientSelectors": [{"headers": [{"name": tenant_header, "type": "Distinct"}]}],
                "quota": {"limit": tenant_limit or limit, "duration": duration},
            }
        ]
    return QuotaPolicy(
        metadata=_meta(name, namespace),
        spec={
            "targetRefs": [
                {"group": "aigateway.envoyproxy.io", "kind": "AIServiceBackend", "name": backend}
            ],
            "perModelQuotas": [{"modelName": model, "quota": quota}],
        },
    )


def _single(provider: Provider, models: Sequence[str], *, namespace: str, gateway: str) -> Bundle:
    route = AIGatewayRoute(
        metadata=_meta(provider.name, namespace),
        spec={
            "parentRefs": [_parent_ref(gateway)],
            "rules": [_rule(model, [{"name": provider.name}]) for model in models],
        },
    )
    return Bundle([route, *provider.resources(namespace)])


def _meta(name: str, namespace: str) -> ObjectMeta:
    return ObjectMeta(name=name, namespace=namespace)


def _parent_ref(gateway: str) -> dict[str, str]:
    return {"name": gateway, "kind": "Gateway", "group": "gateway.networking.k8s.io"}


def _rule(model: str, backend_refs: list[dict[str, object]]) -> dict[str, object]:
    return {
        "matches": [{"headers": [{"type": "Exact", "name": MODEL_HEADER, "value": model}]}],
        "backendRefs": backend_refs,
    }
