"""Envoy AI Gateway resource models, generated from the upstream CRDs.

Written by tools/gen_models.py. Do not edit by hand: change the generator and re-run it.
"""

# ruff: noqa: E501
from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from aigw_sdk.models.base import CelRule, Limits, Resource, ResourceStatus, SchemaModel


class LLMRequestCost(SchemaModel):
    """LLMRequestCost configures each request cost."""

    _required: ClassVar[tuple[str, ...]] = ("metadataKey", "type")

    cel: str | None = None
    metadata_key: str
    type: Annotated[
        Literal[
            "OutputToken",
            "InputToken",
            "CachedInputToken",
            "CacheCreationInputToken",
            "TotalToken",
            "ReasoningToken",
            "CEL",
        ],
        Limits(
            enum=(
                "OutputToken",
                "InputToken",
                "CachedInputToken",
                "CacheCreationInputToken",
                "TotalToken",
                "ReasoningToken",
                "CEL",
            )
        ),
    ]


class ParentReference(SchemaModel):
    """ParentReference identifies an API object (usually a Gateway) that can be considered a parent of this resource (usually a route)."""

    _required: ClassVar[tuple[str, ...]] = ("name",)

    group: Annotated[
        str | None,
        Limits(
            max_length=253,
            pattern="^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
            default="gateway.networking.k8s.io",
            has_default=True,
        ),
    ] = None
    kind: Annotated[
        str | None,
        Limits(
            min_length=1,
            max_length=63,
            pattern="^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$",
            default="Gateway",
            has_default=True,
        ),
    ] = None
    name: Annotated[str, Limits(min_length=1, max_length=253)]
    namespace: Annotated[
        str | None, Limits(min_length=1, max_length=63, pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    ] = None
    port: Annotated[int | None, Limits(minimum=1, maximum=65535, format="int32")] = None
    section_name: Annotated[
        str | None,
        Limits(
            min_length=1,
            max_length=253,
            pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        ),
    ] = None


class HTTPBodyMutationSet(SchemaModel):
    """HTTPBodyField represents a JSON field name and value for body mutation"""

    _required: ClassVar[tuple[str, ...]] = ("path", "value")

    path: Annotated[str, Limits(min_length=1)]
    value: str


class HTTPBodyMutation(SchemaModel):
    """BodyMutation defines the request body mutation to be applied to this backend."""

    remove: Annotated[list[str] | None, Limits(max_items=16, list_type="set")] = None
    set: Annotated[
        list[HTTPBodyMutationSet] | None,
        Limits(max_items=16, list_type="map", list_map_keys=("path",)),
    ] = None


class HTTPHeaderMutationSet(SchemaModel):
    """HTTPHeader represents an HTTP Header name and value as defined by RFC 7230."""

    _required: ClassVar[tuple[str, ...]] = ("name", "value")

    name: Annotated[
        str, Limits(min_length=1, max_length=256, pattern="^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$")
    ]
    value: Annotated[str, Limits(min_length=1, max_length=4096)]


class HTTPHeaderMutation(SchemaModel):
    """HeaderMutation defines the request header mutation to be applied to this backend."""

    remove: Annotated[list[str] | None, Limits(max_items=16, list_type="set")] = None
    set: Annotated[
        list[HTTPHeaderMutationSet] | None,
        Limits(max_items=16, list_type="map", list_map_keys=("name",)),
    ] = None


class AIGatewayRouteRuleBackendRef(SchemaModel):
    """AIGatewayRouteRuleBackendRef is a reference to a backend with a weight."""

    _required: ClassVar[tuple[str, ...]] = ("name",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!has(self.group) && !has(self.kind) || (has(self.group) && has(self.kind))",
                message="group and kind must be specified together",
            ),
            CelRule(
                rule="!has(self.group) || (self.group == 'inference.networking.k8s.io' && self.kind == 'InferencePool')",
                message="only InferencePool from inference.networking.k8s.io group is supported",
            ),
        )
    )

    body_mutation: HTTPBodyMutation | None = None
    group: Annotated[
        str | None,
        Limits(
            max_length=253,
            pattern="^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        ),
    ] = None
    header_mutation: HTTPHeaderMutation | None = None
    kind: Annotated[
        str | None, Limits(max_length=63, pattern="^$|^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    ] = None
    model_name_override: str | None = None
    name: Annotated[str, Limits(min_length=1)]
    namespace: Annotated[
        str | None, Limits(min_length=1, max_length=63, pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    ] = None
    priority: Annotated[
        int | None, Limits(minimum=0, format="int32", default=0, has_default=True)
    ] = None
    weight: Annotated[
        int | None, Limits(minimum=0, format="int32", default=1, has_default=True)
    ] = None


class AIGatewayRouteRuleMatchHeader(SchemaModel):
    """HTTPHeaderMatch describes how to select a HTTP route by matching HTTP request headers."""

    _required: ClassVar[tuple[str, ...]] = ("name", "value")

    name: Annotated[
        str, Limits(min_length=1, max_length=256, pattern="^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$")
    ]
    type: Annotated[
        Literal["Exact", "RegularExpression"] | None,
        Limits(enum=("Exact", "RegularExpression"), default="Exact", has_default=True),
    ] = None
    value: Annotated[str, Limits(min_length=1, max_length=4096)]


class AIGatewayRouteRuleMatch(SchemaModel):
    """The `AIGatewayRouteRuleMatch` object."""

    headers: Annotated[
        list[AIGatewayRouteRuleMatchHeader] | None,
        Limits(max_items=16, list_type="map", list_map_keys=("name",)),
    ] = None


class HTTPRouteTimeouts(SchemaModel):
    """Timeouts defines the timeouts that can be configured for an HTTP request."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))",
                message="backendRequest timeout cannot be longer than request timeout",
            ),
        )
    )

    backend_request: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None
    request: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None


class AIGatewayRouteRule(SchemaModel):
    """AIGatewayRouteRule is a rule that defines the routing behavior of the AIGatewayRoute."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!has(self.name) || self.name != 'route-not-found'",
                message="rule name route-not-found is reserved",
            ),
            CelRule(
                rule="!has(self.backendRefs) || size(self.backendRefs) == 0 || (self.backendRefs.all(ref, !has(ref.group) && !has(ref.kind)) || self.backendRefs.all(ref, has(ref.group) && has(ref.kind)))",
                message="cannot mix InferencePool and AIServiceBackend references in the same rule",
            ),
            CelRule(
                rule="!has(self.backendRefs) || size(self.backendRefs) == 0 || !self.backendRefs.exists(ref, has(ref.group) && has(ref.kind)) || size(self.backendRefs) == 1",
                message="only one InferencePool backend is allowed per rule",
            ),
        )
    )

    backend_refs: Annotated[list[AIGatewayRouteRuleBackendRef] | None, Limits(max_items=128)] = None
    matches: Annotated[list[AIGatewayRouteRuleMatch] | None, Limits(max_items=128)] = None
    models_created_at: Annotated[str | None, Limits(format="date-time")] = None
    models_owned_by: Annotated[str | None, Limits(default="Envoy AI Gateway", has_default=True)] = (
        None
    )
    name: Annotated[
        str | None,
        Limits(
            min_length=1,
            max_length=253,
            pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        ),
    ] = None
    stream_idle_timeout: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = (
        None
    )
    timeouts: HTTPRouteTimeouts | None = None


class AIGatewayRouteSpec(SchemaModel):
    """Spec defines the details of the AIGatewayRoute."""

    _required: ClassVar[tuple[str, ...]] = ("rules",)

    hostnames: Annotated[
        list[
            Annotated[
                str,
                Limits(
                    min_length=1,
                    max_length=253,
                    pattern="^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
                ),
            ]
        ]
        | None,
        Limits(max_items=16),
    ] = None
    llm_request_costs: Annotated[list[LLMRequestCost] | None, Limits(max_items=36)] = None
    parent_refs: Annotated[
        list[ParentReference] | None,
        Limits(
            max_items=16,
            rules=(
                CelRule(
                    rule="self.all(match, match.kind == 'Gateway')",
                    message="only Gateway is supported",
                ),
            ),
        ),
    ] = None
    rules: Annotated[
        list[AIGatewayRouteRule],
        Limits(
            max_items=15,
            rules=(
                CelRule(
                    rule="self.all(r1, !has(r1.name) || self.exists_one(r2, has(r2.name) && r1.name == r2.name))",
                    message="rule name must be unique within the route",
                ),
            ),
        ),
    ]


class AIServiceBackendBackendRef(SchemaModel):
    """BackendRef is the reference to the Backend resource that this AIServiceBackend corresponds to."""

    _required: ClassVar[tuple[str, ...]] = ("name",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="has(self.kind) && self.kind == 'Backend' && has(self.group) && self.group == 'gateway.envoyproxy.io'",
                message="BackendRef must be a Backend resource of Envoy Gateway. See https://github.com/envoyproxy/ai-gateway/issues/902 for more details.",
            ),
            CelRule(
                rule="(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true",
                message="Must have port for Service reference",
            ),
        )
    )

    group: Annotated[
        str | None,
        Limits(
            max_length=253,
            pattern="^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
            default="",
            has_default=True,
        ),
    ] = None
    kind: Annotated[
        str | None,
        Limits(
            min_length=1,
            max_length=63,
            pattern="^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$",
            default="Service",
            has_default=True,
        ),
    ] = None
    name: Annotated[str, Limits(min_length=1, max_length=253)]
    namespace: Annotated[
        str | None, Limits(min_length=1, max_length=63, pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    ] = None
    port: Annotated[int | None, Limits(minimum=1, maximum=65535, format="int32")] = None


class AIServiceBackendSchema(SchemaModel):
    """APISchema specifies the API schema of the output format of requests from Envoy that this AIServiceBackend can accept as incoming requests."""

    _required: ClassVar[tuple[str, ...]] = ("name",)

    name: Annotated[
        Literal[
            "OpenAI",
            "Cohere",
            "AWSBedrock",
            "AzureOpenAI",
            "GCPVertexAI",
            "GCPAnthropic",
            "Anthropic",
            "AWSAnthropic",
        ],
        Limits(
            enum=(
                "OpenAI",
                "Cohere",
                "AWSBedrock",
                "AzureOpenAI",
                "GCPVertexAI",
                "GCPAnthropic",
                "Anthropic",
                "AWSAnthropic",
            )
        ),
    ]
    prefix: str | None = None
    version: str | None = None


class AIServiceBackendSpec(SchemaModel):
    """Spec defines the details of AIServiceBackend."""

    _required: ClassVar[tuple[str, ...]] = ("backendRef", "schema")

    backend_ref: AIServiceBackendBackendRef
    body_mutation: HTTPBodyMutation | None = None
    header_mutation: HTTPHeaderMutation | None = None
    schema_: AIServiceBackendSchema = Field(alias="schema")


class SecretObjectReference(SchemaModel):
    """SecretRef is the reference to the secret containing the Anthropic API key."""

    _required: ClassVar[tuple[str, ...]] = ("name",)

    group: Annotated[
        str | None,
        Limits(
            max_length=253,
            pattern="^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
            default="",
            has_default=True,
        ),
    ] = None
    kind: Annotated[
        str | None,
        Limits(
            min_length=1,
            max_length=63,
            pattern="^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$",
            default="Secret",
            has_default=True,
        ),
    ] = None
    name: Annotated[str, Limits(min_length=1, max_length=253)]
    namespace: Annotated[
        str | None, Limits(min_length=1, max_length=63, pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    ] = None


class BackendSecurityPolicyAnthropicAPIKey(SchemaModel):
    """AnthropicAPIKey is a mechanism to access Anthropic backend(s)."""

    _required: ClassVar[tuple[str, ...]] = ("secretRef",)

    secret_ref: SecretObjectReference


class BackendSecurityPolicyAwsCredentialsCredentialsFile(SchemaModel):
    """CredentialsFile specifies the credentials file to use for the AWS provider."""

    _required: ClassVar[tuple[str, ...]] = ("secretRef",)

    profile: Annotated[str | None, Limits(default="default", has_default=True)] = None
    secret_ref: SecretObjectReference


class OIDCCookieConfig(SchemaModel):
    """CookieConfigs allows setting the SameSite attribute for OIDC cookies."""

    same_site: Annotated[
        Literal["Lax", "Strict", "None"] | None, Limits(enum=("Lax", "Strict", "None"))
    ] = None


class OIDCCookieNames(SchemaModel):
    """The optional cookie name overrides to be used for Bearer and IdToken cookies in the [Authentication Request](https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest)."""

    access_token: str | None = None
    id_token: str | None = None


class OIDCDenyRedirectHeader(SchemaModel):
    """OIDCDenyRedirectHeader defines how a header is matched"""

    _required: ClassVar[tuple[str, ...]] = ("name", "value")

    name: Annotated[str, Limits(min_length=1)]
    type: Annotated[
        Literal["Exact", "Prefix", "Suffix", "RegularExpression"] | None,
        Limits(
            enum=("Exact", "Prefix", "Suffix", "RegularExpression"),
            default="Exact",
            has_default=True,
        ),
    ] = None
    value: Annotated[str, Limits(min_length=1, max_length=1024)]


class OIDCDenyRedirect(SchemaModel):
    """Any request that matches any of the provided matchers (with either tokens that are expired or missing tokens) will not be redirected to the OIDC Provider."""

    _required: ClassVar[tuple[str, ...]] = ("headers",)

    headers: Annotated[list[OIDCDenyRedirectHeader], Limits(min_items=1, max_items=16)]


class OIDCForwardIDToken(SchemaModel):
    """ForwardIDToken configures forwarding of the OIDC ID token to the upstream."""

    _required: ClassVar[tuple[str, ...]] = ("header",)

    header: Annotated[str, Limits(min_length=1)]


class OIDCProviderBackendRef(SchemaModel):
    """BackendRef references a Kubernetes object that represents the backend server to which the authorization request will be sent."""

    _required: ClassVar[tuple[str, ...]] = ("name",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true",
                message="Must have port for Service reference",
            ),
        )
    )

    group: Annotated[
        str | None,
        Limits(
            max_length=253,
            pattern="^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
            default="",
            has_default=True,
        ),
    ] = None
    kind: Annotated[
        str | None,
        Limits(
            min_length=1,
            max_length=63,
            pattern="^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$",
            default="Service",
            has_default=True,
        ),
    ] = None
    name: Annotated[str, Limits(min_length=1, max_length=253)]
    namespace: Annotated[
        str | None, Limits(min_length=1, max_length=63, pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    ] = None
    port: Annotated[int | None, Limits(minimum=1, maximum=65535, format="int32")] = None


class OIDCProviderBackendRef2(SchemaModel):
    """BackendRef defines how an ObjectReference that is specific to BackendRef."""

    _required: ClassVar[tuple[str, ...]] = ("name",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true",
                message="Must have port for Service reference",
            ),
        )
    )

    fallback: bool | None = None
    group: Annotated[
        str | None,
        Limits(
            max_length=253,
            pattern="^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
            default="",
            has_default=True,
        ),
    ] = None
    kind: Annotated[
        str | None,
        Limits(
            min_length=1,
            max_length=63,
            pattern="^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$",
            default="Service",
            has_default=True,
        ),
    ] = None
    name: Annotated[str, Limits(min_length=1, max_length=253)]
    namespace: Annotated[
        str | None, Limits(min_length=1, max_length=63, pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    ] = None
    port: Annotated[int | None, Limits(minimum=1, maximum=65535, format="int32")] = None
    weight: Annotated[
        int | None, Limits(minimum=0, maximum=1000000, format="int32", default=1, has_default=True)
    ] = None


class OIDCProviderBackendSettingsCircuitBreakerPerEndpoint(SchemaModel):
    """PerEndpoint defines Circuit Breakers that will apply per-endpoint for an upstream cluster"""

    max_connections: Annotated[
        int | None,
        Limits(minimum=0, maximum=4294967295, format="int64", default=1024, has_default=True),
    ] = None


class OIDCProviderBackendSettingsCircuitBreakerRetryBudgetPercent(SchemaModel):
    """Percent specifies the limit on concurrent retries as a percentage [0, 100] of the sum of active requests and active pending requests."""

    _required: ClassVar[tuple[str, ...]] = ("numerator",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="self.numerator <= self.denominator",
                message="numerator must be less than or equal to denominator",
            ),
        )
    )

    denominator: Annotated[
        int | None, Limits(minimum=1, format="int32", default=100, has_default=True)
    ] = None
    numerator: Annotated[int, Limits(minimum=0, format="int32")]


