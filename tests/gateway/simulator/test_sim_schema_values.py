"""Sample tool inputs generated from JSON schemas."""

from __future__ import annotations

from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from gateway.simulator.schema_values import sample_value

SCHEMAS: list[dict[str, Any]] = [
    {"type": "string", "minLength": 30, "maxLength": 40},
    {"type": "string", "format": "date-time"},
    {"type": "integer", "exclusiveMinimum": 10, "multipleOf": 5},
    {"type": "number", "minimum": -5, "maximum": -2},
    {"type": "array", "items": {"type": "boolean"}, "minItems": 3, "maxItems": 4},
    {"type": ["null", "integer"], "maximum": 0},
    {"anyOf": [{"type": "null"}, {"type": "string", "enum": ["a", "b"]}]},
    {"const": 42},
    {
        "type": "object",
        "properties": {"item": {"$ref": "#/$defs/item"}},
        "required": ["item"],
        "$defs": {
            "item": {
                "type": "object",
                "properties": {"sku": {"type": "string"}, "qty": {"type": "integer", "minimum": 2}},
                "required": ["sku", "qty"],
            }
        },
    },
    {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"properties": {"b": {"type": "number", "default": 0.25}}, "required": ["b"]},
        ]
    },
    {"type": "object", "required": ["undeclared"]},
]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_sample_is_valid(schema: dict[str, Any]) -> None:
    jsonschema.validate(sample_value(schema), schema)


def test_exact_values() -> None:
    assert sample_value({"type": "integer", "exclusiveMinimum": 10, "multipleOf": 5}) == 15
    assert sample_value({"type": "string"}, "city") == "sample city"
    assert sample_value({"enum": ["x", "y"], "default": "y"}) == "y"
    assert sample_value(SCHEMAS[8]) == {"item": {"sku": "sample sku", "qty": 2}}
    assert sample_value(SCHEMAS[9]) == {"a": "sample a", "b": 0.25}
    recursive = {"type": "object", "properties": {"child": {"$ref": "#"}}}
    value = sample_value(recursive)
    depth = 0
    while isinstance(value, dict) and value.get("child") is not None:
        value, depth = value["child"], depth + 1
    assert 0 < depth < 20
