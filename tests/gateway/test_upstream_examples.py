"""Upstream's example bundles (pinned release, via tests/support/upstream.py) on the local gateway.

Bundles whose backend schemas the local gateway serves load and answer through the gateway: their
Backends are pointed at the simulator, TLS policies dropped and API keys set to the simulator's,
then every model a route names is asked through the endpoint its backend schema serves. Bundles
using cloud credentials are served by tests/gateway/cloud/test_cloud_examples_e2e.py.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest

from aigw_sdk.bundle import load_yaml
from aigw_sdk.models import Resource
from aigw_sdk.models.registry import parse_resource
from tests.gateway.gw_helpers import SIM_KEY, Stack
from tests.gateway.gw_helpers import sdk_anthropic as _anthropic
from tests.gateway.gw_helpers import sdk_openai as _openai
from tests.support.upstream import Upstream

SERVED = {
    "openai": ["basic/openai.yaml"],
    "anthropic": ["basic/anthropic.yaml"],
    "cohere": ["basic/cohere.yaml"],
    "basic": ["basic/basic.yaml"],
    "tars": ["basic/tars.yaml"],
    "anthropic-openai-local": ["basic/openai.yaml", "basic/anthropic-openai-local.yaml"],
    "token-ratelimit": ["token_ratelimit/token_ratelimit.yaml"],
    "access-log": ["access-log/basic.yaml"],
}
# Served against the simulator's Bedrock, Vertex and Entra endpoints, with cloud credentials:
# tests/gateway/cloud/test_cloud_examples_e2e.py.
CLOUD = [
    "basic/aws.yaml",
    "basic/aws-irsa.yaml",
    "basic/aws-pod-identity.yaml",
    "basic/aws-bedrock-openai-anthropic.yaml",
    "basic/gcp_vertex.yaml",
    "basic/azure_openai.yaml",
    "provider_fallback/base.yaml",
    "provider_fallback/fallback.yaml",
]
MODEL_HEADER = "x-ai-eg-model"


def _load(upstream: Upstream, files: list[str]) -> list[Resource]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # v1alpha1 objects warn
        return list(load_yaml(*(upstream.examples / f for f in files)))


_KEY_TYPES = {"Anthropic": ("AnthropicAPIKey", "anthropicAPIKey")}


def _with_key(service: Resource) -> list[Resource]:
    """A BackendSecurityPolicy and Secret with the simulator's key for a backend without one."""
    schema = service.to_dict()["spec"]["schema"]["name"]
    kind, field = _KEY_TYPES.get(schema, ("APIKey", "apiKey"))
    name, namespace = f"{service.name}-sim-key", service.namespace or "default"
    target = {"group": "aigateway.envoyproxy.io", "kind": "AIServiceBackend", "name": service.name}
    policy = {
        "apiVersion": "aigateway.envoyproxy.io/v1beta1",
        "kind": "BackendSecurityPolicy",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"targetRefs": [target], "type": kind, field: {"secretRef": {"name": name}}},
    }
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": namespace},
        "stringData": {"apiKey": SIM_KEY},
    }
    return [parse_resource(policy), parse_resource(secret)]


def _to_simulator(resources: list[Resource], port: int) -> list[Resource]:
    """Backends at the simulator (plain HTTP), API keys the simulator's (added where none is)."""
    secured = {
        ref["name"]
        for r in resources
        if r.kind == "BackendSecurityPolicy"
        for ref in r.to_dict()["spec"].get("targetRefs", [])
    }
    out: list[Resource] = []
    for service in resources:
        if service.kind == "AIServiceBackend" and service.name not in secured:
            out += _with_key(service)
    for resource in resources:
        if resource.kind == "BackendTLSPolicy":
            continue
        data = resource.to_dict()
        if resource.kind == "Backend":
            data["spec"]["endpoints"] = [{"fqdn": {"hostname": "127.0.0.1", "port": port}}]
        elif resource.kind == "Secret":
            data.pop("data", None)
            data["stringData"] = {"apiKey": SIM_KEY}
        out.append(parse_resource(data))
    return out


def _models(resources: list[Resource]) -> list[tuple[str, str]]:
    """(model, backend schema) for every Exact model match (or `any-model` for a catch-all)."""
    schemas = {
        r.name: r.to_dict()["spec"]["schema"]["name"]
        for r in resources
        if r.kind == "AIServiceBackend"
    }
    out: list[tuple[str, str]] = []
    for route in (r for r in resources if r.kind == "AIGatewayRoute"):
        for rule in route.to_dict()["spec"]["rules"]:
            schema = schemas[rule["backendRefs"][0]["name"]]
            headers: list[dict[str, Any]] = [
                h for m in rule.get("matches", []) for h in m.get("headers", [])
            ]
            for header in headers:
                if header["name"].lower() == MODEL_HEADER:
                    exact = header.get("type", "Exact") == "Exact"
                    out.append((header["value"] if exact else "any-model", schema))
    return out


def _ask(stack: Stack, model: str, schema: str, client_api: str) -> None:
    if schema == "Cohere":
        body = {"model": model, "query": "q", "documents": ["a q", "b"]}
        response = httpx.post(f"{stack.url}/cohere/v2/rerank", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["results"][0]["index"] == 0
    elif client_api == "Anthropic":
        message = _anthropic(stack).messages.create(
            model=model, max_tokens=32, messages=[{"role": "user", "content": "example"}]
        )
        assert "example" in message.content[0].text  # type: ignore[union-attr]
    else:
        chat = _openai(stack).chat.completions.create(
            model=model, messages=[{"role": "user", "content": "example"}]
        )
        assert "example" in (chat.choices[0].message.content or "")


@pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")
@pytest.mark.parametrize("name", sorted(SERVED))
def test_served_examples_load_and_answer(upstream: Upstream, stack: Stack, name: str) -> None:
    resources = _to_simulator(_load(upstream, SERVED[name]), stack.sim_port)
    stack.serve(*resources)
    models = _models(resources)
    assert models
    for model, schema in models:
        # Anthropic-schema backends get Anthropic Messages clients; OpenAI ones chat clients
        # (and, for the anthropic-openai example, Anthropic Messages clients as upstream's doc).
        client_api = "Anthropic" if schema == "Anthropic" or "anthropic" in name else "OpenAI"
        _ask(stack, model, schema, client_api)


def test_every_example_route_bundle_is_classified(upstream: Upstream) -> None:
    """A new upstream example with a route shows up here rather than going untested."""
    listed = {f for files in SERVED.values() for f in files}
    listed |= set(CLOUD)
    with_routes = {
        str(path.relative_to(upstream.examples))
        for path in upstream.examples.glob("basic/*.yaml")
        if "kind: AIGatewayRoute" in Path(path).read_text()
    }
    assert with_routes - listed == set()