class OIDCProviderBackendSettingsCircuitBreakerRetryBudget(SchemaModel):
    """RetryBudget provides settings for retry budget, which limits the number of retries in a given percentage."""

    _required: ClassVar[tuple[str, ...]] = ("percent",)

    min_retry_concurrency: Annotated[int | None, Limits(format="int32")] = None
    percent: OIDCProviderBackendSettingsCircuitBreakerRetryBudgetPercent


class OIDCProviderBackendSettingsCircuitBreaker(SchemaModel):
    """Circuit Breaker settings for the upstream connections and requests."""

    max_connections: Annotated[
        int | None,
        Limits(minimum=0, maximum=4294967295, format="int64", default=1024, has_default=True),
    ] = None
    max_parallel_requests: Annotated[
        int | None,
        Limits(minimum=0, maximum=4294967295, format="int64", default=1024, has_default=True),
    ] = None
    max_parallel_retries: Annotated[
        int | None,
        Limits(minimum=0, maximum=4294967295, format="int64", default=1024, has_default=True),
    ] = None
    max_pending_requests: Annotated[
        int | None,
        Limits(minimum=0, maximum=4294967295, format="int64", default=1024, has_default=True),
    ] = None
    max_requests_per_connection: Annotated[
        int | None, Limits(minimum=0, maximum=4294967295, format="int64")
    ] = None
    per_endpoint: OIDCProviderBackendSettingsCircuitBreakerPerEndpoint | None = None
    retry_budget: OIDCProviderBackendSettingsCircuitBreakerRetryBudget | None = None


class OIDCProviderBackendSettingsConnectionPreconnect(SchemaModel):
    """Preconnect configures proactive upstream connections to reduce latency by establishing connections before they’re needed and avoiding connection establishment overhead."""

    per_endpoint_percent: Annotated[
        int | None, Limits(minimum=100, maximum=300, format="int32")
    ] = None
    predictive_percent: Annotated[int | None, Limits(minimum=100, format="int32")] = None


class OIDCProviderBackendSettingsConnection(SchemaModel):
    """Connection includes backend connection settings."""

    buffer_limit: Annotated[
        int | str | None,
        Limits(
            patterns=(
                "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
                "^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$",
            )
        ),
    ] = None
    preconnect: OIDCProviderBackendSettingsConnectionPreconnect | None = None
    socket_buffer_limit: Annotated[
        int | str | None,
        Limits(
            patterns=(
                "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
                "^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$",
            )
        ),
    ] = None


class OIDCProviderBackendSettingsDns(SchemaModel):
    """DNS includes dns resolution settings."""

    dns_refresh_rate: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None
    lookup_family: Annotated[
        Literal["IPv4", "IPv6", "IPv4Preferred", "IPv6Preferred", "IPv4AndIPv6"] | None,
        Limits(enum=("IPv4", "IPv6", "IPv4Preferred", "IPv6Preferred", "IPv4AndIPv6")),
    ] = None
    respect_dns_ttl: bool | None = None


class OIDCProviderBackendSettingsHealthCheckActiveGrpc(SchemaModel):
    """GRPC defines the configuration of the GRPC health checker."""

    service: str | None = None


class OIDCProviderBackendSettingsHealthCheckActiveHttpExpectedResponse(SchemaModel):
    """ExpectedResponse defines a list of HTTP expected responses to match."""

    _required: ClassVar[tuple[str, ...]] = ("type",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="self.type == 'Text' ? has(self.text) : !has(self.text)",
                message="If payload type is Text, text field needs to be set.",
            ),
            CelRule(
                rule="self.type == 'Binary' ? has(self.binary) : !has(self.binary)",
                message="If payload type is Binary, binary field needs to be set.",
            ),
        )
    )

    binary: Annotated[str | None, Limits(format="byte")] = None
    text: str | None = None
    type: Annotated[str, Limits(enum=("Text", "Binary"))]


class OIDCProviderBackendSettingsHealthCheckActiveHttp(SchemaModel):
    """HTTP defines the configuration of http health checker."""

    _required: ClassVar[tuple[str, ...]] = ("path",)

    expected_response: OIDCProviderBackendSettingsHealthCheckActiveHttpExpectedResponse | None = (
        None
    )
    expected_statuses: list[Annotated[int, Limits(minimum=100, maximum=599)]] | None = None
    hostname: Annotated[
        str | None,
        Limits(
            min_length=1,
            max_length=253,
            pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        ),
    ] = None
    method: str | None = None
    path: Annotated[str, Limits(min_length=1, max_length=1024)]
    retriable_statuses: list[Annotated[int, Limits(minimum=100, maximum=599)]] | None = None


class OIDCProviderBackendSettingsHealthCheckActiveOverrides(SchemaModel):
    """Overrides defines the configuration of the overriding health check settings for all endpoints in the backend cluster."""

    port: Annotated[int | None, Limits(minimum=1, maximum=65535, format="int32")] = None


class OIDCProviderBackendSettingsHealthCheckActiveTcp(SchemaModel):
    """TCP defines the configuration of tcp health checker."""

    receive: OIDCProviderBackendSettingsHealthCheckActiveHttpExpectedResponse | None = None
    send: OIDCProviderBackendSettingsHealthCheckActiveHttpExpectedResponse | None = None


class OIDCProviderBackendSettingsHealthCheckActive(SchemaModel):
    """Active health check configuration"""

    _required: ClassVar[tuple[str, ...]] = ("type",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="self.type == 'HTTP' ? has(self.http) : !has(self.http)",
                message="If Health Checker type is HTTP, http field needs to be set.",
            ),
            CelRule(
                rule="self.type == 'TCP' ? has(self.tcp) : !has(self.tcp)",
                message="If Health Checker type is TCP, tcp field needs to be set.",
            ),
            CelRule(
                rule="has(self.grpc) ? self.type == 'GRPC' : true",
                message="The grpc field can only be set if the Health Checker type is GRPC.",
            ),
        )
    )

    grpc: OIDCProviderBackendSettingsHealthCheckActiveGrpc | None = None
    healthy_threshold: Annotated[
        int | None, Limits(minimum=1, format="int32", default=1, has_default=True)
    ] = None
    http: OIDCProviderBackendSettingsHealthCheckActiveHttp | None = None
    initial_jitter: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None
    interval: Annotated[
        str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$", default="3s", has_default=True)
    ] = None
    overrides: OIDCProviderBackendSettingsHealthCheckActiveOverrides | None = None
    tcp: OIDCProviderBackendSettingsHealthCheckActiveTcp | None = None
    timeout: Annotated[
        str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$", default="1s", has_default=True)
    ] = None
    type: Annotated[str, Limits(enum=("HTTP", "TCP", "GRPC"))]
    unhealthy_threshold: Annotated[
        int | None, Limits(minimum=1, format="int32", default=3, has_default=True)
    ] = None


class OIDCProviderBackendSettingsHealthCheckPassive(SchemaModel):
    """Passive passive check configuration"""

    always_eject_one_endpoint: Annotated[bool | None, Limits(default=False, has_default=True)] = (
        None
    )
    base_ejection_time: Annotated[
        str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$", default="30s", has_default=True)
    ] = None
    consecutive5_xx_errors: Annotated[
        int | None, Limits(format="int32", default=5, has_default=True)
    ] = None
    consecutive_gateway_errors: Annotated[int | None, Limits(format="int32")] = None
    consecutive_local_origin_failures: Annotated[
        int | None, Limits(format="int32", default=5, has_default=True)
    ] = None
    failure_percentage_threshold: Annotated[
        int | None, Limits(minimum=0, maximum=100, format="int32")
    ] = None
    interval: Annotated[
        str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$", default="3s", has_default=True)
    ] = None
    max_ejection_percent: Annotated[
        int | None, Limits(minimum=0, maximum=100, format="int32", default=10, has_default=True)
    ] = None
    split_external_local_origin_errors: Annotated[
        bool | None, Limits(default=False, has_default=True)
    ] = None


