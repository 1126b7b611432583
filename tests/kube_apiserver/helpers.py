"""Shared object builders for the server's tests."""

from __future__ import annotations

import json
from typing import Any

from kubernetes import client

JSON = dict[str, Any]

GROUP = "aigateway.envoyproxy.io"
V1BETA1 = f"{GROUP}/v1beta1"
BACKENDS = f"/apis/{GROUP}/v1beta1/namespaces/default/aiservicebackends"
ROUTES = f"/apis/{GROUP}/v1beta1/namespaces/default/aigatewayroutes"
APPLY_TYPE = {"Content-Type": "application/apply-patch+yaml"}


def service_backend(name: str, backend: str = "eg-backend", **labels: str) -> JSON:
    """A valid v1beta1 AIServiceBackend referencing the Envoy Gateway Backend ``backend``."""
    return {
        "apiVersion": V1BETA1,
        "kind": "AIServiceBackend",
        "metadata": {"name": name, "labels": dict(labels)},
        "spec": {
            "schema": {"name": "OpenAI"},
            "backendRef": {"name": backend, "kind": "Backend", "group": "gateway.envoyproxy.io"},
        },
    }


def route(name: str, *backends: str) -> JSON:
    """A valid v1beta1 AIGatewayRoute with one rule over ``backends``."""
    return {
        "apiVersion": V1BETA1,
        "kind": "AIGatewayRoute",
        "metadata": {"name": name},
        "spec": {
            "parentRefs": [{"name": "gw", "kind": "Gateway", "group": "gateway.networking.k8s.io"}],
            "rules": [{"name": "r0", "backendRefs": [{"name": b} for b in backends]}],
        },
    }


def eg_backend(name: str) -> JSON:
    """An Envoy Gateway Backend (no schema: any spec is kept)."""
    return {
        "apiVersion": "gateway.envoyproxy.io/v1alpha1",
        "kind": "Backend",
        "metadata": {"name": name},
        "spec": {"endpoints": [{"fqdn": {"hostname": "api.openai.com", "port": 443}}]},
    }


def status_of(error: client.ApiException) -> JSON:
    """The ``Status`` body of an official-client error."""
    body: JSON = json.loads(error.body or "null")
    return body
