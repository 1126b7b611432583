"""Entry point of offline validation: per-object schema and CEL checks, then bundle checks.

Per object, as the API server does on create: CRD defaults are applied to a copy, the OpenAPI
schema is checked, and — only when no type or enum error was found, as the API server then
skips every rule with "some validation rules were not checked …" — the CEL rules are evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aigw_sdk.models.base import GenericResource, Resource
from aigw_sdk.models.registry import ParseFailure
from aigw_sdk.validation.bundle_checks import check_bundle
from aigw_sdk.validation.cel import evaluate_targets
from aigw_sdk.validation.issues import ValidationIssue
from aigw_sdk.validation.schema import FieldProblem, check_object, go_value

CEL_SKIPPED = (
    'Invalid value: "null": some validation rules were not checked because the object was '
    "invalid; correct the existing errors to complete validation"
)
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS_SUBDOMAIN_MESSAGE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
_UNKNOWN_FIELD = 'unknown field "'
_PATH_PART = re.compile(r"[^.\[\]]+")


def validate_resources(resources: Sequence[Resource]) -> list[ValidationIssue]:
    """Every problem of a bundle: per-object schema and CEL issues, then cross-object checks.

    Issues are ordered by document, then by field path (issues without a path last).
    """
    issues: list[ValidationIssue] = []
    for resource in resources:
        issues += validate_object(resource)
    issues += check_bundle(resources)
    position: dict[tuple[str, str, str | None], int] = {}
    for index, resource in enumerate(resources):
        position.setdefault((resource.kind, resource.name, resource.namespace), index)
    return sorted(
        issues,
        # Within a document, by field path; the notes without a path (CEL skipped, deprecation)
        # last, where the API server puts them.
        key=lambda i: (
            position.get((i.kind, i.name, i.namespace), 0),
            not i.path,
            path_sort_key(i.path),
        ),
    )


def path_sort_key(path: str) -> tuple[tuple[int, int, str], ...]:
    """Order field paths with list indices compared as numbers (``[2]`` before ``[10]``)."""
    parts = _PATH_PART.findall(path)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def validate_object(resource: Resource) -> list[ValidationIssue]:
    """The API server's verdict on one object alone (schema, CEL, metadata, deprecation)."""
    model = resource.model_class if isinstance(resource, ParseFailure) else type(resource)
    if model is None or model is GenericResource:
        # Any object, modelled or not, needs a type: documents such as Helm values files load
        # (nothing in a file is dropped) but are not Kubernetes objects.
        return [
            ValidationIssue(
                "error", resource.kind, resource.name, resource.namespace, field, "Required value"
            )
            for field, value in (("apiVersion", resource.api_version), ("kind", resource.kind))
            if not value
        ]
    result = check_object(model, resource.to_dict(), complete=model.complete, owned=True)
    # The API server's order: metadata, the schema walk, then the CEL rules (or the note that
    # they were skipped), so format_api_server_error reproduces its message.
    problems = _metadata_problems(resource) + result.problems
    if result.blocking:
        problems.append(FieldProblem("", CEL_SKIPPED))
    else:
        cel_problems = evaluate_targets(result.cel_targets)
        problems += sorted(cel_problems, key=lambda p: path_sort_key(p.path))
    issues = [_issue(resource, "error", p.path, p.message) for p in problems]
    if isinstance(resource, ParseFailure) and not issues and resource.error is not None:
        for error in resource.error.errors():
            path = ".".join(str(part) for part in error["loc"])
            issues.append(_issue(resource, "error", path, str(error["msg"])))
    warning = getattr(model, "deprecation_warning", None)
    if isinstance(warning, str):
        issues.append(_issue(resource, "warning", "", warning))
    return issues


def format_api_server_error(resource: Resource, issues: Sequence[ValidationIssue]) -> str:
    """The API server's message for ``resource``'s errors among ``issues``.

    ``<Kind>.<group> "<name>" is invalid: [<path>: <detail>, ...]`` (no brackets for a single
    error); unknown fields give the strict-decoding message the API server answers instead.
    Errors are listed in the order given: :func:`validate_object`'s is the API server's.
    Raises ValueError when ``issues`` holds no error of ``resource``.
    """
    errors = [
        i
        for i in issues
        if i.severity == "error"
        and (i.kind, i.name, i.namespace) == (resource.kind, resource.name, resource.namespace)
    ]
    if not errors:
        raise ValueError(f"{resource.kind} {resource.name!r} has no errors")
    unknown = [i.message for i in errors if i.message.startswith(_UNKNOWN_FIELD)]
    if unknown:
        version = resource.api_version.rpartition("/")[2]
        return (
            f'{resource.kind} in version "{version}" cannot be handled as a {resource.kind}: '
            f"strict decoding error: {', '.join(unknown)}"
        )
    group = resource.api_version.rpartition("/")[0]
    qualified = f"{resource.kind}.{group}" if group else resource.kind
    # As on the API server, the "rules were not checked" error (no path) comes last.
    ordered = [i for i in errors if i.path] + [i for i in errors if not i.path]
    texts = [f"{i.path or '<nil>'}: {i.message}" for i in ordered]
    joined = texts[0] if len(texts) == 1 else f"[{', '.join(texts)}]"
    return f'{qualified} "{resource.name}" is invalid: {joined}'


def _metadata_problems(resource: Resource) -> list[FieldProblem]:
    meta = resource.metadata
    if not meta.name:
        if meta.generate_name:
            return []
        return [FieldProblem("metadata.name", "Required value: name or generateName is required")]
    problems = []
    if len(meta.name) > 253:
        detail = "must be no more than 253 characters"
        problems.append(
            FieldProblem("metadata.name", f"Invalid value: {go_value(meta.name)}: {detail}")
        )
    if not _DNS_SUBDOMAIN.match(meta.name):
        message = f"Invalid value: {go_value(meta.name)}: {_DNS_SUBDOMAIN_MESSAGE}"
        problems.append(FieldProblem("metadata.name", message))
    return problems


def _issue(resource: Resource, severity: str, path: str, message: str) -> ValidationIssue:
    return ValidationIssue(
        "warning" if severity == "warning" else "error",
        resource.kind,
        resource.name,
        resource.namespace,
        path,
        message,
    )