class OIDCProviderBackendSettingsHealthCheck(SchemaModel):
    """HealthCheck allows gateway to perform active health checking on backends."""

    active: OIDCProviderBackendSettingsHealthCheckActive | None = None
    panic_threshold: Annotated[int | None, Limits(minimum=0, maximum=100, format="int32")] = None
    passive: OIDCProviderBackendSettingsHealthCheckPassive | None = None


class OIDCProviderBackendSettingsHttp2ConnectionKeepalive(SchemaModel):
    """ConnectionKeepalive configures HTTP/2 connection keepalive using PING frames."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!has(self.timeout) || !has(self.interval) || duration(self.timeout) < duration(self.interval)",
                message="timeout must be less than interval",
            ),
        )
    )

    idle_interval: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None
    interval: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None
    interval_jitter: Annotated[int | None, Limits(minimum=0, maximum=100, format="int32")] = None
    timeout: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None


class OIDCProviderBackendSettingsHttp2(SchemaModel):
    """HTTP2 provides HTTP/2 configuration for backend connections."""

    connection_keepalive: OIDCProviderBackendSettingsHttp2ConnectionKeepalive | None = None
    initial_connection_window_size: Annotated[
        int | str | None,
        Limits(
            patterns=(
                "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
                "^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$",
            )
        ),
    ] = None
    initial_stream_window_size: Annotated[
        int | str | None,
        Limits(
            patterns=(
                "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
                "^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$",
            )
        ),
    ] = None
    max_concurrent_streams: Annotated[
        int | None, Limits(minimum=1, maximum=2147483647, format="int32")
    ] = None
    on_invalid_message: str | None = None


class OIDCProviderBackendSettingsLoadBalancerBackendUtilization(SchemaModel):
    """BackendUtilization defines the configuration when the load balancer type is set to BackendUtilization."""

    blackout_period: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None
    error_utilization_penalty_percent: Annotated[int | None, Limits(minimum=0, format="int32")] = (
        None
    )
    keep_response_headers: Annotated[bool | None, Limits(default=False, has_default=True)] = None
    metric_names_for_computing_utilization: list[str] | None = None
    weight_expiration_period: Annotated[
        str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")
    ] = None
    weight_update_period: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = (
        None
    )


class OIDCProviderBackendSettingsLoadBalancerConsistentHashCookie(SchemaModel):
    """Cookie configures the cookie hash policy when the consistent hash type is set to Cookie."""

    _required: ClassVar[tuple[str, ...]] = ("name",)

    attributes: dict[str, str] | None = None
    name: str
    ttl: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None


class OIDCProviderBackendSettingsLoadBalancerConsistentHashHeader(SchemaModel):
    """Header configures the header hash policy when the consistent hash type is set to Header."""

    _required: ClassVar[tuple[str, ...]] = ("name",)

    name: str


class OIDCProviderBackendSettingsLoadBalancerConsistentHash(SchemaModel):
    """ConsistentHash defines the configuration when the load balancer type is set to ConsistentHash"""

    _required: ClassVar[tuple[str, ...]] = ("type",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="self.type == 'Header' ? has(self.header) : !has(self.header)",
                message="If consistent hash type is header, the header field must be set.",
            ),
            CelRule(
                rule="self.type == 'Headers' ? has(self.headers) : !has(self.headers)",
                message="If consistent hash type is headers, the headers field must be set.",
            ),
            CelRule(
                rule="self.type == 'Cookie' ? has(self.cookie) : !has(self.cookie)",
                message="If consistent hash type is cookie, the cookie field must be set.",
            ),
            CelRule(
                rule="self.type == 'QueryParams' ? has(self.queryParams) : !has(self.queryParams)",
                message="If consistent hash type is queryParams, the queryParams field must be set.",
            ),
        )
    )

    cookie: OIDCProviderBackendSettingsLoadBalancerConsistentHashCookie | None = None
    header: OIDCProviderBackendSettingsLoadBalancerConsistentHashHeader | None = None
    headers: list[OIDCProviderBackendSettingsLoadBalancerConsistentHashHeader] | None = None
    query_params: list[OIDCProviderBackendSettingsLoadBalancerConsistentHashHeader] | None = None
    table_size: Annotated[
        int | None,
        Limits(minimum=2, maximum=5000011, format="int64", default=65537, has_default=True),
    ] = None
    type: Annotated[
        Literal["SourceIP", "Header", "Headers", "Cookie", "QueryParams"],
        Limits(enum=("SourceIP", "Header", "Headers", "Cookie", "QueryParams")),
    ]


class OIDCProviderBackendSettingsLoadBalancerDynamicModule(SchemaModel):
    """DynamicModule defines the configuration when the load balancer type is set to DynamicModule."""

    _required: ClassVar[tuple[str, ...]] = ("lbPolicyName", "name")

    config: Any | None = None
    lb_policy_name: Annotated[str, Limits(min_length=1, max_length=253)]
    name: Annotated[
        str, Limits(min_length=1, max_length=253, pattern="^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
    ]


class OIDCProviderBackendSettingsLoadBalancerEndpointOverrideExtractFrom(SchemaModel):
    """EndpointOverrideExtractFrom defines a source to extract endpoint override information from."""

    header: str | None = None


class OIDCProviderBackendSettingsLoadBalancerEndpointOverride(SchemaModel):
    """EndpointOverride defines the configuration for endpoint override."""

    _required: ClassVar[tuple[str, ...]] = ("extractFrom",)

    extract_from: Annotated[
        list[OIDCProviderBackendSettingsLoadBalancerEndpointOverrideExtractFrom],
        Limits(min_items=1, max_items=10),
    ]


class OIDCProviderBackendSettingsLoadBalancerSlowStart(SchemaModel):
    """SlowStart defines the configuration related to the slow start load balancer policy."""

    _required: ClassVar[tuple[str, ...]] = ("window",)

    window: Annotated[str, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")]


class OIDCProviderBackendSettingsLoadBalancerZoneAwarePreferLocalForce(SchemaModel):
    """ForceLocalZone defines override configuration for forcing all traffic to stay within the local zone instead of the default behavior which maintains equal distribution among upstream endpoints while se…"""

    min_endpoints_in_zone_threshold: Annotated[int | None, Limits(format="int32")] = None


class OIDCProviderBackendSettingsLoadBalancerZoneAwarePreferLocal(SchemaModel):
    """PreferLocalZone configures zone-aware routing to prefer sending traffic to the local locality zone."""

    force: OIDCProviderBackendSettingsLoadBalancerZoneAwarePreferLocalForce | None = None
    min_endpoints_threshold: Annotated[int | None, Limits(format="int64")] = None
    percentage_enabled: Annotated[int | None, Limits(minimum=0, maximum=100, format="int32")] = None


class OIDCProviderBackendSettingsLoadBalancerZoneAwareWeightedZone(SchemaModel):
    """WeightedZoneConfig defines the weight for a specific locality zone."""

    _required: ClassVar[tuple[str, ...]] = ("weight", "zone")

    weight: Annotated[int, Limits(format="int32")]
    zone: str


class OIDCProviderBackendSettingsLoadBalancerZoneAware(SchemaModel):
    """ZoneAware defines the configuration related to the distribution of requests between locality zones."""

    prefer_local: OIDCProviderBackendSettingsLoadBalancerZoneAwarePreferLocal | None = None
    weighted_zones: Annotated[
        list[OIDCProviderBackendSettingsLoadBalancerZoneAwareWeightedZone] | None,
        Limits(list_type="map", list_map_keys=("zone",)),
    ] = None


class OIDCProviderBackendSettingsLoadBalancer(SchemaModel):
    """LoadBalancer policy to apply when routing traffic from the gateway to the backend endpoints."""

    _required: ClassVar[tuple[str, ...]] = ("type",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="self.type == 'ConsistentHash' ? has(self.consistentHash) : !has(self.consistentHash)",
                message="If LoadBalancer type is consistentHash, consistentHash field needs to be set.",
            ),
            CelRule(
                rule="self.type == 'BackendUtilization' ? has(self.backendUtilization) : !has(self.backendUtilization)",
                message="If LoadBalancer type is BackendUtilization, backendUtilization field needs to be set.",
            ),
            CelRule(
                rule="self.type == 'DynamicModule' ? has(self.dynamicModule) : !has(self.dynamicModule)",
                message="If LoadBalancer type is DynamicModule, dynamicModule field needs to be set.",
            ),
            CelRule(
                rule="self.type in ['Random', 'ConsistentHash', 'DynamicModule'] ? !has(self.slowStart) : true",
                message="Currently SlowStart is only supported for RoundRobin, LeastRequest, and BackendUtilization load balancers.",
            ),
            CelRule(
                rule="self.type == 'ConsistentHash' && has(self.zoneAware) ? !has(self.zoneAware.preferLocal) : true",
                message="PreferLocal zone-aware routing is not supported for ConsistentHash load balancers. Use weightedZones instead.",
            ),
            CelRule(
                rule="self.type == 'BackendUtilization' && has(self.zoneAware) ? !has(self.zoneAware.preferLocal) : true",
                message="PreferLocal zone-aware routing is not currently supported for BackendUtilization load balancers. Only WeightedZones can be used with BackendUtilization.",
            ),
            CelRule(
                rule="self.type == 'DynamicModule' ? !has(self.zoneAware) : true",
                message="ZoneAware routing is not supported for DynamicModule load balancers.",
            ),
            CelRule(
                rule="has(self.zoneAware) ? !(has(self.zoneAware.preferLocal) && has(self.zoneAware.weightedZones)) : true",
                message="ZoneAware PreferLocal and WeightedZones cannot be specified together.",
            ),
            CelRule(
                rule="self.type == 'DynamicModule' ? !has(self.endpointOverride) : true",
                message="EndpointOverride is not supported for DynamicModule load balancers.",
            ),
        )
    )

    backend_utilization: OIDCProviderBackendSettingsLoadBalancerBackendUtilization | None = None
    consistent_hash: OIDCProviderBackendSettingsLoadBalancerConsistentHash | None = None
    dynamic_module: OIDCProviderBackendSettingsLoadBalancerDynamicModule | None = None
    endpoint_override: OIDCProviderBackendSettingsLoadBalancerEndpointOverride | None = None
    slow_start: OIDCProviderBackendSettingsLoadBalancerSlowStart | None = None
    type: Annotated[
        Literal[
            "ConsistentHash",
            "LeastRequest",
            "Random",
            "RoundRobin",
            "BackendUtilization",
            "DynamicModule",
        ],
        Limits(
            enum=(
                "ConsistentHash",
                "LeastRequest",
                "Random",
                "RoundRobin",
                "BackendUtilization",
                "DynamicModule",
            )
        ),
    ]
    zone_aware: OIDCProviderBackendSettingsLoadBalancerZoneAware | None = None


class OIDCProviderBackendSettingsProxyProtocol(SchemaModel):
    """ProxyProtocol enables the Proxy Protocol when communicating with the backend."""

    _required: ClassVar[tuple[str, ...]] = ("version",)

    version: Annotated[Literal["V1", "V2"], Limits(enum=("V1", "V2"))]


class OIDCProviderBackendSettingsRetryPerRetryBackOff(SchemaModel):
    """Backoff is the backoff policy to be applied per retry attempt."""

    base_interval: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None
    max_interval: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None


class OIDCProviderBackendSettingsRetryPerRetry(SchemaModel):
    """PerRetry is the retry policy to be applied per retry attempt."""

    back_off: OIDCProviderBackendSettingsRetryPerRetryBackOff | None = None
    timeout: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None


class OIDCProviderBackendSettingsRetryRetryOn(SchemaModel):
    """RetryOn specifies the retry trigger condition."""

    http_status_codes: list[Annotated[int, Limits(minimum=100, maximum=599)]] | None = None
    triggers: (
        list[
            Annotated[
                Literal[
                    "5xx",
                    "gateway-error",
                    "reset",
                    "reset-before-request",
                    "connect-failure",
                    "retriable-4xx",
                    "refused-stream",
                    "retriable-status-codes",
                    "cancelled",
                    "deadline-exceeded",
                    "internal",
                    "resource-exhausted",
                    "unavailable",
                ],
                Limits(
                    enum=(
                        "5xx",
                        "gateway-error",
                        "reset",
                        "reset-before-request",
                        "connect-failure",
                        "retriable-4xx",
                        "refused-stream",
                        "retriable-status-codes",
                        "cancelled",
                        "deadline-exceeded",
                        "internal",
                        "resource-exhausted",
                        "unavailable",
                    )
                ),
            ]
        ]
        | None
    ) = None


class OIDCProviderBackendSettingsRetry(SchemaModel):
    """Retry provides more advanced usage, allowing users to customize the number of retries, retry fallback strategy, and retry triggering conditions."""

    num_attempts_per_priority: Annotated[int | None, Limits(format="int32")] = None
    num_retries: Annotated[
        int | None, Limits(minimum=0, format="int32", default=2, has_default=True)
    ] = None
    per_retry: OIDCProviderBackendSettingsRetryPerRetry | None = None
    retry_on: OIDCProviderBackendSettingsRetryRetryOn | None = None


class OIDCProviderBackendSettingsTcpKeepalive(SchemaModel):
    """TcpKeepalive settings associated with the upstream client connection."""

    idle_time: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None
    interval: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None
    probes: Annotated[int | None, Limits(format="int32")] = None


class OIDCProviderBackendSettingsTimeoutHttp(SchemaModel):
    """Timeout settings for HTTP."""

    connection_idle_timeout: Annotated[
        str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")
    ] = None
    max_connection_duration: Annotated[
        str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")
    ] = None
    max_stream_duration: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = (
        None
    )
    request_timeout: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None
    stream_idle_timeout: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = (
        None
    )


class OIDCProviderBackendSettingsTimeoutTcp(SchemaModel):
    """Timeout settings for TCP."""

    connect_timeout: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None


class OIDCProviderBackendSettingsTimeout(SchemaModel):
    """Timeout settings for the backend connections."""

    http: OIDCProviderBackendSettingsTimeoutHttp | None = None
    tcp: OIDCProviderBackendSettingsTimeoutTcp | None = None


class OIDCProviderBackendSettings(SchemaModel):
    """BackendSettings holds configuration for managing the connection to the backend."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!((has(self.connection) && has(self.connection.preconnect) && has(self.connection.preconnect.predictivePercent)) && !(has(self.loadBalancer) && has(self.loadBalancer.type) && self.loadBalancer.type in ['Random', 'RoundRobin']))",
                message="predictivePercent in preconnect policy only works with RoundRobin or Random load balancers",
            ),
        )
    )

    circuit_breaker: OIDCProviderBackendSettingsCircuitBreaker | None = None
    connection: OIDCProviderBackendSettingsConnection | None = None
    dns: OIDCProviderBackendSettingsDns | None = None
    health_check: OIDCProviderBackendSettingsHealthCheck | None = None
    http2: OIDCProviderBackendSettingsHttp2 | None = None
    load_balancer: OIDCProviderBackendSettingsLoadBalancer | None = None
    proxy_protocol: OIDCProviderBackendSettingsProxyProtocol | None = None
    retry: OIDCProviderBackendSettingsRetry | None = None
    tcp_keepalive: OIDCProviderBackendSettingsTcpKeepalive | None = None
    timeout: OIDCProviderBackendSettingsTimeout | None = None


