"""Typed models: wire naming, identity, unknown fields, defaults, secrets, deprecation."""

from __future__ import annotations

import pydantic
import pytest

import aigw_sdk as aigw
from aigw_sdk.models import AIGatewayRouteV1alpha1, AIServiceBackendSchema


def _route() -> aigw.AIGatewayRoute:
    return aigw.AIGatewayRoute(
        metadata={"name": "r", "namespace": "default"},
        spec={
            "rules": [
                {
                    "matches": [{"headers": [{"name": "x-ai-eg-model", "value": "m"}]}],
                    "backendRefs": [{"name": "b", "modelNameOverride": "m2"}],
                }
            ]
        },
    )


def test_snake_case_in_python_camel_case_on_the_wire() -> None:
    route = _route()
    assert route.spec is not None
    assert route.spec.rules[0].backend_refs is not None
    assert route.spec.rules[0].backend_refs[0].model_name_override == "m2"
    wire = route.to_dict()
    assert wire["spec"]["rules"][0]["backendRefs"][0] == {"name": "b", "modelNameOverride": "m2"}
    assert wire["apiVersion"] == "aigateway.envoyproxy.io/v1beta1"
    assert wire["kind"] == "AIGatewayRoute"


def test_identity_class_vars() -> None:
    assert aigw.AIGatewayRoute.plural == "aigatewayroutes"
    assert aigw.AIGatewayRoute.namespaced
    assert aigw.GatewayClass.namespaced is False
    assert aigw.Secret.api_version_of() == "v1"
    assert aigw.Backend.api_version_of() == "gateway.envoyproxy.io/v1alpha1"
    assert aigw.BackendSecurityPolicy.kind_name() == "BackendSecurityPolicy"


def test_field_named_schema_is_schema_underscore() -> None:
    backend = aigw.AIServiceBackend(
        metadata={"name": "b"},
        spec={"schema": {"name": "Anthropic"}, "backendRef": {"name": "b"}},
    )
    assert backend.spec is not None
    assert isinstance(backend.spec.schema_, AIServiceBackendSchema)
    assert backend.to_dict()["spec"]["schema"] == {"name": "Anthropic"}


def test_unknown_field_is_rejected_with_its_path() -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        aigw.AIServiceBackend.model_validate(
            {
                "metadata": {"name": "b"},
                "spec": {"schema": {"name": "OpenAI"}, "backendRef": {"name": "b"}, "bogus": 1},
            }
        )
    assert info.value.errors()[0]["loc"] == ("spec", "bogus")


def test_defaults_only_on_request() -> None:
    route = _route()
    assert "weight" not in route.to_dict()["spec"]["rules"][0]["backendRefs"][0]
    filled = route.with_defaults().to_dict()
    ref = filled["spec"]["rules"][0]["backendRefs"][0]
    assert ref["weight"] == 1
    assert ref["priority"] == 0
    assert filled["spec"]["rules"][0]["matches"][0]["headers"][0]["type"] == "Exact"
    assert filled["spec"]["rules"][0]["modelsOwnedBy"] == "Envoy AI Gateway"
    # the original is untouched
    assert "weight" not in route.to_dict()["spec"]["rules"][0]["backendRefs"][0]


def test_secret_values_never_in_repr_or_str() -> None:
    secret = aigw.Secret(metadata={"name": "s"}, string_data={"apiKey": "sk-very-secret"})
    bundle = aigw.Bundle([secret])
    for text in (repr(secret), str(secret), repr(bundle)):
        assert "sk-very-secret" not in text
    assert secret.value("apiKey") == "sk-very-secret"


def test_secret_data_is_base64() -> None:
    secret = aigw.Secret(metadata={"name": "s"}, data={"apiKey": "c2stMQ=="})
    assert secret.value("apiKey") == "sk-1"
    broken = aigw.Secret(metadata={"name": "s"}, data={"apiKey": "%%%"})
    with pytest.raises(ValueError, match=r"data\.apiKey is not valid base64"):
        broken.value("apiKey")


def test_v1alpha1_objects_warn_like_the_api_server() -> None:
    with pytest.warns(aigw.APIDeprecationWarning, match="v1alpha1 is deprecated"):
        AIGatewayRouteV1alpha1(metadata={"name": "r"}, spec={"rules": []})
