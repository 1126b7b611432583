"""Evaluation of `x-kubernetes-validations` rules, worded as the API server words the results.

Programs are compiled once per rule text and cached. ``self`` is bound to the node's (defaulted)
wire value; rules that read ``oldSelf`` are transition rules, which the API server skips on
create, and so are skipped here. Besides CEL's standard functions (``matches``, ``size``,
``duration``, the macros) the Kubernetes string and list extensions the rules call (such as
``lowerAscii``) come from :mod:`cel.stdlib`.
"""

from __future__ import annotations

import functools
import re

import cel
from cel.stdlib import add_stdlib_to_context

from aigw_sdk.models.base import CelRule
from aigw_sdk.validation.schema import CelTarget, FieldProblem, go_value, join_path

_FIELD_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]")


@functools.cache
def _program(expression: str) -> cel.Program:
    return cel.compile(expression)


@functools.cache
def _reads_old_self(expression: str) -> bool:
    return "oldSelf" in _program(expression).variables()


def evaluate_targets(targets: list[CelTarget]) -> list[FieldProblem]:
    """Evaluate the rules of every target; one problem per failing (or erroring) rule."""
    problems: list[FieldProblem] = []
    context = cel.Context()
    add_stdlib_to_context(context, ["strings", "lists"])
    for target in targets:
        context.add_variable("self", target.value)  # rebinds `self` for this node
        for rule in target.rules:
            problem = _evaluate(rule, target, context)
            if problem is not None:
                problems.append(problem)
    return problems


def _evaluate(rule: CelRule, target: CelTarget, context: cel.Context) -> FieldProblem | None:
    if _reads_old_self(rule.rule):
        return None
    try:
        result = _program(rule.rule).execute(context)
    except KeyError as exc:
        return _invalid(target, f"no such key: {exc.args[0]} evaluating rule: {_rule_text(rule)}")
    except TypeError as exc:
        detail = (
            f"'no such overload: {exc}': call arguments did not match a supported operator, "
            f"function or macro signature for rule: {_rule_text(rule)}"
        )
        return _invalid(target, detail)
    except (RuntimeError, ValueError, OverflowError, ZeroDivisionError) as exc:
        return _invalid(target, f"{exc} evaluating rule: {_rule_text(rule)}")
    if result is True:
        return None
    return _failure(rule, target, _message(rule, context))


def _rule_text(rule: CelRule) -> str:
    return (rule.message or rule.rule).strip()


def _message(rule: CelRule, context: cel.Context) -> str:
    if rule.message_expression:
        try:
            text = _program(rule.message_expression).execute(context)
        except (KeyError, TypeError, RuntimeError, ValueError, OverflowError, ZeroDivisionError):
            text = None
        if isinstance(text, str) and text.strip() and "\n" not in text:
            return text.strip()
    if rule.message:
        return rule.message.strip()
    return f"failed rule: {rule.rule.strip()}"


def _invalid(target: CelTarget, detail: str) -> FieldProblem:
    return FieldProblem(target.path, f"Invalid value: {go_value(target.type_name)}: {detail}")


def _failure(rule: CelRule, target: CelTarget, detail: str) -> FieldProblem:
    path = _with_field_path(target.path, rule.field_path)
    match rule.reason:
        case "FieldValueForbidden":
            return FieldProblem(path, f"Forbidden: {detail}")
        case "FieldValueRequired":
            return FieldProblem(path, f"Required value: {detail}")
        case "FieldValueDuplicate":
            return FieldProblem(path, f"Duplicate value: {go_value(target.type_name)}")
    return FieldProblem(path, f"Invalid value: {go_value(target.type_name)}: {detail}")


def _with_field_path(path: str, field_path: str | None) -> str:
    """Append a rule's relative ``fieldPath`` (``.a.b`` / ``['key']``) to the node's path."""
    if not field_path:
        return path
    for match in _FIELD_PATH_PART.finditer(field_path):
        name, key = match.groups()
        path = join_path(path, name) if name is not None else f"{path}[{key}]"
    return path