class OIDCProvider(SchemaModel):
    """The OIDC Provider configuration."""

    _required: ClassVar[tuple[str, ...]] = ("issuer",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!has(self.backendRef)",
                message="BackendRefs must be used, backendRef is not supported.",
            ),
            CelRule(
                rule="has(self.backendSettings)? (has(self.backendSettings.retry)?(has(self.backendSettings.retry.perRetry)? !has(self.backendSettings.retry.perRetry.timeout):true):true):true",
                message="Retry timeout is not supported.",
            ),
            CelRule(
                rule="has(self.backendSettings)? (has(self.backendSettings.retry)?(has(self.backendSettings.retry.retryOn)? !has(self.backendSettings.retry.retryOn.httpStatusCodes):true):true):true",
                message="HTTPStatusCodes is not supported.",
            ),
        )
    )

    authorization_endpoint: str | None = None
    backend_ref: OIDCProviderBackendRef | None = None
    backend_refs: Annotated[list[OIDCProviderBackendRef2] | None, Limits(max_items=16)] = None
    backend_settings: OIDCProviderBackendSettings | None = None
    end_session_endpoint: str | None = None
    issuer: Annotated[str, Limits(min_length=1)]
    token_endpoint: str | None = None


class OIDC(SchemaModel):
    """OIDC is used to obtain oidc tokens via an SSO server which will be used to exchange for provider credentials."""

    _required: ClassVar[tuple[str, ...]] = ("clientSecret", "provider")
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(has(self.clientID) && !has(self.clientIDRef)) || (!has(self.clientID) && has(self.clientIDRef))",
                message="only one of clientID or clientIDRef must be set",
            ),
            CelRule(
                rule="!(has(self.forwardAccessToken) && self.forwardAccessToken && has(self.forwardIDToken) && self.forwardIDToken.header.lowerAscii() == 'authorization')",
                message="forwardAccessToken cannot be true when forwardIDToken.header is Authorization",
            ),
        )
    )

    client_id: Annotated[str | None, Limits(min_length=1)] = Field(None, alias="clientID")
    client_id_ref: SecretObjectReference | None = Field(None, alias="clientIDRef")
    client_secret: SecretObjectReference
    cookie_config: OIDCCookieConfig | None = None
    cookie_domain: Annotated[
        str | None,
        Limits(pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9]))*$"),
    ] = None
    cookie_names: OIDCCookieNames | None = None
    csrf_token_ttl: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = Field(
        None, alias="csrfTokenTTL"
    )
    default_refresh_token_ttl: Annotated[
        str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")
    ] = Field(None, alias="defaultRefreshTokenTTL")
    default_token_ttl: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = (
        Field(None, alias="defaultTokenTTL")
    )
    deny_redirect: OIDCDenyRedirect | None = None
    disable_token_encryption: bool | None = None
    forward_access_token: bool | None = None
    forward_id_token: OIDCForwardIDToken | None = Field(None, alias="forwardIDToken")
    logout_path: str | None = None
    pass_through_auth_header: bool | None = None
    provider: OIDCProvider
    redirect_url: str | None = Field(None, alias="redirectURL")
    refresh_token: Annotated[bool | None, Limits(default=True, has_default=True)] = None
    resources: list[str] | None = None
    scopes: list[str] | None = None


class OIDCExchangeToken(SchemaModel):
    """OIDCExchangeToken specifies the oidc configurations used to obtain an oidc token."""

    _required: ClassVar[tuple[str, ...]] = ("awsRoleArn", "oidc")

    aud: str | None = None
    aws_role_arn: Annotated[str, Limits(min_length=1)]
    grant_type: str | None = None
    oidc: OIDC


class BackendSecurityPolicyAwsCredentials(SchemaModel):
    """AWSCredentials is a mechanism to access a backend(s)."""

    _required: ClassVar[tuple[str, ...]] = ("region",)

    credentials_file: BackendSecurityPolicyAwsCredentialsCredentialsFile | None = None
    oidc_exchange_token: OIDCExchangeToken | None = None
    region: Annotated[str, Limits(min_length=1)]


class OIDCExchangeToken2(SchemaModel):
    """OIDCExchangeToken specifies the oidc configurations used to obtain an oidc token."""

    _required: ClassVar[tuple[str, ...]] = ("oidc",)

    aud: str | None = None
    grant_type: str | None = None
    oidc: OIDC


class BackendSecurityPolicyAzureCredentials(SchemaModel):
    """AzureCredentials is a mechanism to access a backend(s)."""

    _required: ClassVar[tuple[str, ...]] = ("clientID", "tenantID")
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(has(self.clientSecretRef) && !has(self.oidcExchangeToken)) || (!has(self.clientSecretRef) && has(self.oidcExchangeToken))",
                message="Exactly one of clientSecretRef or oidcExchangeToken must be specified",
            ),
        )
    )

    client_id: Annotated[str, Limits(min_length=1)] = Field(alias="clientID")
    client_secret_ref: SecretObjectReference | None = None
    oidc_exchange_token: OIDCExchangeToken2 | None = None
    tenant_id: Annotated[str, Limits(min_length=1)] = Field(alias="tenantID")


class BackendSecurityPolicyCredentialOverrideFromDynamicMetadata(SchemaModel):
    """FromDynamicMetadata sources the credential from Envoy dynamic metadata set by a trusted filter (e.g."""

    _required: ClassVar[tuple[str, ...]] = ("namespace",)

    fallback_to_configured: Annotated[bool | None, Limits(default=True, has_default=True)] = None
    key: str | None = None
    namespace: Annotated[str, Limits(min_length=1)]


class BackendSecurityPolicyCredentialOverrideFromRequestHeaders(SchemaModel):
    """FromRequestHeaders sources the credential from a request header injected by a trusted ingress filter."""

    fallback_to_configured: Annotated[bool | None, Limits(default=True, has_default=True)] = None
    header: str | None = None


class BackendSecurityPolicyCredentialOverride(SchemaModel):
    """CredentialOverride, when set, sources the upstream credential per-request instead of using the static credential configured above."""

    _node_limits: ClassVar[Limits] = Limits(min_properties=1, max_properties=1)

    from_dynamic_metadata: BackendSecurityPolicyCredentialOverrideFromDynamicMetadata | None = None
    from_request_headers: BackendSecurityPolicyCredentialOverrideFromRequestHeaders | None = None


class BackendSecurityPolicyGcpCredentialsWorkloadIdentityFederationConfigServiceAccountImpersonation(
    SchemaModel
):
    """ServiceAccountImpersonation is the service account impersonation configuration."""

    _required: ClassVar[tuple[str, ...]] = ("serviceAccountName",)

    service_account_name: Annotated[str, Limits(min_length=1)]


class BackendSecurityPolicyGcpCredentialsWorkloadIdentityFederationConfig(SchemaModel):
    """WorkloadIdentityFederationConfig is the configuration for the GCP Workload Identity Federation."""

    _required: ClassVar[tuple[str, ...]] = (
        "oidcExchangeToken",
        "projectID",
        "workloadIdentityPoolName",
        "workloadIdentityProviderName",
    )

    oidc_exchange_token: OIDCExchangeToken2
    project_id: Annotated[str, Limits(min_length=1)] = Field(alias="projectID")
    service_account_impersonation: (
        BackendSecurityPolicyGcpCredentialsWorkloadIdentityFederationConfigServiceAccountImpersonation
        | None
    ) = None
    workload_identity_pool_name: Annotated[str, Limits(min_length=1)]
    workload_identity_provider_name: Annotated[str, Limits(min_length=1)]


class BackendSecurityPolicyGcpCredentials(SchemaModel):
    """GCPCredentials is a mechanism to access a backend(s)."""

    _required: ClassVar[tuple[str, ...]] = ("projectName", "region")
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!(has(self.credentialsFile) && has(self.workloadIdentityFederationConfig))",
                message="At most one of credentialsFile or workloadIdentityFederationConfig may be specified",
            ),
        )
    )

    credentials_file: BackendSecurityPolicyAnthropicAPIKey | None = None
    project_name: Annotated[str, Limits(min_length=1)]
    region: Annotated[str, Limits(min_length=1)]
    workload_identity_federation_config: (
        BackendSecurityPolicyGcpCredentialsWorkloadIdentityFederationConfig | None
    ) = None


