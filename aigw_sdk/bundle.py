"""Bundle: an ordered set of resources that are validated, written and applied together."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

from aigw_sdk.errors import BundleInvalidError
from aigw_sdk.models.base import Resource
from aigw_sdk.models.registry import parse_resource
from aigw_sdk.serialization.yaml import LoadLimits, dump_documents, parse_documents, read_sources
from aigw_sdk.serialization.yaml import substitute_env as _substitute

if TYPE_CHECKING:
    from aigw_sdk.validation.issues import ValidationIssue

R = TypeVar("R", bound=Resource)


class ApplyTarget(Protocol):
    """Something a bundle can be applied to: a LocalGateway or a Cluster."""

    def apply(self, bundle: Bundle) -> Any: ...


class Bundle:
    """Resources in document order; objects with the same group, kind, namespace, name are one.

    Build one in code (``Bundle([route, backend])``), from YAML (:func:`load_yaml`) or a preset.
    """

    def __init__(self, resources: Iterable[Resource] = ()) -> None:
        self._resources: list[Resource] = []
        self._positions: dict[tuple[str, str, str, str], int] = {}  # key -> index (named only)
        self.add(*resources)

    # -- building -------------------------------------------------------------------------------
    def add(self, *resources: Resource) -> Bundle:
        """Append resources; one that has the key of an existing resource replaces it in place."""
        for resource in resources:
            if not isinstance(resource, Resource):
                raise TypeError(f"Bundle holds Resource objects, not {type(resource).__name__}")
            named = bool(resource.kind and resource.name)
            index = self._positions.get(resource.key) if named else None
            if index is not None:
                self._resources[index] = resource
                continue
            if named:
                self._positions[resource.key] = len(self._resources)
            self._resources.append(resource)
        return self

    def remove(self, resource: Resource) -> Bundle:
        """Drop the resource with the same key (no error when absent)."""
        self._resources = [r for r in self._resources if r.key != resource.key]
        self._positions = {r.key: i for i, r in enumerate(self._resources) if r.kind and r.name}
        return self

    def __add__(self, other: Bundle) -> Bundle:
        return Bundle([*self._resources, *other._resources])

    # -- reading --------------------------------------------------------------------------------
    @property
    def resources(self) -> list[Resource]:
        """The resources, in order (a copy of the list; the objects themselves are shared)."""
        return list(self._resources)

    def __iter__(self) -> Iterator[Resource]:
        return iter(self._resources)

    def __len__(self) -> int:
        return len(self._resources)

    @overload
    def __getitem__(self, index: int) -> Resource: ...
    @overload
    def __getitem__(self, index: slice) -> list[Resource]: ...
    def __getitem__(self, index: int | slice) -> Resource | list[Resource]:
        return self._resources[index]

    def of_kind(self, kind: type[R]) -> list[R]:
        """Every resource that is an instance of ``kind`` (a model class)."""
        return [r for r in self._resources if isinstance(r, kind)]

    def named(self, kind: str, name: str, namespace: str | None = None) -> Resource | None:
        """The resource of that kind (e.g. ``"AIGatewayRoute"``) and name, or None."""
        for resource in self._resources:
            in_namespace = namespace is None or (resource.namespace or "default") == namespace
            if resource.kind == kind and resource.name == name and in_namespace:
                return resource
        return None

    # -- checking -------------------------------------------------------------------------------
    def validate(self) -> list[ValidationIssue]:
        """Every problem at once: OpenAPI limits, CEL rules and cross-object checks."""
        from aigw_sdk.validation.validator import validate_resources

        return validate_resources(self._resources)

    def errors(self) -> list[ValidationIssue]:
        """Only the issues of severity ``error``."""
        return [issue for issue in self.validate() if issue.severity == "error"]

    def raise_for_errors(self) -> Bundle:
        """Raise :class:`BundleInvalidError` listing every error; return the bundle otherwise."""
        issues = self.validate()
        if any(issue.severity == "error" for issue in issues):
            raise BundleInvalidError(issues)
        return self

    # -- transforming ---------------------------------------------------------------------------
    def with_defaults(self) -> Bundle:
        """A copy with every CRD default filled in (what the API server would store)."""
        return Bundle(r.with_defaults() for r in self._resources)

    def convert(self, to: str = "v1beta1") -> Bundle:
        """A copy with the AI Gateway objects in version ``to`` (:mod:`aigw_sdk.conversion`)."""
        from aigw_sdk.conversion import convert_resource

        return Bundle(convert_resource(r, to) for r in self._resources)

    def apply(self, target: ApplyTarget) -> Any:
        """Apply to a LocalGateway or a Cluster: ``bundle.apply(gateway)``."""
        return target.apply(self)

    # -- writing --------------------------------------------------------------------------------
    def to_dicts(self) -> list[dict[str, Any]]:
        """The wire form of each resource."""
        return [r.to_dict() for r in self._resources]

    def to_yaml(self) -> str:
        """Deterministic multi-document YAML."""
        return dump_documents(self.to_dicts())

    def __repr__(self) -> str:
        inner = ", ".join(f"{r.kind}/{r.name}" for r in self._resources)
        return f"Bundle([{inner}])"

    def _repr_html_(self) -> str:
        from aigw_sdk.widgets.reprs import bundle_html

        return bundle_html(self)


def load_yaml(
    *sources: str | Path,
    substitute_env: bool = False,
    env: dict[str, str] | None = None,
    limits: LoadLimits | None = None,
) -> Bundle:
    """Load YAML files, directories or texts (multi-document) into one :class:`Bundle`.

    ``substitute_env=True`` expands ``${VAR}`` / ``${VAR:=default}`` first, as ``aigw run`` does.
    Syntax errors raise :class:`~aigw_sdk.errors.BundleLoadError` naming file and line. Objects
    whose fields do not fit their model are kept (as ``ParseFailure``) so that
    :meth:`Bundle.validate` reports every problem with the API server's wording. Each text is
    bounded by ``limits`` (size, documents, nesting, alias expansion; :class:`LoadLimits`), and
    duplicate keys are an error naming the key and line.
    """
    if not sources:
        raise TypeError("load_yaml() needs a path or YAML text")
    bundle = Bundle()
    for source in sources:
        for text, name in read_sources(source):
            expanded = _substitute(text, env) if substitute_env else text
            documents = parse_documents(expanded, source=name, limits=limits)
            bundle.add(*(parse_resource(doc) for doc in documents))
    return bundle
