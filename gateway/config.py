"""Compile a bundle of resources into the immutable `RuntimeConfig` the data plane reads.

Every AI Gateway object is first converted to v1beta1 (the SDK's conversion), so compilation
works on one version. The model-list bodies come from `gateway.model_lists`; which headers
are credentials (masked in `/config`) from `gateway.redaction`.

Everything that can be decided from the configuration alone is decided here, once: rule
precedence, header matchers, backend URLs and TLS, credentials, merged mutations, retry policies,
timeouts and cost programs. The hot path only reads the result (the types live in
`gateway.runtime` and are re-exported here).
"""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Iterable
from datetime import datetime
from itertools import accumulate
from typing import Any, Final, Literal

import orjson
from pydantic import SecretStr

from aigw_sdk.conversion import ConversionError, convert_resource
from aigw_sdk.models import (
    AIGatewayRoute,
    AIServiceBackend,
    Backend,
    BackendSecurityPolicy,
    BackendTLSPolicy,
    BackendTrafficPolicy,
    Gateway,
    HTTPBodyMutation,
    HTTPHeaderMutation,
    ParseFailure,
    Resource,
    Secret,
)
from gateway.cloud_credentials import CLOUD_POLICY_TYPES, cloud_authorizer
from gateway.costs import CostProgram, compile_costs
from gateway.model_lists import ModelEntry, models_bodies
from gateway.ratelimit import compile_ratelimits
from gateway.redaction import is_credential_header
from gateway.runtime import (
    DEFAULT_BACKOFF_BASE,
    MODEL_HEADER,
    Authorizer,
    BackendRef,
    BackendTarget,
    BodyMutation,
    Credential,
    HeaderMatcher,
    HeaderMutation,
    HostScope,
    MatchEntry,
    RetryPolicy,
    Rule,
    RuntimeConfig,
)
from gateway.translation.registry import served_schemas
from gateway.unserved import unserved

__all__ = [
    "MODEL_HEADER",
    "BackendRef",
    "BackendTarget",
    "BodyMutation",
    "ConfigError",
    "Credential",
    "HeaderMatcher",
    "HeaderMutation",
    "HostScope",
    "MatchEntry",
    "RetryPolicy",
    "Rule",
    "RuntimeConfig",
    "compile_config",
    "merge_header_mutations",
    "parse_duration",
]