class LocalPolicyTargetReference(SchemaModel):
    """LocalPolicyTargetReference identifies an API object to apply a direct or inherited policy to."""

    _required: ClassVar[tuple[str, ...]] = ("group", "kind", "name")

    group: Annotated[
        str,
        Limits(
            max_length=253,
            pattern="^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        ),
    ]
    kind: Annotated[
        str, Limits(min_length=1, max_length=63, pattern="^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    ]
    name: Annotated[str, Limits(min_length=1, max_length=253)]


class BackendSecurityPolicySpec(SchemaModel):
    """BackendSecurityPolicySpec specifies authentication rules on access the provider from the Gateway."""

    _required: ClassVar[tuple[str, ...]] = ("type",)
    _node_limits: ClassVar[Limits] = Limits(
        max_properties=4,
        rules=(
            CelRule(
                rule="self.type == 'APIKey' ? (has(self.apiKey) && !has(self.awsCredentials) && !has(self.azureAPIKey) && !has(self.azureCredentials) && !has(self.gcpCredentials) && !has(self.anthropicAPIKey)) : true",
                message="When type is APIKey, only apiKey field should be set",
            ),
            CelRule(
                rule="self.type == 'AWSCredentials' ? (has(self.awsCredentials) && !has(self.apiKey) && !has(self.azureAPIKey) && !has(self.azureCredentials) && !has(self.gcpCredentials) && !has(self.anthropicAPIKey)) : true",
                message="When type is AWSCredentials, only awsCredentials field should be set",
            ),
            CelRule(
                rule="self.type == 'AzureAPIKey' ? (has(self.azureAPIKey) && !has(self.apiKey) && !has(self.awsCredentials) && !has(self.azureCredentials) && !has(self.gcpCredentials) && !has(self.anthropicAPIKey)) : true",
                message="When type is AzureAPIKey, only azureAPIKey field should be set",
            ),
            CelRule(
                rule="self.type == 'AzureCredentials' ? (has(self.azureCredentials) && !has(self.apiKey) && !has(self.awsCredentials) && !has(self.azureAPIKey) && !has(self.gcpCredentials) && !has(self.anthropicAPIKey)) : true",
                message="When type is AzureCredentials, only azureCredentials field should be set",
            ),
            CelRule(
                rule="self.type == 'GCPCredentials' ? (has(self.gcpCredentials) && !has(self.apiKey) && !has(self.awsCredentials) && !has(self.azureAPIKey) && !has(self.azureCredentials) && !has(self.anthropicAPIKey)) : true",
                message="When type is GCPCredentials, only gcpCredentials field should be set",
            ),
            CelRule(
                rule="self.type == 'AnthropicAPIKey' ? (has(self.anthropicAPIKey) && !has(self.apiKey) && !has(self.awsCredentials) && !has(self.azureAPIKey) && !has(self.azureCredentials) && !has(self.gcpCredentials)) : true",
                message="When type is AnthropicAPIKey, only anthropicAPIKey field should be set",
            ),
        ),
    )

    anthropic_api_key: BackendSecurityPolicyAnthropicAPIKey | None = Field(
        None, alias="anthropicAPIKey"
    )
    api_key: BackendSecurityPolicyAnthropicAPIKey | None = None
    aws_credentials: BackendSecurityPolicyAwsCredentials | None = None
    azure_api_key: BackendSecurityPolicyAnthropicAPIKey | None = Field(None, alias="azureAPIKey")
    azure_credentials: BackendSecurityPolicyAzureCredentials | None = None
    credential_override: BackendSecurityPolicyCredentialOverride | None = None
    gcp_credentials: BackendSecurityPolicyGcpCredentials | None = None
    target_refs: Annotated[
        list[LocalPolicyTargetReference] | None,
        Limits(
            max_items=16,
            rules=(
                CelRule(
                    rule="self.all(ref, (ref.group == 'aigateway.envoyproxy.io' && ref.kind == 'AIServiceBackend') || (ref.group == 'inference.networking.k8s.io' && ref.kind == 'InferencePool'))",
                    message="targetRefs must reference AIServiceBackend or InferencePool resources",
                ),
            ),
        ),
    ] = None
    type: Annotated[
        Literal[
            "APIKey",
            "AWSCredentials",
            "AzureAPIKey",
            "AzureCredentials",
            "GCPCredentials",
            "AnthropicAPIKey",
        ],
        Limits(
            enum=(
                "APIKey",
                "AWSCredentials",
                "AzureAPIKey",
                "AzureCredentials",
                "GCPCredentials",
                "AnthropicAPIKey",
            )
        ),
    ]


class BackendSecurityPolicySpecV1alpha1GcpCredentials(SchemaModel):
    """GCPCredentials is a mechanism to access a backend(s)."""

    _required: ClassVar[tuple[str, ...]] = ("projectName", "region")
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(has(self.credentialsFile) && !has(self.workloadIdentityFederationConfig)) || (has(self.workloadIdentityFederationConfig) && !has(self.credentialsFile))",
                message="Exactly one of GCPWorkloadIdentityFederationConfig or GCPCredentialsFile must be specified",
            ),
        )
    )

    credentials_file: BackendSecurityPolicyAnthropicAPIKey | None = None
    project_name: Annotated[str, Limits(min_length=1)]
    region: Annotated[str, Limits(min_length=1)]
    workload_identity_federation_config: (
        BackendSecurityPolicyGcpCredentialsWorkloadIdentityFederationConfig | None
    ) = None


class BackendSecurityPolicySpecV1alpha1(SchemaModel):
    """BackendSecurityPolicySpec specifies authentication rules on access the provider from the Gateway."""

    _required: ClassVar[tuple[str, ...]] = ("type",)
    _node_limits: ClassVar[Limits] = Limits(
        max_properties=3,
        rules=(
            CelRule(
                rule="self.type == 'APIKey' ? (has(self.apiKey) && !has(self.awsCredentials) && !has(self.azureAPIKey) && !has(self.azureCredentials) && !has(self.gcpCredentials) && !has(self.anthropicAPIKey)) : true",
                message="When type is APIKey, only apiKey field should be set",
            ),
            CelRule(
                rule="self.type == 'AWSCredentials' ? (has(self.awsCredentials) && !has(self.apiKey) && !has(self.azureAPIKey) && !has(self.azureCredentials) && !has(self.gcpCredentials) && !has(self.anthropicAPIKey)) : true",
                message="When type is AWSCredentials, only awsCredentials field should be set",
            ),
            CelRule(
                rule="self.type == 'AzureAPIKey' ? (has(self.azureAPIKey) && !has(self.apiKey) && !has(self.awsCredentials) && !has(self.azureCredentials) && !has(self.gcpCredentials) && !has(self.anthropicAPIKey)) : true",
                message="When type is AzureAPIKey, only azureAPIKey field should be set",
            ),
            CelRule(
                rule="self.type == 'AzureCredentials' ? (has(self.azureCredentials) && !has(self.apiKey) && !has(self.awsCredentials) && !has(self.azureAPIKey) && !has(self.gcpCredentials) && !has(self.anthropicAPIKey)) : true",
                message="When type is AzureCredentials, only azureCredentials field should be set",
            ),
            CelRule(
                rule="self.type == 'GCPCredentials' ? (has(self.gcpCredentials) && !has(self.apiKey) && !has(self.awsCredentials) && !has(self.azureAPIKey) && !has(self.azureCredentials) && !has(self.anthropicAPIKey)) : true",
                message="When type is GCPCredentials, only gcpCredentials field should be set",
            ),
            CelRule(
                rule="self.type == 'AnthropicAPIKey' ? (has(self.anthropicAPIKey) && !has(self.apiKey) && !has(self.awsCredentials) && !has(self.azureAPIKey) && !has(self.azureCredentials) && !has(self.gcpCredentials)) : true",
                message="When type is AnthropicAPIKey, only anthropicAPIKey field should be set",
            ),
        ),
    )

    anthropic_api_key: BackendSecurityPolicyAnthropicAPIKey | None = Field(
        None, alias="anthropicAPIKey"
    )
    api_key: BackendSecurityPolicyAnthropicAPIKey | None = None
    aws_credentials: BackendSecurityPolicyAwsCredentials | None = None
    azure_api_key: BackendSecurityPolicyAnthropicAPIKey | None = Field(None, alias="azureAPIKey")
    azure_credentials: BackendSecurityPolicyAzureCredentials | None = None
    gcp_credentials: BackendSecurityPolicySpecV1alpha1GcpCredentials | None = None
    target_refs: Annotated[
        list[LocalPolicyTargetReference] | None,
        Limits(
            max_items=16,
            rules=(
                CelRule(
                    rule="self.all(ref, (ref.group == 'aigateway.envoyproxy.io' && ref.kind == 'AIServiceBackend') || (ref.group == 'inference.networking.k8s.io' && ref.kind == 'InferencePool'))",
                    message="targetRefs must reference AIServiceBackend or InferencePool resources",
                ),
            ),
        ),
    ] = None
    type: Annotated[
        Literal[
            "APIKey",
            "AWSCredentials",
            "AzureAPIKey",
            "AzureCredentials",
            "GCPCredentials",
            "AnthropicAPIKey",
        ],
        Limits(
            enum=(
                "APIKey",
                "AWSCredentials",
                "AzureAPIKey",
                "AzureCredentials",
                "GCPCredentials",
                "AnthropicAPIKey",
            )
        ),
    ]


class MCPRouteBackendRefForwardHeader(SchemaModel):
    """MCPHeaderForward specifies a header to extract from the incoming request and forward to a backend."""

    _required: ClassVar[tuple[str, ...]] = ("name",)

    backend_header: Annotated[str | None, Limits(min_length=1)] = None
    name: Annotated[str, Limits(min_length=1)]


class MCPRouteBackendRefSecurityPolicyApiKey(SchemaModel):
    """APIKey is a mechanism to access a backend."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(has(self.secretRef) && !has(self.inline)) || (!has(self.secretRef) && has(self.inline))",
                message="exactly one of secretRef or inline must be set",
            ),
            CelRule(
                rule="!(has(self.header) && has(self.queryParam))",
                message="only one of header or queryParam can be set",
            ),
        )
    )

    header: Annotated[str | None, Limits(min_length=1)] = None
    inline: str | None = None
    query_param: Annotated[str | None, Limits(min_length=1)] = None
    secret_ref: SecretObjectReference | None = None


class MCPRouteBackendRefSecurityPolicy(SchemaModel):
    """SecurityPolicy is the security policy to apply to this MCP server."""

    api_key: MCPRouteBackendRefSecurityPolicyApiKey | None = None


class MCPRouteBackendRefToolSelector(SchemaModel):
    """ToolSelector filters the tools exposed by this MCP server."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!(has(self.include) && has(self.includeRegex))",
                message="include and includeRegex are mutually exclusive",
            ),
            CelRule(
                rule="!(has(self.exclude) && has(self.excludeRegex))",
                message="exclude and excludeRegex are mutually exclusive",
            ),
            CelRule(
                rule="has(self.include) || has(self.includeRegex) || has(self.exclude) || has(self.excludeRegex)",
                message="at least one of include, includeRegex, exclude, or excludeRegex must be specified",
            ),
        )
    )

    exclude: Annotated[list[str] | None, Limits(max_items=32)] = None
    exclude_regex: Annotated[list[str] | None, Limits(max_items=32)] = None
    include: Annotated[list[str] | None, Limits(max_items=32)] = None
    include_regex: Annotated[list[str] | None, Limits(max_items=32)] = None


