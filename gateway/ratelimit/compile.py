"""Compile BackendTrafficPolicy `rateLimit` and QuotaPolicy objects into a `RateLimitConfig`.

Problems (a bad regular expression, a cost expression that does not compile) make the bundle
unservable and are returned as errors; parts of these objects the local gateway does not serve
are returned as warnings naming the object and field.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from aigw_sdk.costs import compile_cost_expression
from aigw_sdk.models import QuotaPolicy, Resource
from aigw_sdk.models.envoy_gateway import (
    BackendTrafficPolicy,
    PolicyTargetReference,
    RateLimitCostSpecifier,
    RateLimitRule,
    RateLimitSelectCondition,
)
from gateway.ratelimit.rules import (
    AI_GATEWAY_NAMESPACE,
    UNIT_SECONDS,
    Condition,
    CostSource,
    LimitRule,
    ModelQuota,
    RateLimitConfig,
    RequestInfo,
)

__all__ = ["compile_ratelimits"]

_QUOTA_SECONDS: Final = {"1s": 1, "1m": 60, "1h": 3600, "1d": 86400}


@dataclass
class _Result:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _ident(resource: Resource) -> str:
    return f"{resource.kind} {resource.namespace or 'default'}/{resource.name}"


def compile_ratelimits(
    resources: Iterable[Resource],
) -> tuple[RateLimitConfig, list[str], list[str]]:
    """The limits of a bundle, with its problems (errors) and unserved parts (warnings)."""
    result = _Result()
    gateway_rules: list[LimitRule] = []
    route_rules: dict[str, list[LimitRule]] = {}
    policies: list[QuotaPolicy] = []
    claimed: dict[tuple[str, str, str], str] = {}  # (kind, namespace, name) -> the policy
    for resource in resources:
        if isinstance(resource, BackendTrafficPolicy):
            rules = _traffic_policy(resource, result)
            targets = []
            for index, target in enumerate(_targets(resource)):
                claim = (target.kind, resource.namespace or "default", target.name)
                first = claimed.setdefault(claim, _ident(resource))
                if first == _ident(resource):
                    targets.append(target)
                else:
                    result.warnings.append(
                        f"{_ident(resource)}: spec.targetRefs[{index}] {target.kind}/"
                        f"{target.name} is already targeted by {first}; as in Envoy Gateway only "
                        "one policy applies: this one is ignored for it"
                    )
            if not rules:
                continue
            for target in targets:
                if target.kind == "Gateway":
                    gateway_rules.extend(rules)
                elif target.kind == "HTTPRoute":
                    key = f"{resource.namespace or 'default'}/{target.name}"
                    route_rules.setdefault(key, []).extend(rules)
                else:
                    result.warnings.append(
                        f"{_ident(resource)}: spec.targetRefs {target.kind}/{target.name}: "
                        "rate limits apply locally to Gateway and HTTPRoute targets only"
                    )
        elif isinstance(resource, QuotaPolicy):
            policies.append(resource)
    quotas = _quotas(policies, result)
    config = RateLimitConfig(
        gateway_rules=tuple(gateway_rules),
        route_rules={k: tuple(v) for k, v in route_rules.items()},
        quotas=quotas,
    )
    return config, result.problems, result.warnings


def _targets(policy: BackendTrafficPolicy) -> list[PolicyTargetReference]:
    refs = list(policy.spec.target_refs or [])
    if policy.spec.target_ref is not None:
        refs.append(policy.spec.target_ref)
    return refs


def _traffic_policy(policy: BackendTrafficPolicy, result: _Result) -> list[LimitRule]:
    spec = policy.spec.rate_limit
    if spec is None:
        return []
    where = f"{_ident(policy)}: spec.rateLimit"
    if spec.local is not None or spec.type == "Local":
        result.warnings.append(
            f"{where}.local: local (per-proxy token bucket) rate limits are not enforced by the "
            "local gateway; use type Global"
        )
    if spec.global_ is None:
        return []
    rules: list[LimitRule] = []
    namespace = policy.namespace or "default"
    for index, rule in enumerate(spec.global_.rules or []):
        rule_where = f"{where}.global.rules[{index}]"
        compiled = _limit_rule(rule, f"btp/{namespace}/{policy.name}/{index}", rule_where, result)
        if compiled is not None:
            rules.append(compiled)
    return rules


def _limit_rule(rule: RateLimitRule, rule_id: str, where: str, result: _Result) -> LimitRule | None:
    conditions = tuple(
        _selector(selector, f"{where}.clientSelectors[{i}]", result)
        for i, selector in enumerate(rule.client_selectors or [])
    )
    cost = rule.cost
    request = _cost(cost.request if cost else None, f"{where}.cost.request", result)
    response = None
    if cost is not None and cost.response is not None:
        response = _cost(cost.response, f"{where}.cost.response", result)
    unknown = sorted(set(rule.model_extra or {}))
    if unknown:
        result.warnings.append(f"{where}: {', '.join(unknown)} not served by the local gateway")
    return LimitRule(
        id=rule_id,
        source=where.replace(": ", " "),
        conditions=conditions,
        limit=rule.limit.requests,
        window=UNIT_SECONDS[rule.limit.unit],
        unit=rule.limit.unit,
        request_cost=request or CostSource(),
        response_cost=response,
        shadow=bool(rule.shadow_mode),
    )


def _cost(spec: RateLimitCostSpecifier | None, where: str, result: _Result) -> CostSource | None:
    if spec is None:
        return None
    if spec.from_ == "Number":
        return CostSource(number=spec.number if spec.number is not None else 1)
    if spec.metadata is None:
        result.problems.append(f"{where}.metadata: required when from is Metadata")
        return None
    if spec.metadata.namespace != AI_GATEWAY_NAMESPACE:
        result.warnings.append(
            f"{where}.metadata.namespace: only {AI_GATEWAY_NAMESPACE} metadata exists locally; "
            f"{spec.metadata.namespace} costs count 0"
        )
        return CostSource(number=0)
    return CostSource(metadata_key=spec.metadata.key)


def _selector(
    selector: RateLimitSelectCondition | Any, where: str, result: _Result
) -> tuple[Condition, ...]:
    out: list[Condition] = []
    for i, header in enumerate(selector.headers or []):
        name = header.name.lower()
        out.append(
            _condition(
                f"header {name}",
                lambda r, n=name: r.headers.get(n),
                header.type or "Exact",
                header.value,
                bool(header.invert),
                f"{where}.headers[{i}]",
                result,
            )
        )
    for i, param in enumerate(selector.query_params or []):
        pname = param.name
        out.append(
            _condition(
                f"query {pname}",
                lambda r, n=pname: r.query.get(n),
                param.type or "Exact",
                param.value,
                bool(param.invert),
                f"{where}.queryParams[{i}]",
                result,
            )
        )
    if selector.methods:
        methods = [m for m in selector.methods if not m.invert]
        inverted = [m for m in selector.methods if m.invert]
        if methods:
            allowed = "|".join(re.escape(m.value.upper()) for m in methods)
            out.append(Condition("method", _method, regex=re.compile(allowed)))
        for method in inverted:
            out.append(Condition("method", _method, exact=method.value.upper(), invert=True))
    if selector.path is not None:
        path = selector.path
        kind = path.type or "PathPrefix"
        if kind == "PathPrefix":
            out.append(Condition("path", _path, prefix=path.value, invert=bool(path.invert)))
        else:
            out.append(
                _condition(
                    "path", _path, kind, path.value, bool(path.invert), f"{where}.path", result
                )
            )
    if selector.source_cidr is not None:
        source = selector.source_cidr
        try:
            network = ipaddress.ip_network(source.value, strict=False)
        except ValueError as exc:
            result.problems.append(f"{where}.sourceCIDR.value: {exc}")
        else:
            out.append(
                Condition(
                    "source",
                    _client,
                    network=network,
                    distinct=(source.type or "Exact") == "Distinct",
                )
            )
    return tuple(out)


def _method(request: RequestInfo) -> str:
    return request.method


def _path(request: RequestInfo) -> str:
    return request.path


def _client(request: RequestInfo) -> str | None:
    return request.client


def _condition(
    label: str,
    read: Any,
    kind: str,
    value: str | None,
    invert: bool,
    where: str,
    result: _Result,
) -> Condition:
    if kind == "Distinct":
        return Condition(label, read, distinct=True)
    if kind == "RegularExpression":
        try:
            return Condition(label, read, regex=re.compile(value or ""), invert=invert)
        except re.error as exc:
            result.problems.append(f"{where}.value: invalid regular expression {value!r}: {exc}")
    return Condition(label, read, exact=value or "", invert=invert)


def _quotas(policies: list[QuotaPolicy], result: _Result) -> dict[str, tuple[ModelQuota, ...]]:
    # The policy whose namespace/name sorts first wins for a (backend, model) pair.
    ordered = sorted(policies, key=lambda p: (p.namespace or "default", p.name))
    out: dict[str, dict[str, ModelQuota]] = {}
    for policy in ordered:
        spec = policy.spec
        if spec is None:
            continue
        namespace = policy.namespace or "default"
        where = f"{_ident(policy)}: spec"
        if spec.service_quota is not None:
            result.warnings.append(
                f"{where}.serviceQuota: not enforced (upstream v1.1 does not enforce it either); "
                "use perModelQuotas"
            )
        for target in spec.target_refs or []:
            backend = f"{namespace}/{target.name}"
            per_backend = out.setdefault(backend, {})
            for index, entry in enumerate(spec.per_model_quotas or []):
                if entry.model_name in per_backend:
                    continue
                quota_where = f"{where}.perModelQuotas[{index}].quota"
                base = f"quota/{namespace}/{policy.name}/{target.name}/{entry.model_name}"
                compiled = _model_quota(entry.model_name, entry.quota, base, quota_where, result)
                if compiled is not None:
                    per_backend[entry.model_name] = compiled
    return {backend: tuple(q.values()) for backend, q in out.items() if q}


def _model_quota(
    model: str, quota: Any, base: str, where: str, result: _Result
) -> ModelQuota | None:
    cost = None
    if quota.cost_expression:
        try:
            cost = compile_cost_expression(quota.cost_expression)
        except ValueError as exc:
            result.problems.append(f"{where}.costExpression: {exc}")
            return None
    buckets: list[LimitRule] = []
    for index, rule in enumerate(quota.bucket_rules or []):
        rule_where = f"{where}.bucketRules[{index}]"
        conditions: list[tuple[Condition, ...]] = []
        for i, selector in enumerate(rule.client_selectors or []):
            selector_where = f"{rule_where}.clientSelectors[{i}]"
            ignored = [
                name
                for name in ("sourceCIDR", "methods", "path", "queryParams")
                if getattr(selector, _snake(name)) is not None
            ]
            if ignored:
                result.warnings.append(
                    f"{selector_where}: {', '.join(ignored)} not honoured for quota buckets "
                    "(upstream applies only headers)"
                )
            conditions.append(_selector(_HeadersOnly(selector.headers), selector_where, result))
        buckets.append(
            LimitRule(
                id=f"{base}/bucket/{index}",
                source=rule_where.replace(": ", " "),
                conditions=tuple(conditions),
                limit=rule.quota.limit,
                window=_QUOTA_SECONDS[rule.quota.duration],
                unit=rule.quota.duration,
                request_cost=CostSource(number=0),
                shadow=bool(rule.shadow_mode),
                quota_cost=quota.cost_expression or "total_tokens",
            )
        )
    if quota.default_bucket is not None and quota.default_bucket.limit > 0:
        bucket = quota.default_bucket
        buckets.append(
            LimitRule(
                id=f"{base}/default",
                source=f"{where}.defaultBucket".replace(": ", " "),
                conditions=(),
                limit=bucket.limit,
                window=_QUOTA_SECONDS[bucket.duration],
                unit=bucket.duration,
                request_cost=CostSource(number=0),
                quota_cost=quota.cost_expression or "total_tokens",
            )
        )
    return ModelQuota(model=model, cost=cost, buckets=tuple(buckets)) if buckets else None


@dataclass(frozen=True)
class _HeadersOnly:
    headers: Any
    query_params: None = None
    methods: None = None
    path: None = None
    source_cidr: None = None


def _snake(name: str) -> str:
    return {"sourceCIDR": "source_cidr", "queryParams": "query_params"}.get(name, name)
