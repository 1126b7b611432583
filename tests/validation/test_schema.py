"""OpenAPI checks of the schema walker, one rule kind at a time, with the API server's wording."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import pytest

from aigw_sdk.models import Backend, BackendSecurityPolicy, Limits, SchemaModel
from aigw_sdk.models.aigateway_types import AIGatewayRoute, AIServiceBackend
from aigw_sdk.validation.schema import check_object


class Item(SchemaModel):
    _required: ClassVar[tuple[str, ...]] = ("name",)

    name: Annotated[str, Limits(min_length=2, max_length=5, pattern="^[a-z]+$")]
    count: Annotated[int | None, Limits(minimum=0, maximum=10)] = None
    mode: Annotated[
        Literal["A", "B"] | None, Limits(enum=("A", "B"), default="A", has_default=True)
    ] = None


class Root(SchemaModel):
    _required: ClassVar[tuple[str, ...]] = ("items",)
    _node_limits: ClassVar[Limits] = Limits(max_properties=3)

    items: Annotated[
        list[Item], Limits(min_items=1, max_items=2, list_type="map", list_map_keys=("name",))
    ]
    tags: Annotated[list[str] | None, Limits(list_type="set")] = None
    labels: Annotated[dict[str, str] | None, Limits(min_properties=1)] = None
    flag: bool | None = None
    created: Annotated[str | None, Limits(format="date-time")] = None


def problems(data: Any, model: type[SchemaModel] = Root) -> list[str]:
    return [f"{p.path}: {p.message}" for p in check_object(model, data).problems]


def test_valid_object_has_no_problems() -> None:
    assert problems({"items": [{"name": "ab", "count": 3}], "tags": ["x", "y"]}) == []


def test_required() -> None:
    assert problems({}) == ["items: Required value"]
    assert problems({"items": [{}]}) == ["items[0].name: Required value"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"items": [{"name": "ab", "count": "3"}]},
            'items[0].count: Invalid value: "string": '
            'items[0].count in body must be of type integer: "string"',
        ),
        (
            {"items": {}},
            'items: Invalid value: "object": items in body must be of type array: "object"',
        ),
        (
            {"items": [{"name": "ab"}], "flag": "yes"},
            'flag: Invalid value: "string": flag in body must be of type boolean: "string"',
        ),
        (
            {"items": [{"name": 1}]},
            'items[0].name: Invalid value: "integer": '
            'items[0].name in body must be of type string: "integer"',
        ),
    ],
)
def test_type(data: dict[str, Any], expected: str) -> None:
    result = check_object(Root, data)
    assert [f"{p.path}: {p.message}" for p in result.problems] == [expected]
    assert result.blocking


def test_enum() -> None:
    result = check_object(Root, {"items": [{"name": "ab", "mode": "C"}]})
    assert [f"{p.path}: {p.message}" for p in result.problems] == [
        'items[0].mode: Unsupported value: "C": supported values: "A", "B"'
    ]
    assert result.blocking


def test_string_lengths_and_pattern() -> None:
    assert problems({"items": [{"name": "a"}]}) == [
        'items[0].name: Invalid value: "a": items[0].name in body should be at least 2 chars long'
    ]
    assert problems({"items": [{"name": "abcdef"}]}) == [
        "items[0].name: Too long: may not be more than 5 bytes"
    ]
    assert problems({"items": [{"name": "AB"}]}) == [
        "items[0].name: Invalid value: \"AB\": items[0].name in body should match '^[a-z]+$'"
    ]


def test_minimum_and_maximum() -> None:
    assert problems({"items": [{"name": "ab", "count": -1}]}) == [
        "items[0].count: Invalid value: -1: "
        "items[0].count in body should be greater than or equal to 0"
    ]
    assert problems({"items": [{"name": "ab", "count": 11}]}) == [
        "items[0].count: Invalid value: 11: "
        "items[0].count in body should be less than or equal to 10"
    ]


def test_item_counts() -> None:
    assert problems({"items": []}) == [
        "items: Invalid value: 0: items in body should have at least 1 items"
    ]
    three = [{"name": n} for n in ("aa", "bb", "cc")]
    assert problems({"items": three}) == ["items: Too many: 3: must have at most 2 items"]


def test_property_counts() -> None:
    data = {"items": [{"name": "ab"}], "tags": [], "labels": {"a": "b"}, "flag": True}
    (problem,) = check_object(Root, data).problems
    assert (problem.path, problem.message) == ("", "Too many: 4: must have at most 3 items")
    assert problems({"items": [{"name": "ab"}], "labels": {}}) == [
        "labels: Invalid value: 0: labels in body should have at least 1 properties"
    ]


def test_list_map_and_set_uniqueness() -> None:
    assert problems({"items": [{"name": "ab"}, {"name": "ab"}]}) == [
        'items[1]: Duplicate value: map[string]interface {}{"name":"ab"}'
    ]
    assert problems({"items": [{"name": "ab"}], "tags": ["x", "y", "x"]}) == [
        'tags[2]: Duplicate value: "x"'
    ]


def test_unknown_field() -> None:
    assert problems({"items": [{"name": "ab", "colour": "red"}]}) == [
        'items[0].colour: unknown field "items[0].colour"'
    ]


def test_date_time_format() -> None:
    assert problems({"items": [{"name": "ab"}], "created": "2024-01-02T03:04:05Z"}) == []
    assert problems({"items": [{"name": "ab"}], "created": "yesterday"}) == [
        'created: Invalid value: "yesterday": '
        'created in body must be of type date-time: "yesterday"'
    ]


def test_defaults_are_applied_to_a_copy_before_cel() -> None:
    data = {"items": [{"name": "ab"}]}
    route = {
        "spec": {"parentRefs": [{"name": "gw"}], "rules": [{}]},
    }
    result = check_object(AIGatewayRoute, route)
    (target,) = [t for t in result.cel_targets if t.path == "spec.parentRefs"]
    assert target.value == [{"name": "gw", "group": "gateway.networking.k8s.io", "kind": "Gateway"}]
    assert route["spec"]["parentRefs"] == [{"name": "gw"}]
    check_object(Root, data)
    assert data == {"items": [{"name": "ab"}]}


def test_owned_data_is_defaulted_in_place() -> None:
    route: dict[str, Any] = {"spec": {"parentRefs": [{"name": "gw"}], "rules": [{}]}}
    result = check_object(AIGatewayRoute, route, owned=True)
    (target,) = [t for t in result.cel_targets if t.path == "spec.parentRefs"]
    assert target.value is route["spec"]["parentRefs"]
    assert route["spec"]["parentRefs"][0]["kind"] == "Gateway"


def test_absent_required_strings_are_required_not_zero_values() -> None:
    # The API server sees the YAML as written (kubectl, the SDK): an absent field is "Required
    # value". Only upstream's Go test driver zero-fills them (tests.support.upstream.as_go_struct).
    assert problems({"spec": {}}, BackendSecurityPolicy) == ["spec.type: Required value"]
    azure = {
        "spec": {"type": "AzureCredentials", "azureCredentials": {"clientSecretRef": {"name": "s"}}}
    }
    assert problems(azure, BackendSecurityPolicy) == [
        "spec.azureCredentials.clientID: Required value",
        "spec.azureCredentials.tenantID: Required value",
    ]


def test_real_model_required_and_enum() -> None:
    backend = {"spec": {"schema": {"name": "SomeRandomVendor"}}}
    # The API server's order: the properties' errors, then the object's missing required ones.
    assert problems(backend, AIServiceBackend) == [
        'spec.schema.name: Unsupported value: "SomeRandomVendor": supported values: "OpenAI", '
        '"Cohere", "AWSBedrock", "AzureOpenAI", "GCPVertexAI", "GCPAnthropic", "Anthropic", '
        '"AWSAnthropic"',
        "spec.backendRef: Required value",
    ]


def test_partial_models_check_only_modelled_types() -> None:
    backend = {
        "apiVersion": "gateway.envoyproxy.io/v1alpha1",
        "kind": "Backend",
        "metadata": {"name": "b"},
        "spec": {"endpoints": [{"fqdn": {"hostname": "h", "port": "443"}}], "tls": {"x": 1}},
    }
    result = check_object(Backend, backend, complete=False)
    assert [f"{p.path}: {p.message}" for p in result.problems] == [
        'spec.endpoints[0].fqdn.port: Invalid value: "string": '
        'spec.endpoints[0].fqdn.port in body must be of type integer: "string"'
    ]