DEFAULT_REQUEST_TIMEOUT: Final = 60.0
_DURATION_PART = re.compile(r"([0-9]{1,5})(h|ms|m|s)")
_DURATION_FULL = re.compile(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$")
_UNIT_SECONDS: Final = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
# Envoy's provider names for the gen_ai.provider.name attribute (§7).
_PROVIDER: Final[dict[str, str]] = {
    "OpenAI": "openai",
    "AzureOpenAI": "azure.openai",
    "Anthropic": "anthropic",
    "Cohere": "cohere",
    "AWSBedrock": "aws.bedrock",
    "AWSAnthropic": "aws.anthropic",
    "GCPVertexAI": "gcp.vertex_ai",
    "GCPAnthropic": "gcp.anthropic",
}
_CREDENTIAL_HEADER: Final = {
    "APIKey": ("authorization", "Bearer "),
    "AnthropicAPIKey": ("x-api-key", ""),
    "AzureAPIKey": ("api-key", ""),
}
_POLICY_FIELD: Final = {
    "APIKey": "api_key",
    "AnthropicAPIKey": "anthropic_api_key",
    "AzureAPIKey": "azure_api_key",
}
# Envoy retry defaults when a BackendTrafficPolicy sets `retry` without these fields.
_DEFAULT_RETRY_TRIGGERS: Final = frozenset(
    {"connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"}
)
_DEFAULT_RETRY_CODES: Final = frozenset({503})
_DEFAULT_NUM_RETRIES: Final = 2


class ConfigError(Exception):
    """The bundle cannot be served locally; `problems` lists every reason, naming each object."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_duration(value: str, where: str) -> float:
    """A Gateway API duration (`1h30m`, `500ms`) in seconds."""
    if not _DURATION_FULL.match(value):
        raise ValueError(f"{where}: invalid duration {value!r}")
    return sum(int(n) * _UNIT_SECONDS[unit] for n, unit in _DURATION_PART.findall(value))


# -- compilation -----------------------------------------------------------------------------------


def _ns(resource: Resource) -> str:
    return resource.namespace or "default"


def _ident(resource: Resource) -> str:
    return f"{resource.kind} {_ns(resource)}/{resource.name}"


class _Compiler:
    """Resolves references across the bundle, collecting every problem before failing."""

    def __init__(self, resources: list[Resource]) -> None:
        self.problems: list[str] = []
        self.routes: list[AIGatewayRoute] = []
        self.services: dict[tuple[str, str], AIServiceBackend] = {}
        self.backends: dict[tuple[str, str], Backend] = {}
        self.secrets: dict[tuple[str, str], Secret] = {}
        self.tls: dict[tuple[str, str], BackendTLSPolicy] = {}
        self.policies: dict[tuple[str, str], BackendSecurityPolicy] = {}
        self.traffic: dict[tuple[str, str], BackendTrafficPolicy] = {}
        self.gateway_traffic: dict[tuple[str, str], BackendTrafficPolicy] = {}
        self.gateways: list[Gateway] = []
        self.targets: dict[tuple[str, str], BackendTarget | None] = {}
        for resource in resources:
            self._index(resource)

    def _index(self, r: Resource) -> None:
        key = (_ns(r), r.name)
        if isinstance(r, ParseFailure):
            self.problems.append(f"{_ident(r)}: does not fit its schema: {r.error}")
        elif isinstance(r, AIGatewayRoute):
            self.routes.append(r)
        elif isinstance(r, AIServiceBackend):
            self.services[key] = r
        elif isinstance(r, Backend):
            self.backends[key] = r
        elif isinstance(r, Secret):
            self.secrets[key] = r
        elif isinstance(r, Gateway):
            self.gateways.append(r)
        elif isinstance(r, BackendTLSPolicy):
            for ref in r.spec.target_refs:
                if ref.kind == "Backend":
                    self.tls[(_ns(r), ref.name)] = r
        elif isinstance(r, BackendSecurityPolicy):
            self._index_security(r)
        elif isinstance(r, BackendTrafficPolicy):
            refs = list(r.spec.target_refs or [])
            if r.spec.target_ref is not None:
                refs.append(r.spec.target_ref)
            for ref in refs:
                if ref.kind == "HTTPRoute":
                    self.traffic.setdefault((_ns(r), ref.name), r)  # the first one wins
                elif ref.kind == "Gateway":
                    self.gateway_traffic.setdefault((_ns(r), ref.name), r)

    def _index_security(self, r: BackendSecurityPolicy) -> None:
        spec = r.spec
        if spec is None:
            self.problems.append(f"{_ident(r)}: spec is required")
            return
        if spec.type not in _CREDENTIAL_HEADER and spec.type not in CLOUD_POLICY_TYPES:
            self.problems.append(
                f"{_ident(r)}: type {spec.type} is not yet supported by the local gateway "
                "(supported: APIKey, AnthropicAPIKey, AzureAPIKey, AWSCredentials, "
                "GCPCredentials, AzureCredentials)"
            )
            return
        if getattr(spec, "credential_override", None) is not None:
            self.problems.append(
                f"{_ident(r)}: credentialOverride is not yet supported by the local gateway"
            )
            return
        for ref in spec.target_refs or []:
            if ref.kind != "AIServiceBackend":
                self.problems.append(
                    f"{_ident(r)}: targetRefs {ref.kind}/{ref.name}: only AIServiceBackend "
                    "targets are supported by the local gateway"
                )
                continue
            key = (_ns(r), ref.name)
            if key in self.policies:
                self.problems.append(
                    f"{_ident(r)}: AIServiceBackend {key[0]}/{key[1]} already has "
                    f"BackendSecurityPolicy {self.policies[key].name!r}"
                )
            self.policies[key] = r

    # -- backends --------------------------------------------------------------------------------

    def target(self, namespace: str, name: str, where: str) -> BackendTarget | None:
        key = (namespace, name)
        if key not in self.targets:
            service = self.services.get(key)
            if service is None:
                self.problems.append(f"{where}: AIServiceBackend {namespace}/{name} not found")
                self.targets[key] = None
            else:
                self.targets[key] = self._resolve_service(service)
        return self.targets[key]

    def _resolve_service(self, service: AIServiceBackend) -> BackendTarget | None:
        where = _ident(service)
        spec = service.spec
        if spec is None:
            self.problems.append(f"{where}: spec is required")
            return None
        schema = spec.schema_.name
        served = served_schemas()
        if schema not in served:
            self.problems.append(
                f"{where}: spec.schema.name {schema} is not yet supported by the local gateway "
                f"(supported: {', '.join(sorted(served))})"
            )
            return None
        ref = spec.backend_ref
        if (ref.kind or "Service") != "Backend":
            self.problems.append(
                f"{where}: spec.backendRef: only Envoy Gateway Backend references are supported "
                f"locally, not kind {ref.kind or 'Service'}"
            )
            return None
        backend_ns = ref.namespace or _ns(service)
        backend = self.backends.get((backend_ns, ref.name))
        if backend is None:
            self.problems.append(
                f"{where}: spec.backendRef: Backend {backend_ns}/{ref.name} not found"
            )
            return None
        endpoint = self._endpoint(backend)
        if endpoint is None:
            return None
        host, port = endpoint
        tls_policy = self.tls.get((backend_ns, ref.name))
        context: ssl.SSLContext | Literal[False] = False
        server_hostname: str | None = None
        if tls_policy is not None:
            validation = tls_policy.spec.validation
            if validation.ca_certificate_refs:
                self.problems.append(
                    f"{_ident(tls_policy)}: validation.caCertificateRefs is not yet supported by "
                    "the local gateway (use wellKnownCACertificates: System)"
                )
            context = ssl.create_default_context()
            server_hostname = validation.hostname
        scheme = "https" if tls_policy is not None else "http"
        url_host = f"[{host}]" if ":" in host else host
        prefix = "/" + (spec.schema_.prefix or "v1").strip("/")
        return BackendTarget(
            name=f"{_ns(service)}/{service.name}",
            schema=schema,
            provider=_PROVIDER.get(schema, schema.lower()),
            prefix="" if prefix == "/" else prefix,
            version=spec.schema_.version or None,
            base_url=f"{scheme}://{url_host}:{port}",
            ssl=context,
            server_hostname=server_hostname,
            credential=self._credential(service),
            authorizer=self._authorizer(service, schema),
        )

    def _endpoint(self, backend: Backend) -> tuple[str, int] | None:
        endpoints = backend.spec.endpoints or []
        for endpoint in endpoints:
            if endpoint.fqdn is not None:
                return endpoint.fqdn.hostname, endpoint.fqdn.port
            if endpoint.ip is not None:
                return endpoint.ip.address, endpoint.ip.port
        what = "unix socket endpoints are not supported locally" if endpoints else "no endpoints"
        self.problems.append(f"{_ident(backend)}: spec.endpoints: {what}")
        return None

    def _authorizer(self, service: AIServiceBackend, schema: str) -> Authorizer | None:
        policy = self.policies.get((_ns(service), service.name))
        if policy is None or policy.spec is None or policy.spec.type not in CLOUD_POLICY_TYPES:
            if schema in ("GCPVertexAI", "GCPAnthropic"):
                self.problems.append(
                    f"{_ident(service)}: schema {schema} needs a GCPCredentials "
                    "BackendSecurityPolicy (it supplies the project and region of the path)"
                )
            return None
        return cloud_authorizer(
            policy.spec.type,
            policy.spec,
            where=_ident(policy),
            namespace=_ns(policy),
            secrets=lambda ns, name: self.secrets.get((ns, name)),
            problems=self.problems,
        )

    def _credential(self, service: AIServiceBackend) -> Credential | None:
        policy = self.policies.get((_ns(service), service.name))
        if policy is None or policy.spec is None or policy.spec.type in CLOUD_POLICY_TYPES:
            return None
        header, prefix = _CREDENTIAL_HEADER[policy.spec.type]
        holder = getattr(policy.spec, _POLICY_FIELD[policy.spec.type])
        if holder is None:
            self.problems.append(f"{_ident(policy)}: spec: type {policy.spec.type} needs its block")
            return None
        ref = holder.secret_ref
        secret_ns = ref.namespace or _ns(policy)
        secret = self.secrets.get((secret_ns, ref.name))
        if secret is None:
            self.problems.append(f"{_ident(policy)}: Secret {secret_ns}/{ref.name} not found")
            return None
        try:
            value = secret.value("apiKey")
        except ValueError as exc:
            self.problems.append(f"{_ident(secret)}: {exc}")
            return None
        if value is None:
            # An empty key is accepted, as upstream does (e.g. `aigw run` in front of Ollama).
            self.problems.append(f"{_ident(secret)}: key apiKey is missing")
            return None
        return Credential(header, SecretStr(prefix + value.strip()))

    # -- routes ----------------------------------------------------------------------------------

    def retry_policy(self, route: AIGatewayRoute) -> RetryPolicy:
        btp = self.traffic.get((_ns(route), route.name))
        if btp is None:
            for parent in (route.spec.parent_refs if route.spec else None) or []:
                btp = self.gateway_traffic.get((parent.namespace or _ns(route), parent.name))
                if btp is not None:
                    break
        if btp is None or btp.spec.retry is None:
            return RetryPolicy()
        retry = btp.spec.retry
        where = f"{_ident(btp)}: spec.retry"
        triggers = _DEFAULT_RETRY_TRIGGERS
        codes = _DEFAULT_RETRY_CODES
        if retry.retry_on is not None:
            triggers = frozenset(retry.retry_on.triggers or ())
            codes = frozenset(retry.retry_on.http_status_codes or ())
            if codes and not retry.retry_on.triggers:
                triggers = frozenset({"retriable-status-codes"})
        per_try: float | None = None
        base, cap = DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_BASE * 10
        try:
            if retry.per_retry is not None:
                if retry.per_retry.timeout:
                    per_try = parse_duration(retry.per_retry.timeout, f"{where}.perRetry.timeout")
                back_off = retry.per_retry.back_off
                if back_off is not None and back_off.base_interval:
                    base = parse_duration(back_off.base_interval, f"{where}.perRetry.backOff")
                    cap = base * 10
                if back_off is not None and back_off.max_interval:
                    cap = parse_duration(back_off.max_interval, f"{where}.perRetry.backOff")
        except ValueError as exc:
            self.problems.append(str(exc))
        return RetryPolicy(
            num_retries=_DEFAULT_NUM_RETRIES if retry.num_retries is None else retry.num_retries,
            num_attempts_per_priority=retry.num_attempts_per_priority or 0,
            triggers=triggers,
            status_codes=codes,
            per_try_timeout=per_try,
            backoff_base=base,
            backoff_max=max(cap, base),
        )

    def rules(self, route: AIGatewayRoute) -> list[tuple[tuple[HeaderMatcher, ...], Rule, int]]:
        """(matchers, rule, match index) for every matches[] entry of the route."""
        out: list[tuple[tuple[HeaderMatcher, ...], Rule, int]] = []
        spec = route.spec
        if spec is None:
            self.problems.append(f"{_ident(route)}: spec is required")
            return out
        route_name = f"{_ns(route)}/{route.name}"
        retry = self.retry_policy(route)
        try:
            costs = compile_costs(spec.llm_request_costs or [])
        except ValueError as exc:
            self.problems.append(f"{_ident(route)}: spec.llmRequestCosts: {exc}")
            costs = ()
        for index, rule in enumerate(spec.rules):
            where = f"{_ident(route)}: spec.rules[{index}]"
            compiled = self._rule(route, route_name, index, rule, retry, costs, where)
            matches = rule.matches or []
            if not matches:
                out.append(((), compiled, 0))
            for match_index, match in enumerate(matches):
                matchers = tuple(
                    self._matcher(
                        h.name, h.type or "Exact", h.value, f"{where}.matches[{match_index}]"
                    )
                    for h in match.headers or []
                )
                out.append((matchers, compiled, match_index))
        return out

    def _matcher(self, name: str, kind: str, value: str, where: str) -> HeaderMatcher:
        if kind == "RegularExpression":
            try:
                return HeaderMatcher(name.lower(), None, re.compile(value))
            except re.error as exc:
                self.problems.append(f"{where}: invalid regular expression {value!r}: {exc}")
        return HeaderMatcher(name.lower(), value, None)

    def _rule(
        self,
        route: AIGatewayRoute,
        route_name: str,
        index: int,
        rule: Any,
        retry: RetryPolicy,
        costs: tuple[CostProgram, ...],
        where: str,
    ) -> Rule:
        request: float | None = DEFAULT_REQUEST_TIMEOUT
        backend_request: float | None = None
        idle: float | None = None
        try:
            if rule.timeouts is not None and rule.timeouts.request:
                request = parse_duration(rule.timeouts.request, f"{where}.timeouts.request") or None
            if rule.timeouts is not None and rule.timeouts.backend_request:
                backend_request = (
                    parse_duration(
                        rule.timeouts.backend_request, f"{where}.timeouts.backendRequest"
                    )
                    or None
                )
            if rule.stream_idle_timeout:
                idle = (
                    parse_duration(rule.stream_idle_timeout, f"{where}.streamIdleTimeout") or None
                )
        except ValueError as exc:
            self.problems.append(str(exc))
        by_priority: dict[int, list[BackendRef]] = {}
        for ref_index, ref in enumerate(rule.backend_refs or []):
            ref_where = f"{where}.backendRefs[{ref_index}]"
            if ref.group or ref.kind:
                self.problems.append(
                    f"{ref_where}: {ref.kind or ref.group} references are not supported locally"
                )
                continue
            namespace = ref.namespace or _ns(route)
            target = self.target(namespace, ref.name, ref_where)
            if target is None:
                continue
            weight = 1 if ref.weight is None else ref.weight
            if weight <= 0:
                continue
            service = self.services[(namespace, ref.name)]
            assert service.spec is not None  # resolved above
            compiled = BackendRef(
                target=target,
                weight=weight,
                priority=ref.priority or 0,
                model_name_override=ref.model_name_override or None,
                header_mutation=merge_header_mutations(
                    service.spec.header_mutation, ref.header_mutation
                ),
                body_mutation=self._body_mutation(
                    service.spec.body_mutation, ref.body_mutation, ref_where
                ),
                cel_name=f"{namespace}/{ref.name}/route/{route.name}/rule/{index}/ref/{ref_index}",
            )
            by_priority.setdefault(compiled.priority, []).append(compiled)
        priorities = tuple(tuple(by_priority[p]) for p in sorted(by_priority))
        return Rule(
            route_name=route_name,
            rule_index=index,
            priorities=priorities,
            cumulative_weights=tuple(
                tuple(accumulate(ref.weight for ref in refs)) for refs in priorities
            ),
            request_timeout=request,
            backend_request_timeout=backend_request,
            stream_idle_timeout=idle,
            retry=retry,
            costs=costs,
        )

    def _body_mutation(
        self, service: HTTPBodyMutation | None, ref: HTTPBodyMutation | None, where: str
    ) -> BodyMutation:
        sets: dict[str, Any] = {}
        removes: list[str] = []
        for source in (service, ref):  # backendRef last: it wins on the same path
            if source is None:
                continue
            for item in source.set or []:
                sets[item.path] = _body_value(item.value)
            for path in source.remove or []:
                if path not in removes:
                    removes.append(path)
        return BodyMutation(set=tuple(sets.items()), remove=tuple(removes))


_IGNORED_HEADERS: Final = ("x-envoy-original-path",)


def _header_ignored(name: str) -> bool:
    return name.startswith((":", "x-ai-eg-")) or name in _IGNORED_HEADERS


def merge_header_mutations(
    service: HTTPHeaderMutation | None, ref: HTTPHeaderMutation | None
) -> HeaderMutation:
    """Union of both levels; on the same (case-insensitive) name the backendRef level wins."""
    sets: dict[str, str] = {}
    removes: set[str] = set()
    for source in (service, ref):
        if source is None:
            continue
        for item in source.set or []:
            name = item.name.lower()
            if not _header_ignored(name):
                sets[name] = item.value
        removes.update(n.lower() for n in source.remove or [] if not _header_ignored(n.lower()))
    return HeaderMutation(set=tuple(sets.items()), remove=frozenset(removes))


def _body_value(text: str) -> Any:
    """Upstream's rule: JSON text is inserted raw (decoded here), any other text as a string."""
    try:
        return orjson.loads(text.strip())
    except orjson.JSONDecodeError:
        return text


def _timestamp(stamp: str, where: str, problems: list[str]) -> float | None:
    """An RFC 3339 timestamp in epoch seconds; a problem naming `where` when it is not one."""
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        problems.append(f"{where}: invalid RFC 3339 timestamp {stamp!r}")
        return None


def _creation_key(route: AIGatewayRoute, problems: list[str]) -> float:
    """Route age for precedence; a route not yet created is younger than any stored one."""
    stamp = route.metadata.creation_timestamp
    where = f"{_ident(route)}: metadata.creationTimestamp"
    created = _timestamp(stamp, where, problems) if stamp else None
    return float("inf") if created is None else created


def _route_models(route: AIGatewayRoute, created: int, problems: list[str]) -> list[ModelEntry]:
    """The models a route lists on `/v1/models`: its Exact `x-ai-eg-model` matches (§4.7)."""
    models: list[ModelEntry] = []
    for index, rule in enumerate(route.spec.rules if route.spec is not None else []):
        rule_created = created
        if rule.models_created_at:
            where = f"{_ident(route)}: spec.rules[{index}].modelsCreatedAt"
            stamp = _timestamp(rule.models_created_at, where, problems)
            rule_created = created if stamp is None else int(stamp)
        owner = rule.models_owned_by or "Envoy AI Gateway"
        for match in rule.matches or []:
            for header in match.headers or []:
                exact = (header.type or "Exact") == "Exact"
                if header.name.lower() == MODEL_HEADER and exact:
                    models.append(ModelEntry(header.value, rule_created, owner))
    return models


def _redact(resource: Resource) -> dict[str, Any]:
    """The wire form for `/config`: Secret values and credential header values masked."""
    doc = resource.to_dict()
    if isinstance(resource, Secret) or doc.get("kind") == "Secret":
        for key in ("data", "stringData"):
            if isinstance(doc.get(key), dict):
                doc[key] = dict.fromkeys(doc[key], "***")
    else:
        _mask_credential_headers(doc)
    return doc


def _mask_credential_headers(node: Any) -> None:
    """Mask `{name, value}` items naming a credential header (e.g. a headerMutation `set`)."""
    if isinstance(node, dict):
        name = node.get("name")
        if isinstance(name, str) and is_credential_header(name) and "value" in node:
            node["value"] = "***"
        for child in node.values():
            _mask_credential_headers(child)
    elif isinstance(node, list):
        for child in node:
            _mask_credential_headers(child)


def _to_v1beta1(resources: Iterable[Resource]) -> tuple[list[Resource], list[str]]:
    """Every AI Gateway object in v1beta1 (the SDK's conversion), so one version is compiled."""
    out: list[Resource] = []
    problems: list[str] = []
    for resource in resources:
        if resource.api_version.endswith("/v1alpha1") and not isinstance(resource, ParseFailure):
            try:
                resource = convert_resource(resource, "v1beta1")
            except ConversionError as exc:
                problems.append(f"{_ident(resource)}: {exc}")
        out.append(resource)
    return out, problems


def compile_config(resources: Iterable[Resource], *, generation: int = 0) -> RuntimeConfig:
    """Compile resources (a Bundle or any iterable); raise `ConfigError` listing every problem."""
    items = list(resources)
    converted, conversion_problems = _to_v1beta1(items)
    compiler = _Compiler(converted)
    compiler.problems.extend(conversion_problems)
    if len(compiler.gateways) > 1:
        compiler.problems.append("multiple gateways are not supported")
    listen_port: int | None = None
    if compiler.gateways:
        listeners = compiler.gateways[0].spec.listeners or []
        if listeners:
            listen_port = listeners[0].port
    ordered = sorted(
        ((r, _creation_key(r, compiler.problems)) for r in compiler.routes),
        key=lambda rc: (rc[1], _ns(rc[0]), rc[0].name),
    )
    now = int(time.time())
    # hostname (None: any) -> the (sort key, entry) pairs and the models of its routes
    scopes: dict[str | None, tuple[list[tuple[tuple[int, ...], MatchEntry]], list[ModelEntry]]]
    scopes = {}
    for position, (route, created) in enumerate(ordered):
        keyed = [
            ((-len(matchers), position, rule.rule_index, match_index), MatchEntry(matchers, rule))
            for matchers, rule, match_index in compiler.rules(route)
        ]
        route_created = now if created == float("inf") else int(created)
        models = _route_models(route, route_created, compiler.problems)
        hostnames: list[str | None] = [None]
        if route.spec is not None and route.spec.hostnames:
            hostnames = list(route.spec.hostnames)
        for hostname in hostnames:
            scope_keyed, scope_models = scopes.setdefault(
                hostname.lower() if hostname else None, ([], [])
            )
            scope_keyed.extend(keyed)
            scope_models.extend(models)
    ratelimits, limit_problems, limit_warnings = compile_ratelimits(items)
    compiler.problems.extend(limit_problems)
    if compiler.problems:
        raise ConfigError(compiler.problems)

    def scope(hostname: str | None) -> HostScope:
        keyed, models = scopes.get(hostname, ([], []))
        keyed.sort(key=lambda ke: ke[0])
        openai_models, anthropic_models = models_bodies(models)
        return HostScope(tuple(e for _, e in keyed), openai_models, anthropic_models)

    exact: dict[str, HostScope] = {}
    wildcards: list[tuple[str, HostScope]] = []
    for hostname in scopes:
        if hostname is None:
            continue
        if hostname.startswith("*."):
            wildcards.append((hostname[1:], scope(hostname)))
        else:
            exact[hostname] = scope(hostname)
    wildcards.sort(key=lambda sw: -len(sw[0]))
    return RuntimeConfig(
        default_scope=scope(None),
        exact_hosts=exact,
        wildcard_hosts=tuple(wildcards),
        listen_port=listen_port,
        documents=tuple(_redact(r) for r in items),
        generation=generation,
        ratelimits=ratelimits,
        warnings=(*unserved(items), *limit_warnings),
    )
