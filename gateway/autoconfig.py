"""What `aigw-sdk run` serves without a file: `aigw run`'s autoconfig, or the simulator.

Like `aigw run` (cmd/aigw/config.go, internal/autoconfig): AZURE_OPENAI_API_KEY (with
AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION), else OPENAI_API_KEY (OPENAI_BASE_URL,
OPENAI_ORG_ID, OPENAI_PROJECT_ID), else ANTHROPIC_API_KEY (ANTHROPIC_BASE_URL). The provider gets
a catch-all route (`x-ai-eg-model` matching `.*`, request timeout 120s) so any model name
reaches it, and the token costs `llm_input_token`, `llm_output_token`, `llm_reasoning_token`.
With none of these keys set, `aigw run` fails; aigw-sdk serves the seed's models on the bundled
simulator instead and says so.

Divergences: the base URL's path becomes `schema.prefix` (v1.1 ignores `schema.version` for OpenAI
and Anthropic, so upstream's `version: api/v1` would not reach e.g. OpenRouter), and the
AIServiceBackend carries no `spec.timeouts` (not in the v1.1 CRD; the API server prunes it).
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from aigw_sdk import presets
from aigw_sdk.bundle import Bundle
from aigw_sdk.models import parse_resource

__all__ = [
    "AUTOCONFIG_PORT",
    "SIMULATED_MODELS",
    "Autoconfig",
    "AutoconfigError",
    "autoconfig",
    "simulator_api_key",
    "simulator_bundle",
]

AUTOCONFIG_PORT: Final = 1975
SIMULATED_MODELS: Final = {
    "Anthropic": ("claude-sonnet-4-5", "claude-opus-4"),
    "OpenAI": ("gpt-4o-mini",),
}
_NAME: Final = "aigw-run"
_NAMESPACE: Final = "default"
_POLICY_FIELD: Final = {
    "APIKey": "apiKey",
    "AzureAPIKey": "azureAPIKey",
    "AnthropicAPIKey": "anthropicAPIKey",
}


class AutoconfigError(ValueError):
    """The environment names a provider but not everything it needs (names the variable)."""


@dataclass(frozen=True, repr=False)
class Autoconfig:
    """What `aigw run` without a file serves; `simulator_key` set means "start the simulator"."""

    description: str
    bundle: Bundle | None
    simulator_key: str | None = None

    def __repr__(self) -> str:
        return f"Autoconfig({self.description!r})"


@dataclass(frozen=True)
class _Upstream:
    hostname: str
    port: int
    tls: bool
    path: str

    @classmethod
    def parse(cls, url: str, variable: str) -> _Upstream:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise AutoconfigError(f"{variable}: unsupported scheme in {url!r} (http or https)")
        if not parts.hostname:
            raise AutoconfigError(f"{variable}: no hostname in {url!r}")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise AutoconfigError(f"{variable}: invalid port in {url!r}") from None
        return cls(parts.hostname, port, parts.scheme == "https", parts.path.strip("/"))

    def endpoint(self) -> dict[str, Any]:
        try:
            address = ipaddress.ip_address(self.hostname)
        except ValueError:
            return {"fqdn": {"hostname": self.hostname, "port": self.port}}
        return {"ip": {"address": str(address), "port": self.port}}


def autoconfig(env: Mapping[str, str]) -> Autoconfig:
    """The bundle `aigw run` generates from `env`, or the simulator when no provider key is set.

    Raises `AutoconfigError` when a provider is chosen but a variable it needs is missing or bad.
    """
    if env.get("AZURE_OPENAI_API_KEY"):
        for name in ("AZURE_OPENAI_ENDPOINT", "OPENAI_API_VERSION"):
            if not env.get(name):
                raise AutoconfigError(f"{name} is required when AZURE_OPENAI_API_KEY is set")
        version = env["OPENAI_API_VERSION"]
        upstream = _Upstream.parse(env["AZURE_OPENAI_ENDPOINT"], "AZURE_OPENAI_ENDPOINT")
        schema = {"name": "AzureOpenAI", "version": version}
        bundle = _bundle("openai", upstream, schema, "AzureAPIKey", env["AZURE_OPENAI_API_KEY"])
        return Autoconfig(f"Azure OpenAI at {upstream.hostname} (AZURE_OPENAI_API_KEY)", bundle)
    if env.get("OPENAI_API_KEY"):
        base = env.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
        upstream = _Upstream.parse(base, "OPENAI_BASE_URL")
        headers = [
            {"name": header, "value": env[variable]}
            for header, variable in (
                ("OpenAI-Organization", "OPENAI_ORG_ID"),
                ("OpenAI-Project", "OPENAI_PROJECT_ID"),
            )
            if env.get(variable)
        ]
        bundle = _bundle(
            "openai",
            upstream,
            _schema("OpenAI", upstream),
            "APIKey",
            env["OPENAI_API_KEY"],
            headers,
        )
        return Autoconfig(f"OpenAI at {upstream.hostname} (OPENAI_API_KEY)", bundle)
    if env.get("ANTHROPIC_API_KEY"):
        base = env.get("ANTHROPIC_BASE_URL") or "https://api.anthropic.com/v1"
        upstream = _Upstream.parse(base, "ANTHROPIC_BASE_URL")
        schema = _schema("Anthropic", upstream)
        bundle = _bundle("anthropic", upstream, schema, "AnthropicAPIKey", env["ANTHROPIC_API_KEY"])
        return Autoconfig(f"Anthropic at {upstream.hostname} (ANTHROPIC_API_KEY)", bundle)
    return Autoconfig(
        "the built-in simulator (none of OPENAI_API_KEY, AZURE_OPENAI_API_KEY, "
        "ANTHROPIC_API_KEY is set)",
        None,
        simulator_key=simulator_api_key(env),
    )


def _schema(name: str, upstream: _Upstream) -> dict[str, str]:
    if upstream.path in ("", "v1"):
        return {"name": name}
    return {"name": name, "prefix": f"/{upstream.path}"}


def _bundle(
    name: str,
    upstream: _Upstream,
    schema: dict[str, Any],
    policy_type: str,
    api_key: str,
    headers: list[dict[str, str]] | None = None,
) -> Bundle:
    meta = {"name": name, "namespace": _NAMESPACE}
    secret = f"{name}-apikey"
    field = _POLICY_FIELD[policy_type]
    service: dict[str, Any] = {
        "schema": schema,
        "backendRef": {
            "name": name,
            "kind": "Backend",
            "group": "gateway.envoyproxy.io",
            "namespace": _NAMESPACE,
        },
    }
    if headers:
        service["headerMutation"] = {"set": headers}
    docs: list[dict[str, Any]] = [
        {
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "GatewayClass",
            "metadata": {"name": _NAME},
            "spec": {"controllerName": "gateway.envoyproxy.io/gatewayclass-controller"},
        },
        {
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "Gateway",
            "metadata": {"name": _NAME, "namespace": _NAMESPACE},
            "spec": {
                "gatewayClassName": _NAME,
                "listeners": [{"name": "http", "protocol": "HTTP", "port": AUTOCONFIG_PORT}],
            },
        },
        {
            "apiVersion": "aigateway.envoyproxy.io/v1beta1",
            "kind": "AIGatewayRoute",
            "metadata": {"name": _NAME, "namespace": _NAMESPACE},
            "spec": {
                "parentRefs": [
                    {"name": _NAME, "kind": "Gateway", "group": "gateway.networking.k8s.io"}
                ],
                "rules": [
                    {
                        "matches": [
                            {
                                "headers": [
                                    {
                                        "type": "RegularExpression",
                                        "name": presets.MODEL_HEADER,
                                        "value": ".*",
                                    }
                                ]
                            }
                        ],
                        "backendRefs": [{"name": name, "namespace": _NAMESPACE}],
                        "timeouts": {"request": "120s"},
                    }
                ],
                "llmRequestCosts": [
                    {"metadataKey": "llm_input_token", "type": "InputToken"},
                    {"metadataKey": "llm_output_token", "type": "OutputToken"},
                    {"metadataKey": "llm_reasoning_token", "type": "ReasoningToken"},
                ],
            },
        },
        {
            "apiVersion": "gateway.envoyproxy.io/v1alpha1",
            "kind": "Backend",
            "metadata": meta,
            "spec": {"endpoints": [upstream.endpoint()]},
        },
        {
            "apiVersion": "aigateway.envoyproxy.io/v1beta1",
            "kind": "AIServiceBackend",
            "metadata": meta,
            "spec": service,
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": secret, "namespace": _NAMESPACE},
            "type": "Opaque",
            "stringData": {"apiKey": api_key},
        },
        {
            "apiVersion": "aigateway.envoyproxy.io/v1beta1",
            "kind": "BackendSecurityPolicy",
            "metadata": {"name": secret, "namespace": _NAMESPACE},
            "spec": {
                "targetRefs": [
                    {"group": "aigateway.envoyproxy.io", "kind": "AIServiceBackend", "name": name}
                ],
                "type": policy_type,
                field: {"secretRef": {"name": secret}},
            },
        },
    ]
    if upstream.tls:
        docs.append(
            {
                "apiVersion": "gateway.networking.k8s.io/v1alpha3",
                "kind": "BackendTLSPolicy",
                "metadata": {"name": f"{name}-tls", "namespace": _NAMESPACE},
                "spec": {
                    "targetRefs": [
                        {"group": "gateway.envoyproxy.io", "kind": "Backend", "name": name}
                    ],
                    "validation": {
                        "wellKnownCACertificates": "System",
                        "hostname": upstream.hostname,
                    },
                },
            }
        )
    return Bundle([parse_resource(doc) for doc in docs])


def simulator_api_key(env: Mapping[str, str]) -> str:
    """The simulator's API key: `AIGW_SIMULATOR_API_KEY`, else a random one."""
    return env.get("AIGW_SIMULATOR_API_KEY") or secrets.token_urlsafe(16)


def simulator_bundle(port: int, api_key: str, host: str = "127.0.0.1") -> Bundle:
    """The seed's models routed to a simulator on `host:port` (plain HTTP, its API key)."""
    anthropic = presets.anthropic(
        api_key=api_key,
        models=SIMULATED_MODELS["Anthropic"],
        hostname=host,
        port=port,
        tls=False,
    )
    openai = presets.openai(
        api_key=api_key, models=SIMULATED_MODELS["OpenAI"], hostname=host, port=port, tls=False
    )
    return anthropic + openai
