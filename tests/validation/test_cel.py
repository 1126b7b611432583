"""x-kubernetes-validations evaluation: messages, messageExpression, fieldPath, reason, errors."""

from __future__ import annotations

from typing import Any

from aigw_sdk.models import CelRule
from aigw_sdk.validation.cel import evaluate_targets
from aigw_sdk.validation.schema import CelTarget, json_type_name


def run(value: Any, *rules: CelRule, path: str = "spec") -> list[str]:
    target = CelTarget(path, value, json_type_name(value), rules)
    return [f"{p.path}: {p.message}" for p in evaluate_targets([target])]


def test_passing_rule_reports_nothing() -> None:
    assert run({"a": 1}, CelRule("self.a == 1", "a must be 1")) == []


def test_failing_rule_uses_message_and_node_type() -> None:
    assert run({"a": 2}, CelRule("self.a == 1", "a must be 1")) == [
        'spec: Invalid value: "object": a must be 1'
    ]
    assert run([1, 1], CelRule("self.all(x, self.exists_one(y, y == x))", "unique")) == [
        'spec: Invalid value: "array": unique'
    ]
    assert run("ab", CelRule("size(self) > 2", "too short")) == [
        'spec: Invalid value: "string": too short'
    ]


def test_without_message_the_rule_is_quoted() -> None:
    assert run({"a": 2}, CelRule("self.a == 1")) == [
        'spec: Invalid value: "object": failed rule: self.a == 1'
    ]


def test_message_expression_wins_and_falls_back_to_message() -> None:
    rule = CelRule("self.a == 1", "static", message_expression="'a is ' + string(self.a)")
    assert run({"a": 2}, rule) == ['spec: Invalid value: "object": a is 2']
    broken = CelRule("self.a == 1", "static", message_expression="self.missing")
    assert run({"a": 2}, broken) == ['spec: Invalid value: "object": static']


def test_field_path_and_reason() -> None:
    rule = CelRule("self.a == 1", "bad a", field_path=".a", reason="FieldValueForbidden")
    assert run({"a": 2}, rule) == ["spec.a: Forbidden: bad a"]
    keyed = CelRule("false", "need b", field_path=".m['k.x']", reason="FieldValueRequired")
    assert run({}, keyed) == ["spec.m[k.x]: Required value: need b"]
    duplicate = CelRule("false", "dup", reason="FieldValueDuplicate")
    assert run([], duplicate) == ['spec: Duplicate value: "array"']


def test_kubernetes_string_extensions() -> None:
    rule = CelRule("self.h.lowerAscii() != 'authorization'", "no authorization header")
    assert run({"h": "Authorization"}, rule) == [
        'spec: Invalid value: "object": no authorization header'
    ]
    assert run({"h": "X-Token"}, rule) == []


def test_evaluation_errors_are_reported_like_the_api_server() -> None:
    assert run({}, CelRule("self.type == 'A'", "type must be A")) == [
        'spec: Invalid value: "object": no such key: type evaluating rule: type must be A'
    ]


def test_transition_rules_are_skipped_on_create() -> None:
    assert run({"a": 2}, CelRule("self.a == oldSelf.a", "immutable")) == []


def test_durations() -> None:
    rule = CelRule("duration(self.backendRequest) <= duration(self.request)", "too long")
    assert run({"request": "10s", "backendRequest": "1m"}, rule) == [
        'spec: Invalid value: "object": too long'
    ]
    assert run({"request": "1h", "backendRequest": "1m30s"}, rule) == []


def test_each_target_sees_its_own_self() -> None:
    rule = CelRule("self.a == 1", "a must be 1")
    targets = [
        CelTarget("spec.x", {"a": 1}, "object", (rule,)),
        CelTarget("spec.y", {"a": 2}, "object", (rule,)),
        CelTarget("spec.z", {"a": 1}, "object", (rule,)),
    ]
    assert [p.path for p in evaluate_targets(targets)] == ["spec.y"]
