"""Kubernetes CEL extension functions and rule failure messages."""

from __future__ import annotations

import pytest

from .celrules import evaluate_rule, validate_rules


@pytest.mark.parametrize(
    ("rule", "value", "holds"),
    [
        ("self.lowerAscii() == 'authorization'", "AuthoriZation", True),
        ("self.upperAscii() == 'ABC'", "abc", True),
        ("self.trim() == 'x'", "  x ", True),
        ("self.split(',').size() == 3", "a,b,c", True),
        ("self.replace('-', '_') == 'a_b'", "a-b", True),
        ("self.indexOf('b') == 1", "abc", True),
        ("isURL(self)", "https://example.com/x", True),
        ("isURL(self)", "not a url", False),
        ("self.matches('^[a-z]+$')", "abc", True),
        ("duration(self) > duration('1s')", "2s", True),
    ],
)
def test_extension_functions(rule: str, value: str, holds: bool) -> None:
    result = evaluate_rule({"rule": rule, "message": "failed"}, value)
    assert (result is None) is holds


def test_messages_and_runtime_errors() -> None:
    schema = {
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "x-kubernetes-validations": [{"rule": "self.a == 1"}],
                },
                "x-kubernetes-validations": [{"rule": "size(self) < 2", "message": "too many"}],
            }
        },
    }
    errors = validate_rules({"items": [{"a": 2}, {"b": 1}]}, schema, "spec")
    assert [str(e) for e in errors] == [
        'spec.items: Invalid value: "array": too many',
        'spec.items[0]: Invalid value: "object": failed rule: self.a == 1',
        'spec.items[1]: Invalid value: "object": no such key: a evaluating rule: self.a == 1',
    ]
