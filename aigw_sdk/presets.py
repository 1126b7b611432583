"""Ready-made bundles: the upstream examples, built in code.

``anthropic()`` is the seed guide's bundle (``examples/basic/anthropic.yaml``), ``openai()`` its
OpenAI sibling, ``provider_fallback()`` two providers with priorities plus the BackendTrafficPolicy
retry of ``examples/provider_fallback/``. ``with_model()`` is the guide's "more models" step.
"""

from __future__ import annotations

from collections.abc import Sequence
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