class MCPRouteBackendRef(SchemaModel):
    """MCPRouteBackendRef wraps a EG's BackendObjectReference to reference an MCP server."""

    _required: ClassVar[tuple[str, ...]] = ("name",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true",
                message="Must have port for Service reference",
            ),
        )
    )

    forward_headers: Annotated[
        list[MCPRouteBackendRefForwardHeader] | None, Limits(max_items=32)
    ] = None
    group: Annotated[
        str | None,
        Limits(
            max_length=253,
            pattern="^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
            default="",
            has_default=True,
        ),
    ] = None
    kind: Annotated[
        str | None,
        Limits(
            min_length=1,
            max_length=63,
            pattern="^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$",
            default="Service",
            has_default=True,
        ),
    ] = None
    name: Annotated[str, Limits(min_length=1, max_length=253)]
    namespace: Annotated[
        str | None, Limits(min_length=1, max_length=63, pattern="^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    ] = None
    path: Annotated[str | None, Limits(max_length=1024, default="/mcp", has_default=True)] = None
    port: Annotated[int | None, Limits(minimum=1, maximum=65535, format="int32")] = None
    security_policy: MCPRouteBackendRefSecurityPolicy | None = None
    tool_selector: MCPRouteBackendRefToolSelector | None = None


class MCPRouteBackendSelectorRule(SchemaModel):
    """MCPBackendSelectorRule defines a single backend selection rule."""

    action: Annotated[
        Literal["Allow", "Deny"] | None,
        Limits(enum=("Allow", "Deny"), default="Allow", has_default=True),
    ] = None
    cel: Annotated[str | None, Limits(max_length=4096)] = None


class MCPRouteBackendSelector(SchemaModel):
    """BackendSelector restricts which of this route's backends a given request may fan out to, evaluated once per candidate backend when a client session is initialized."""

    default_action: Annotated[
        Literal["Allow", "Deny"] | None,
        Limits(enum=("Allow", "Deny"), default="Deny", has_default=True),
    ] = None
    rules: Annotated[list[MCPRouteBackendSelectorRule] | None, Limits(max_items=32)] = None


class MCPRouteSecurityPolicyApiKeyAuthExtractFrom(SchemaModel):
    """ExtractFrom is where to fetch the key from the coming request."""

    cookies: list[str] | None = None
    headers: list[str] | None = None
    params: list[str] | None = None


class MCPRouteSecurityPolicyApiKeyAuth(SchemaModel):
    """APIKeyAuth defines the configuration for the API Key Authentication."""

    _required: ClassVar[tuple[str, ...]] = ("credentialRefs", "extractFrom")

    credential_refs: list[SecretObjectReference]
    extract_from: list[MCPRouteSecurityPolicyApiKeyAuthExtractFrom]
    forward_client_id_header: str | None = Field(None, alias="forwardClientIDHeader")
    sanitize: bool | None = None


class MCPRouteSecurityPolicyAuthorizationRuleSourceJwtClaim(SchemaModel):
    """JWTClaim specifies a claim in a JWT token."""

    _required: ClassVar[tuple[str, ...]] = ("name", "values")

    name: Annotated[str, Limits(min_length=1, max_length=253)]
    value_type: Annotated[
        Literal["String", "StringArray"] | None,
        Limits(enum=("String", "StringArray"), default="String", has_default=True),
    ] = None
    values: Annotated[list[str], Limits(min_items=1, max_items=128)]


class MCPRouteSecurityPolicyAuthorizationRuleSourceJwt(SchemaModel):
    """JWT defines the JWT scopes required for this rule to match."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(has(self.scopes) && size(self.scopes) > 0) || (has(self.claims) && size(self.claims) > 0)",
                message="either scopes or claims must be specified",
            ),
        )
    )

    claims: Annotated[
        list[MCPRouteSecurityPolicyAuthorizationRuleSourceJwtClaim] | None,
        Limits(
            max_items=16,
            rules=(
                CelRule(
                    rule="!self.exists(c, c.name == 'scope')",
                    message="'scope' claim name is reserved for OAuth scopes",
                ),
            ),
        ),
    ] = None
    scopes: Annotated[
        list[Annotated[str, Limits(min_length=1, max_length=253)]] | None, Limits(max_items=16)
    ] = None


class MCPRouteSecurityPolicyAuthorizationRuleSource(SchemaModel):
    """Source defines the authorization source for this rule."""

    _required: ClassVar[tuple[str, ...]] = ("jwt",)

    jwt: MCPRouteSecurityPolicyAuthorizationRuleSourceJwt


class MCPRouteSecurityPolicyAuthorizationRuleTargetTool(SchemaModel):
    """ToolCall represents a tool call in the MCP authorization target."""

    _required: ClassVar[tuple[str, ...]] = ("backend", "tool")

    backend: str
    tool: str


class MCPRouteSecurityPolicyAuthorizationRuleTarget(SchemaModel):
    """Target defines the authorization target for this rule."""

    _required: ClassVar[tuple[str, ...]] = ("tools",)

    tools: Annotated[
        list[MCPRouteSecurityPolicyAuthorizationRuleTargetTool], Limits(min_items=1, max_items=16)
    ]


class MCPRouteSecurityPolicyAuthorizationRule(SchemaModel):
    """MCPRouteAuthorizationRule defines an authorization rule for MCPRoute based on the MCP authorization spec."""

    action: Annotated[
        Literal["Allow", "Deny"] | None,
        Limits(enum=("Allow", "Deny"), default="Allow", has_default=True),
    ] = None
    cel: Annotated[str | None, Limits(max_length=4096)] = None
    source: MCPRouteSecurityPolicyAuthorizationRuleSource | None = None
    target: MCPRouteSecurityPolicyAuthorizationRuleTarget | None = None


class MCPRouteSecurityPolicyAuthorization(SchemaModel):
    """Authorization defines the configuration for the MCP spec compatible authorization."""

    default_action: Annotated[
        Literal["Allow", "Deny"] | None,
        Limits(enum=("Allow", "Deny"), default="Deny", has_default=True),
    ] = None
    rules: Annotated[list[MCPRouteSecurityPolicyAuthorizationRule] | None, Limits(max_items=32)] = (
        None
    )


class MCPRouteSecurityPolicyExtAuthBodyToExtAuth(SchemaModel):
    """BodyToExtAuth defines the Body to Ext Auth configuration."""

    _required: ClassVar[tuple[str, ...]] = ("maxRequestBytes",)

    max_request_bytes: Annotated[int, Limits(minimum=1, format="int32")]


class MCPRouteSecurityPolicyExtAuthContextExtensionValueRef(SchemaModel):
    """ValueRef for the context extension's value."""

    _required: ClassVar[tuple[str, ...]] = ("group", "key", "kind", "name")
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="self.kind in ['ConfigMap', 'Secret'] && self.group in ['', 'v1']",
                message="Only a reference to an object of kind ConfigMap or Secret belonging to default v1 API group is supported.",
            ),
        )
    )

    group: Annotated[
        str,
        Limits(
            max_length=253,
            pattern="^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        ),
    ]
    key: str
    kind: Annotated[
        str, Limits(min_length=1, max_length=63, pattern="^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    ]
    name: Annotated[str, Limits(min_length=1, max_length=253)]


class MCPRouteSecurityPolicyExtAuthContextExtension(SchemaModel):
    """ContextExtension is analogous to http_request.headers, however these contents will not be sent to the upstream server."""

    _required: ClassVar[tuple[str, ...]] = ("name", "type")
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(self.type == 'Value' && has(self.value) && !has(self.valueRef)) || (self.type == 'ValueRef' && !has(self.value) && has(self.valueRef))",
                message="Exactly one of value or valueRef must be set with correct type.",
            ),
        )
    )

    name: str
    type: Annotated[
        Literal["Value", "ValueRef"],
        Limits(enum=("Value", "ValueRef"), default="Value", has_default=True),
    ]
    value: str | None = None
    value_ref: MCPRouteSecurityPolicyExtAuthContextExtensionValueRef | None = None


class MCPRouteSecurityPolicyExtAuthGrpc(SchemaModel):
    """GRPC defines the gRPC External Authorization service."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="has(self.backendRef) || self.backendRefs.size() > 0",
                message="backendRef or backendRefs needs to be set",
            ),
            CelRule(
                rule="has(self.backendRefs) ? self.backendRefs.all(f, f.kind == 'Service' || f.kind == 'ServiceImport' || f.kind == 'Backend') : true",
                message="BackendRefs only supports Service, ServiceImport, and Backend kind.",
            ),
            CelRule(
                rule="has(self.backendRefs) ? (self.backendRefs.all(f, f.group == \"\" || f.group == 'multicluster.x-k8s.io' || f.group == 'gateway.envoyproxy.io')) : true",
                message="BackendRefs only supports Core, multicluster.x-k8s.io, and gateway.envoyproxy.io groups.",
            ),
        )
    )

    backend_ref: OIDCProviderBackendRef | None = None
    backend_refs: Annotated[list[OIDCProviderBackendRef2] | None, Limits(max_items=16)] = None
    backend_settings: OIDCProviderBackendSettings | None = None


class MCPRouteSecurityPolicyExtAuthHttp(SchemaModel):
    """HTTP defines the HTTP External Authorization service."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="has(self.backendRef) || self.backendRefs.size() > 0",
                message="backendRef or backendRefs needs to be set",
            ),
            CelRule(
                rule="has(self.backendRefs) ? self.backendRefs.all(f, f.kind == 'Service' || f.kind == 'ServiceImport' || f.kind == 'Backend') : true",
                message="BackendRefs only supports Service, ServiceImport, and Backend kind.",
            ),
            CelRule(
                rule="has(self.backendRefs) ? (self.backendRefs.all(f, f.group == \"\" || f.group == 'multicluster.x-k8s.io' || f.group == 'gateway.envoyproxy.io')) : true",
                message="BackendRefs only supports Core, multicluster.x-k8s.io, and gateway.envoyproxy.io groups.",
            ),
            CelRule(
                rule="!(has(self.path) && has(self.pathOverride))",
                message="only one of path or pathOverride can be specified",
            ),
        )
    )

    backend_ref: OIDCProviderBackendRef | None = None
    backend_refs: Annotated[list[OIDCProviderBackendRef2] | None, Limits(max_items=16)] = None
    backend_settings: OIDCProviderBackendSettings | None = None
    headers_to_backend: list[str] | None = None
    path: str | None = None
    path_override: str | None = None


class MCPRouteSecurityPolicyExtAuth(SchemaModel):
    """ExtAuth defines the configuration for External Authorization."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(has(self.grpc) || has(self.http))",
                message="one of grpc or http must be specified",
            ),
            CelRule(
                rule="(has(self.grpc) && !has(self.http)) || (!has(self.grpc) && has(self.http))",
                message="only one of grpc or http can be specified",
            ),
        )
    )

    body_to_ext_auth: MCPRouteSecurityPolicyExtAuthBodyToExtAuth | None = None
    context_extensions: Annotated[
        list[MCPRouteSecurityPolicyExtAuthContextExtension] | None,
        Limits(list_type="map", list_map_keys=("name",)),
    ] = None
    fail_open: Annotated[bool | None, Limits(default=False, has_default=True)] = None
    grpc: MCPRouteSecurityPolicyExtAuthGrpc | None = None
    headers_to_ext_auth: list[str] | None = None
    http: MCPRouteSecurityPolicyExtAuthHttp | None = None
    include_route_metadata: bool | None = None
    recompute_route: bool | None = None
    status_on_error: Annotated[
        int | None,
        Limits(
            format="int32",
            enum=(
                400,
                401,
                402,
                403,
                404,
                405,
                406,
                407,
                408,
                409,
                410,
                411,
                412,
                413,
                414,
                415,
                416,
                417,
                421,
                422,
                423,
                424,
                426,
                428,
                429,
                431,
                500,
                501,
                502,
                503,
                504,
                505,
                506,
                507,
                508,
                510,
                511,
            ),
        ),
    ] = None
    timeout: Annotated[str | None, Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$")] = None


class MCPRouteSecurityPolicyOauthClaimToHeader(SchemaModel):
    """ClaimToHeader defines a configuration to convert JWT claims into HTTP headers"""

    _required: ClassVar[tuple[str, ...]] = ("claim", "header")

    claim: str
    header: str


class MCPRouteSecurityPolicyOauthJwksLocalJWKS(SchemaModel):
    """LocalJWKS defines how to get the JSON Web Key Sets (JWKS) from a local source."""

    _required: ClassVar[tuple[str, ...]] = ("type",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="(self.type == 'Inline' && has(self.inline) && !has(self.valueRef)) || (self.type == 'ValueRef' && !has(self.inline) && has(self.valueRef))",
                message="Exactly one of inline or valueRef must be set with correct type.",
            ),
        )
    )

    inline: str | None = None
    type: Annotated[
        Literal["Inline", "ValueRef"],
        Limits(enum=("Inline", "ValueRef"), default="Inline", has_default=True),
    ]
    value_ref: LocalPolicyTargetReference | None = None


class MCPRouteSecurityPolicyOauthJwksRemoteJWKS(SchemaModel):
    """RemoteJWKS defines how to fetch and cache JSON Web Key Sets (JWKS) from a remote HTTP/HTTPS endpoint."""

    _required: ClassVar[tuple[str, ...]] = ("uri",)
    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!has(self.backendRef)",
                message="BackendRefs must be used, backendRef is not supported.",
            ),
            CelRule(
                rule="has(self.backendSettings)? (has(self.backendSettings.retry)?(has(self.backendSettings.retry.perRetry)? !has(self.backendSettings.retry.perRetry.timeout):true):true):true",
                message="Retry timeout is not supported.",
            ),
            CelRule(
                rule="has(self.backendSettings)? (has(self.backendSettings.retry)?(has(self.backendSettings.retry.retryOn)? !has(self.backendSettings.retry.retryOn.httpStatusCodes):true):true):true",
                message="HTTPStatusCodes is not supported.",
            ),
        )
    )

    backend_ref: OIDCProviderBackendRef | None = None
    backend_refs: Annotated[list[OIDCProviderBackendRef2] | None, Limits(max_items=16)] = None
    backend_settings: OIDCProviderBackendSettings | None = None
    cache_duration: Annotated[
        str | None,
        Limits(pattern="^([0-9]{1,5}(h|m|s|ms)){1,4}$", default="300s", has_default=True),
    ] = None
    uri: Annotated[str, Limits(min_length=1, max_length=253)]


class MCPRouteSecurityPolicyOauthJwks(SchemaModel):
    """JWKS defines how a JSON Web Key Sets (JWKS) can be obtained to verify the access tokens presented by the clients."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="has(self.remoteJWKS) || has(self.localJWKS)",
                message="either remoteJWKS or localJWKS must be specified.",
            ),
            CelRule(
                rule="!(has(self.remoteJWKS) && has(self.localJWKS))",
                message="remoteJWKS and localJWKS cannot both be specified.",
            ),
        )
    )

    local_jwks: MCPRouteSecurityPolicyOauthJwksLocalJWKS | None = Field(None, alias="localJWKS")
    remote_jwks: MCPRouteSecurityPolicyOauthJwksRemoteJWKS | None = Field(None, alias="remoteJWKS")


