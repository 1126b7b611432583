"""One-line, secret-free summaries of resources, and the route -> backend table of a bundle.

Shared by the HTML reprs, the status panel and the bundle editor; works on the wire form, so
every version of a kind (and objects that failed to parse) is summarised the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aigw_sdk.models.base import Resource

MODEL_HEADER = "x-ai-eg-model"
MASK = "***"


@dataclass(frozen=True, slots=True)
class RouteRow:
    """One model (header match) of an AIGatewayRoute and the backends it is sent to."""

    route: str
    model: str
    backends: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.model} -> {', '.join(self.backends)} ({self.route})"


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _sub(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _spec(resource: Resource) -> dict[str, Any]:
    spec = masked_dict(resource).get("spec")
    return spec if isinstance(spec, dict) else {}


def masked_dict(resource: Resource) -> dict[str, Any]:
    """The wire form with every Secret value replaced by ``***``."""
    data = resource.to_dict()
    if data.get("kind") == "Secret":
        for field in ("data", "stringData"):
            values = data.get(field)
            if isinstance(values, dict):
                data[field] = dict.fromkeys(values, MASK)
    return data


def route_rows(resources: Iterable[Resource]) -> list[RouteRow]:
    """Every ``x-ai-eg-model`` match of every AIGatewayRoute rule, in document order."""
    rows: list[RouteRow] = []
    for resource in resources:
        if resource.kind != "AIGatewayRoute":
            continue
        for rule in _dicts(_spec(resource).get("rules")):
            backends = tuple(_backend_label(ref) for ref in _dicts(rule.get("backendRefs")))
            for model in _rule_models(rule):
                rows.append(RouteRow(resource.name, model, backends))
    return rows


def _rule_models(rule: dict[str, Any]) -> list[str]:
    models = []
    for match in _dicts(rule.get("matches")):
        for header in _dicts(match.get("headers")):
            if str(header.get("name", "")).lower() == MODEL_HEADER:
                kind = header.get("type", "Exact")
                value = str(header.get("value", ""))
                models.append(value if kind == "Exact" else f"~{value}")
    return models or ["*"]


def _backend_label(ref: dict[str, Any]) -> str:
    label = str(ref.get("name", "?"))
    extras = []
    if "priority" in ref:
        extras.append(f"priority {ref['priority']}")
    if "weight" in ref:
        extras.append(f"weight {ref['weight']}")
    return f"{label} ({', '.join(extras)})" if extras else label


def summarize(resource: Resource) -> str:
    """What the object does, in one line (never a secret value)."""
    spec = _spec(resource)
    kind = resource.kind
    if kind == "AIGatewayRoute":
        rows = route_rows([resource])
        return "; ".join(f"{r.model} -> {', '.join(r.backends)}" for r in rows)
    if kind == "AIServiceBackend":
        schema, ref = _sub(spec, "schema"), _sub(spec, "backendRef")
        target = f"{ref.get('kind', 'Backend')}/{ref.get('name', '?')}"
        return f"schema {schema.get('name', '?')} -> {target}"
    if kind == "BackendSecurityPolicy":
        targets = ", ".join(
            f"{t.get('kind', '?')}/{t.get('name', '?')}" for t in _dicts(spec.get("targetRefs"))
        )
        return f"{spec.get('type', '?')} for {targets or '?'}"
    if kind == "Backend":
        return ", ".join(_endpoint(e) for e in _dicts(spec.get("endpoints"))) or "no endpoints"
    if kind == "BackendTLSPolicy":
        validation = _sub(spec, "validation")
        return f"TLS to {validation.get('hostname', '?')}"
    if kind == "BackendTrafficPolicy":
        parts = []
        retry = _sub(spec, "retry")
        if retry:
            on = _sub(retry, "retryOn")
            codes = on.get("httpStatusCodes") or []
            parts.append(
                f"retry {retry.get('numRetries', '?')}x on {codes or on.get('triggers', [])}"
            )
        rules = _dicts(_sub(_sub(spec, "rateLimit"), "global").get("rules"))
        if rules:
            parts.append("rate limits: " + ", ".join(_rate_limit_label(r) for r in rules))
        return "; ".join(parts) or "traffic policy"
    if kind == "QuotaPolicy":
        return _quota_summary(spec)
    if kind == "MCPRoute":
        names = ", ".join(str(r.get("name", "?")) for r in _dicts(spec.get("backendRefs")))
        return f"MCP {spec.get('path', '/mcp')} -> {names or '?'}"
    if kind == "GatewayConfig":
        return "gateway settings: " + (", ".join(sorted(spec)) or "defaults")
    if kind == "Secret":
        data = resource.to_dict()
        keys = sorted({*_sub(data, "data"), *_sub(data, "stringData")})
        return ", ".join(f"{k}={MASK}" for k in keys) or "no keys"
    return ""


def _rate_limit_label(rule: dict[str, Any]) -> str:
    limit = _sub(rule, "limit")
    response = _sub(_sub(rule, "cost"), "response")
    what = str(_sub(response, "metadata").get("key") or "requests")
    return f"{limit.get('requests', '?')} {what}/{str(limit.get('unit', '?')).lower()}"


def _quota_summary(spec: dict[str, Any]) -> str:
    parts = []
    service = _sub(_sub(spec, "serviceQuota"), "quota")
    if service:
        parts.append(f"service {service.get('limit', '?')}/{service.get('duration', '?')}")
    for model in _dicts(spec.get("perModelQuotas")):
        bucket = _sub(_sub(model, "quota"), "defaultBucket")
        limit = f" {bucket.get('limit', '?')}/{bucket.get('duration', '?')}" if bucket else ""
        parts.append(f"{model.get('modelName', '?')}{limit}")
    targets = ", ".join(str(t.get("name", "?")) for t in _dicts(spec.get("targetRefs")))
    return f"quota {'; '.join(parts) or '?'} for {targets or '?'}"


def _endpoint(endpoint: dict[str, Any]) -> str:
    for field in ("fqdn", "ip"):
        target = endpoint.get(field)
        if isinstance(target, dict):
            host = target.get("hostname", target.get("address", "?"))
            return f"{host}:{target.get('port', '?')}"
    return "?"