class MCPRouteSecurityPolicyOauthProtectedResourceMetadata(SchemaModel):
    """ProtectedResourceMetadata defines the OAuth 2.0 Resource Server Metadata as per RFC 8414."""

    _required: ClassVar[tuple[str, ...]] = ("resource",)

    resource: Annotated[str, Limits(format="uri")]
    resource_documentation: Annotated[str | None, Limits(format="uri")] = None
    resource_name: Annotated[str | None, Limits(max_length=256)] = None
    resource_policy_uri: Annotated[str | None, Limits(format="uri")] = None
    resource_signing_alg_values_supported: Annotated[
        list[str] | None, Limits(min_items=1, max_items=16)
    ] = None
    scopes_supported: Annotated[list[str] | None, Limits(max_items=32)] = None


class MCPRouteSecurityPolicyOauth(SchemaModel):
    """OAuth defines the configuration for the MCP spec compatible OAuth authentication."""

    _required: ClassVar[tuple[str, ...]] = ("issuer", "protectedResourceMetadata")

    audiences: Annotated[list[str] | None, Limits(max_items=32)] = None
    claim_to_headers: Annotated[
        list[MCPRouteSecurityPolicyOauthClaimToHeader] | None, Limits(max_items=16)
    ] = None
    issuer: Annotated[str, Limits(format="uri")]
    jwks: MCPRouteSecurityPolicyOauthJwks | None = None
    protected_resource_metadata: MCPRouteSecurityPolicyOauthProtectedResourceMetadata


class MCPRouteSecurityPolicy(SchemaModel):
    """SecurityPolicy defines the security policy for this MCPRoute."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!(has(self.authorization) && self.authorization.rules.exists(r, has(r.source) && has(r.source.jwt)) && !has(self.oauth))",
                message="oauth must be configured when any authorization rule uses a jwt source",
            ),
        )
    )

    api_key_auth: MCPRouteSecurityPolicyApiKeyAuth | None = None
    authorization: MCPRouteSecurityPolicyAuthorization | None = None
    ext_auth: MCPRouteSecurityPolicyExtAuth | None = None
    oauth: MCPRouteSecurityPolicyOauth | None = None


class MCPRouteSpec(SchemaModel):
    """Spec defines the details of the MCPRoute."""

    _required: ClassVar[tuple[str, ...]] = ("backendRefs", "parentRefs")

    backend_refs: Annotated[
        list[MCPRouteBackendRef],
        Limits(
            min_items=1,
            max_items=256,
            rules=(
                CelRule(
                    rule="self.all(i, self.exists_one(j, j.name == i.name))",
                    message="all backendRefs names must be unique",
                ),
            ),
        ),
    ]
    backend_selector: MCPRouteBackendSelector | None = None
    headers: Annotated[
        list[AIGatewayRouteRuleMatchHeader] | None,
        Limits(max_items=16, list_type="map", list_map_keys=("name",)),
    ] = None
    hostnames: Annotated[
        list[
            Annotated[
                str,
                Limits(
                    min_length=1,
                    max_length=253,
                    pattern="^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
                ),
            ]
        ]
        | None,
        Limits(max_items=16),
    ] = None
    parent_refs: Annotated[
        list[ParentReference],
        Limits(
            min_items=1,
            max_items=16,
            rules=(
                CelRule(
                    rule="self.all(match, match.kind == 'Gateway')",
                    message="only Gateway is supported",
                ),
            ),
        ),
    ]
    path: Annotated[str | None, Limits(max_length=1024, default="/mcp", has_default=True)] = None
    security_policy: MCPRouteSecurityPolicy | None = None


class GatewayConfigExtProcKubernetesEnvValueFromConfigMapKeyRef(SchemaModel):
    """Selects a key of a ConfigMap."""

    _required: ClassVar[tuple[str, ...]] = ("key",)

    key: str
    name: Annotated[str | None, Limits(default="", has_default=True)] = None
    optional: bool | None = None


class GatewayConfigExtProcKubernetesEnvValueFromFieldRef(SchemaModel):
    """Selects a field of the pod: supports metadata.name, metadata.namespace, `metadata.labels['<KEY>']`, `metadata.annotations['<KEY>']`, spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP…"""

    _required: ClassVar[tuple[str, ...]] = ("fieldPath",)

    api_version: str | None = None
    field_path: str


class GatewayConfigExtProcKubernetesEnvValueFromFileKeyRef(SchemaModel):
    """FileKeyRef selects a key of the env file."""

    _required: ClassVar[tuple[str, ...]] = ("key", "path", "volumeName")

    key: str
    optional: Annotated[bool | None, Limits(default=False, has_default=True)] = None
    path: str
    volume_name: str


class GatewayConfigExtProcKubernetesEnvValueFromResourceFieldRef(SchemaModel):
    """Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory and requests.ephemeral-storage) are currentl…"""

    _required: ClassVar[tuple[str, ...]] = ("resource",)

    container_name: str | None = None
    divisor: Annotated[
        int | str | None,
        Limits(
            pattern="^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$"
        ),
    ] = None
    resource: str


class GatewayConfigExtProcKubernetesEnvValueFrom(SchemaModel):
    """Source for the environment variable's value."""

    config_map_key_ref: GatewayConfigExtProcKubernetesEnvValueFromConfigMapKeyRef | None = None
    field_ref: GatewayConfigExtProcKubernetesEnvValueFromFieldRef | None = None
    file_key_ref: GatewayConfigExtProcKubernetesEnvValueFromFileKeyRef | None = None
    resource_field_ref: GatewayConfigExtProcKubernetesEnvValueFromResourceFieldRef | None = None
    secret_key_ref: GatewayConfigExtProcKubernetesEnvValueFromConfigMapKeyRef | None = None


class GatewayConfigExtProcKubernetesEnv(SchemaModel):
    """EnvVar represents an environment variable present in a Container."""

    _required: ClassVar[tuple[str, ...]] = ("name",)

    name: str
    value: str | None = None
    value_from: GatewayConfigExtProcKubernetesEnvValueFrom | None = None


class GatewayConfigExtProcKubernetesResourcesClaim(SchemaModel):
    """ResourceClaim references one entry in PodSpec.ResourceClaims."""

    _required: ClassVar[tuple[str, ...]] = ("name",)

    name: str
    request: str | None = None


class GatewayConfigExtProcKubernetesResources(SchemaModel):
    """Resources required by this container."""

    claims: Annotated[
        list[GatewayConfigExtProcKubernetesResourcesClaim] | None,
        Limits(list_type="map", list_map_keys=("name",)),
    ] = None
    limits: (
        dict[
            str,
            Annotated[
                int | str,
                Limits(
                    pattern="^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$"
                ),
            ],
        ]
        | None
    ) = None
    requests: (
        dict[
            str,
            Annotated[
                int | str,
                Limits(
                    pattern="^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$"
                ),
            ],
        ]
        | None
    ) = None


class GatewayConfigExtProcKubernetesSecurityContextAppArmorProfile(SchemaModel):
    """appArmorProfile is the AppArmor options to use by this container."""

    _required: ClassVar[tuple[str, ...]] = ("type",)

    localhost_profile: str | None = None
    type: str


class GatewayConfigExtProcKubernetesSecurityContextCapabilities(SchemaModel):
    """The capabilities to add/drop when running containers."""

    add: Annotated[list[str] | None, Limits(list_type="atomic")] = None
    drop: Annotated[list[str] | None, Limits(list_type="atomic")] = None


class GatewayConfigExtProcKubernetesSecurityContextSeLinuxOptions(SchemaModel):
    """The SELinux context to be applied to the container."""

    level: str | None = None
    role: str | None = None
    type: str | None = None
    user: str | None = None


class GatewayConfigExtProcKubernetesSecurityContextWindowsOptions(SchemaModel):
    """The Windows specific settings applied to all containers."""

    gmsa_credential_spec: str | None = None
    gmsa_credential_spec_name: str | None = None
    host_process: bool | None = None
    run_as_user_name: str | None = None


class GatewayConfigExtProcKubernetesSecurityContext(SchemaModel):
    """SecurityContext defines the security options the container should be run with."""

    allow_privilege_escalation: bool | None = None
    app_armor_profile: GatewayConfigExtProcKubernetesSecurityContextAppArmorProfile | None = None
    capabilities: GatewayConfigExtProcKubernetesSecurityContextCapabilities | None = None
    privileged: bool | None = None
    proc_mount: str | None = None
    read_only_root_filesystem: bool | None = None
    run_as_group: Annotated[int | None, Limits(format="int64")] = None
    run_as_non_root: bool | None = None
    run_as_user: Annotated[int | None, Limits(format="int64")] = None
    se_linux_options: GatewayConfigExtProcKubernetesSecurityContextSeLinuxOptions | None = None
    seccomp_profile: GatewayConfigExtProcKubernetesSecurityContextAppArmorProfile | None = None
    windows_options: GatewayConfigExtProcKubernetesSecurityContextWindowsOptions | None = None


class GatewayConfigExtProcKubernetesVolumeMount(SchemaModel):
    """VolumeMount describes a mounting of a Volume within a container."""

    _required: ClassVar[tuple[str, ...]] = ("mountPath", "name")

    mount_path: str
    mount_propagation: str | None = None
    name: str
    read_only: bool | None = None
    recursive_read_only: str | None = None
    sub_path: str | None = None
    sub_path_expr: str | None = None


class GatewayConfigExtProcKubernetes(SchemaModel):
    """Kubernetes defines the configuration for running the external processor as a Kubernetes container."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="!has(self.image) || !has(self.imageRepository)",
                message="Either image or imageRepository can be set.",
            ),
        )
    )

    env: list[GatewayConfigExtProcKubernetesEnv] | None = None
    image: Annotated[
        str | None,
        Limits(
            rules=(
                CelRule(
                    rule="self.matches('^[a-zA-Z0-9._-]+(:[0-9]+)?(/[a-zA-Z0-9._/-]+)?(:[a-zA-Z0-9._-]+)?(@sha256:[a-z0-9]+)?$')",
                    message="Image must include a tag and allowed characters only (e.g., 'repo:tag').",
                ),
            )
        ),
    ] = None
    image_repository: Annotated[
        str | None,
        Limits(
            rules=(
                CelRule(
                    rule="self.matches('^[a-zA-Z0-9._-]+(:[0-9]+)?[a-zA-Z0-9._/-]+$')",
                    message="ImageRepository must contain only allowed characters and must not include a tag.",
                ),
            )
        ),
    ] = None
    resources: GatewayConfigExtProcKubernetesResources | None = None
    security_context: GatewayConfigExtProcKubernetesSecurityContext | None = None
    volume_mounts: list[GatewayConfigExtProcKubernetesVolumeMount] | None = None


class GatewayConfigExtProc(SchemaModel):
    """ExtProc defines the configuration for the external processor container."""

    kubernetes: GatewayConfigExtProcKubernetes | None = None


class GatewayConfigForwardProxy(SchemaModel):
    """ForwardProxy routes all upstream AI/LLM traffic from Gateways referencing this GatewayConfig through an HTTP CONNECT forward proxy."""

    _required: ClassVar[tuple[str, ...]] = ("address",)

    address: Annotated[str, Limits(min_length=1)]


class GatewayConfigSpec(SchemaModel):
    """Spec defines the configuration for the external processor."""

    ext_proc: GatewayConfigExtProc | None = None
    forward_proxy: GatewayConfigForwardProxy | None = None
    global_llm_request_costs: Annotated[
        list[LLMRequestCost] | None, Limits(list_type="map", list_map_keys=("metadataKey",))
    ] = Field(None, alias="globalLLMRequestCosts")


class QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelectorHeader(SchemaModel):
    """HeaderMatch defines the match attributes within the HTTP Headers of the request."""

    _required: ClassVar[tuple[str, ...]] = ("name",)

    invert: Annotated[bool | None, Limits(default=False, has_default=True)] = None
    name: Annotated[str, Limits(min_length=1, max_length=256)]
    type: Annotated[
        Literal["Exact", "RegularExpression", "Distinct"] | None,
        Limits(enum=("Exact", "RegularExpression", "Distinct"), default="Exact", has_default=True),
    ] = None
    value: Annotated[str | None, Limits(max_length=1024)] = None


class QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelectorMethod(SchemaModel):
    """MethodMatch defines the matching criteria for the HTTP method of a request."""

    _required: ClassVar[tuple[str, ...]] = ("value",)

    invert: Annotated[bool | None, Limits(default=False, has_default=True)] = None
    value: Annotated[
        Literal["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"],
        Limits(
            enum=("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
        ),
    ]


class QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelectorPath(SchemaModel):
    """Path is the request path to match."""

    _required: ClassVar[tuple[str, ...]] = ("value",)

    invert: Annotated[bool | None, Limits(default=False, has_default=True)] = None
    type: Annotated[
        Literal["Exact", "PathPrefix", "RegularExpression"] | None,
        Limits(
            enum=("Exact", "PathPrefix", "RegularExpression"),
            default="PathPrefix",
            has_default=True,
        ),
    ] = None
    value: Annotated[str, Limits(max_length=1024, default="/", has_default=True)]


class QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelectorSourceCIDR(SchemaModel):
    """SourceCIDR is the client IP Address range to match on."""

    _required: ClassVar[tuple[str, ...]] = ("value",)

    invert: Annotated[bool | None, Limits(default=False, has_default=True)] = None
    type: Annotated[
        Literal["Exact", "Distinct"] | None,
        Limits(enum=("Exact", "Distinct"), default="Exact", has_default=True),
    ] = None
    value: Annotated[str, Limits(min_length=1, max_length=256)]


class QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelector(SchemaModel):
    """RateLimitSelectCondition specifies the attributes within the traffic flow that can be used to select a subset of clients to be ratelimited."""

    _node_limits: ClassVar[Limits] = Limits(
        rules=(
            CelRule(
                rule="has(self.headers) || has(self.methods) || has(self.path) || has(self.sourceCIDR) || has(self.queryParams)",
                message="at least one of headers, methods, path, sourceCIDR or queryParams must be specified",
            ),
        )
    )

    headers: Annotated[
        list[QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelectorHeader] | None,
        Limits(max_items=64),
    ] = None
    methods: list[QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelectorMethod] | None = None
    path: QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelectorPath | None = None
    query_params: Annotated[
        list[QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelectorHeader] | None,
        Limits(max_items=16),
    ] = None
    source_cidr: QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelectorSourceCIDR | None = Field(
        None, alias="sourceCIDR"
    )


class QuotaPolicyPerModelQuotaQuotaBucketRuleQuota(SchemaModel):
    """Quota value for given client selectors."""

    _required: ClassVar[tuple[str, ...]] = ("duration", "limit")

    duration: Annotated[Literal["1s", "1m", "1h", "1d"], Limits(enum=("1s", "1m", "1h", "1d"))]
    limit: int


class QuotaPolicyPerModelQuotaQuotaBucketRule(SchemaModel):
    """The `QuotaPolicyPerModelQuotaQuotaBucketRule` object."""

    _required: ClassVar[tuple[str, ...]] = ("quota",)

    client_selectors: Annotated[
        list[QuotaPolicyPerModelQuotaQuotaBucketRuleClientSelector] | None, Limits(max_items=8)
    ] = None
    quota: QuotaPolicyPerModelQuotaQuotaBucketRuleQuota
    shadow_mode: bool | None = None


class QuotaPolicyPerModelQuotaQuota(SchemaModel):
    """Expression for computing request cost and rules for matching requests to quota buckets."""

    bucket_rules: list[QuotaPolicyPerModelQuotaQuotaBucketRule] | None = None
    cost_expression: str | None = None
    default_bucket: QuotaPolicyPerModelQuotaQuotaBucketRuleQuota | None = None
    mode: Annotated[
        Literal["Shared"] | None, Limits(enum=("Shared",), default="Shared", has_default=True)
    ] = None


class QuotaPolicyPerModelQuota(SchemaModel):
    """The `QuotaPolicyPerModelQuota` object."""

    _required: ClassVar[tuple[str, ...]] = ("modelName", "quota")

    model_name: Annotated[str, Limits(min_length=1)]
    quota: QuotaPolicyPerModelQuotaQuota


class QuotaPolicyServiceQuota(SchemaModel):
    """Quota for all models served by AIServiceBackend(s)."""

    _required: ClassVar[tuple[str, ...]] = ("quota",)

    cost_expression: str | None = None
    quota: QuotaPolicyPerModelQuotaQuotaBucketRuleQuota


class QuotaPolicySpec(SchemaModel):
    """QuotaPolicySpec specifies rules for computing token based costs of requests."""

    per_model_quotas: Annotated[list[QuotaPolicyPerModelQuota] | None, Limits(max_items=128)] = None
    service_quota: QuotaPolicyServiceQuota | None = None
    target_refs: Annotated[
        list[LocalPolicyTargetReference] | None,
        Limits(
            max_items=16,
            rules=(
                CelRule(
                    rule="self.all(ref, ref.group == 'aigateway.envoyproxy.io' && ref.kind == 'AIServiceBackend')",
                    message="targetRefs must reference AIServiceBackend resources",
                ),
            ),
        ),
    ] = None


class AIGatewayRoute(Resource):
    """AIGatewayRoute (aigateway.envoyproxy.io/v1beta1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1beta1"
    plural: ClassVar[str] = "aigatewayroutes"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = None
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1beta1"] = Field(
        default="aigateway.envoyproxy.io/v1beta1", alias="apiVersion"
    )
    kind: Literal["AIGatewayRoute"] = "AIGatewayRoute"
    spec: AIGatewayRouteSpec | None = None
    status: ResourceStatus | None = None


class AIGatewayRouteV1alpha1(Resource):
    """AIGatewayRoute (aigateway.envoyproxy.io/v1alpha1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1alpha1"
    plural: ClassVar[str] = "aigatewayroutes"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = (
        "aigateway.envoyproxy.io/v1alpha1 is deprecated; use aigateway.envoyproxy.io/v1beta1 instead"
    )
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1alpha1"] = Field(
        default="aigateway.envoyproxy.io/v1alpha1", alias="apiVersion"
    )
    kind: Literal["AIGatewayRoute"] = "AIGatewayRoute"
    spec: AIGatewayRouteSpec | None = None
    status: ResourceStatus | None = None


class AIServiceBackend(Resource):
    """AIServiceBackend (aigateway.envoyproxy.io/v1beta1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1beta1"
    plural: ClassVar[str] = "aiservicebackends"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = None
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1beta1"] = Field(
        default="aigateway.envoyproxy.io/v1beta1", alias="apiVersion"
    )
    kind: Literal["AIServiceBackend"] = "AIServiceBackend"
    spec: AIServiceBackendSpec | None = None
    status: ResourceStatus | None = None


class AIServiceBackendV1alpha1(Resource):
    """AIServiceBackend (aigateway.envoyproxy.io/v1alpha1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1alpha1"
    plural: ClassVar[str] = "aiservicebackends"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = (
        "aigateway.envoyproxy.io/v1alpha1 is deprecated; use aigateway.envoyproxy.io/v1beta1 instead"
    )
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1alpha1"] = Field(
        default="aigateway.envoyproxy.io/v1alpha1", alias="apiVersion"
    )
    kind: Literal["AIServiceBackend"] = "AIServiceBackend"
    spec: AIServiceBackendSpec | None = None
    status: ResourceStatus | None = None


class BackendSecurityPolicy(Resource):
    """BackendSecurityPolicy (aigateway.envoyproxy.io/v1beta1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1beta1"
    plural: ClassVar[str] = "backendsecuritypolicies"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = None
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1beta1"] = Field(
        default="aigateway.envoyproxy.io/v1beta1", alias="apiVersion"
    )
    kind: Literal["BackendSecurityPolicy"] = "BackendSecurityPolicy"
    spec: BackendSecurityPolicySpec | None = None
    status: ResourceStatus | None = None


class BackendSecurityPolicyV1alpha1(Resource):
    """BackendSecurityPolicy (aigateway.envoyproxy.io/v1alpha1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1alpha1"
    plural: ClassVar[str] = "backendsecuritypolicies"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = (
        "aigateway.envoyproxy.io/v1alpha1 is deprecated; use aigateway.envoyproxy.io/v1beta1 instead"
    )
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1alpha1"] = Field(
        default="aigateway.envoyproxy.io/v1alpha1", alias="apiVersion"
    )
    kind: Literal["BackendSecurityPolicy"] = "BackendSecurityPolicy"
    spec: BackendSecurityPolicySpecV1alpha1 | None = None
    status: ResourceStatus | None = None


class MCPRoute(Resource):
    """MCPRoute (aigateway.envoyproxy.io/v1beta1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1beta1"
    plural: ClassVar[str] = "mcproutes"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = None
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1beta1"] = Field(
        default="aigateway.envoyproxy.io/v1beta1", alias="apiVersion"
    )
    kind: Literal["MCPRoute"] = "MCPRoute"
    spec: MCPRouteSpec | None = None
    status: ResourceStatus | None = None


class MCPRouteV1alpha1(Resource):
    """MCPRoute (aigateway.envoyproxy.io/v1alpha1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1alpha1"
    plural: ClassVar[str] = "mcproutes"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = (
        "aigateway.envoyproxy.io/v1alpha1 is deprecated; use aigateway.envoyproxy.io/v1beta1 instead"
    )
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1alpha1"] = Field(
        default="aigateway.envoyproxy.io/v1alpha1", alias="apiVersion"
    )
    kind: Literal["MCPRoute"] = "MCPRoute"
    spec: MCPRouteSpec | None = None
    status: ResourceStatus | None = None


class GatewayConfig(Resource):
    """GatewayConfig (aigateway.envoyproxy.io/v1beta1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1beta1"
    plural: ClassVar[str] = "gatewayconfigs"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = None
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1beta1"] = Field(
        default="aigateway.envoyproxy.io/v1beta1", alias="apiVersion"
    )
    kind: Literal["GatewayConfig"] = "GatewayConfig"
    spec: GatewayConfigSpec | None = None
    status: ResourceStatus | None = None


class GatewayConfigV1alpha1(Resource):
    """GatewayConfig (aigateway.envoyproxy.io/v1alpha1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1alpha1"
    plural: ClassVar[str] = "gatewayconfigs"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = (
        "aigateway.envoyproxy.io/v1alpha1 is deprecated; use aigateway.envoyproxy.io/v1beta1 instead"
    )
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1alpha1"] = Field(
        default="aigateway.envoyproxy.io/v1alpha1", alias="apiVersion"
    )
    kind: Literal["GatewayConfig"] = "GatewayConfig"
    spec: GatewayConfigSpec | None = None
    status: ResourceStatus | None = None


class QuotaPolicy(Resource):
    """QuotaPolicy (aigateway.envoyproxy.io/v1alpha1)."""

    group: ClassVar[str] = "aigateway.envoyproxy.io"
    version: ClassVar[str] = "v1alpha1"
    plural: ClassVar[str] = "quotapolicies"
    namespaced: ClassVar[bool] = True
    deprecation_warning: ClassVar[str | None] = None
    _node_limits: ClassVar[Limits] = Limits()

    api_version: Literal["aigateway.envoyproxy.io/v1alpha1"] = Field(
        default="aigateway.envoyproxy.io/v1alpha1", alias="apiVersion"
    )
    kind: Literal["QuotaPolicy"] = "QuotaPolicy"
    spec: QuotaPolicySpec | None = None
    status: ResourceStatus | None = None
