"""Base classes shared by every resource model: wire naming, identity, metadata, schema metadata."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, ClassVar, Self, cast

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from pydantic.alias_generators import to_camel

from aigw_sdk.errors import warn_deprecated


@dataclass(frozen=True, slots=True)
class CelRule:
    """One `x-kubernetes-validations` entry of a CRD schema node."""

    rule: str
    message: str | None = None
    message_expression: str | None = None
    field_path: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    """OpenAPI constraints of one schema node (attached to fields as ``Annotated`` metadata).

    Pydantic ignores these; :mod:`aigw_sdk.validation.schema` enforces them with the API server's
    messages, so an object can be built first and checked as a whole afterwards.
    """

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_properties: int | None = None
    max_properties: int | None = None
    enum: tuple[Any, ...] | None = None
    format: str | None = None
    list_type: str | None = None
    list_map_keys: tuple[str, ...] | None = None
    default: Any = None
    has_default: bool = False
    patterns: tuple[str, ...] = ()
    rules: tuple[CelRule, ...] = ()


class SchemaModel(BaseModel):
    """A typed object: snake_case in Python, camelCase on the wire, no unknown fields."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        protected_namespaces=(),
        validate_assignment=False,
    )

    # Object-level schema facts of this node (required keys, CEL rules, property limits).
    _required: ClassVar[tuple[str, ...]] = ()
    _node_limits: ClassVar[Limits] = Limits()

    def to_dict(self) -> dict[str, Any]:
        """The wire form: camelCase keys, only the fields that were set (None means absent)."""
        return self.model_dump(by_alias=True, exclude_unset=True, exclude_none=True, mode="json")


class OpenModel(SchemaModel):
    """A partially modelled object: the fields the SDK reads are typed, any other field is kept
    as given so real configs round-trip unchanged."""

    model_config = ConfigDict(extra="allow")


class Condition(SchemaModel):
    """A `metav1.Condition` as reported in `status.conditions`."""

    type: str
    status: str
    reason: str | None = None
    message: str | None = None
    last_transition_time: str | None = None
    observed_generation: int | None = None


class ResourceStatus(OpenModel):
    """Status written by a controller; the SDK only reads it."""

    conditions: list[Condition] | None = None


class ObjectMeta(SchemaModel):
    """The subset of `metav1.ObjectMeta` that bundles and the API server carry."""

    name: str | None = None
    generate_name: str | None = None
    namespace: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    uid: str | None = None
    resource_version: str | None = None
    generation: int | None = None
    creation_timestamp: str | None = None
    deletion_timestamp: str | None = None
    deletion_grace_period_seconds: int | None = None
    finalizers: list[str] | None = None
    owner_references: list[dict[str, Any]] | None = None
    managed_fields: list[dict[str, Any]] | None = None


class Resource(SchemaModel):
    """A Kubernetes object with a known apiVersion and kind.

    Subclasses set the identity class variables; ``api_version`` and ``kind`` are filled in
    automatically so ``AIServiceBackend(metadata=..., spec=...)`` is enough.
    """

    group: ClassVar[str] = ""
    version: ClassVar[str] = "v1"
    plural: ClassVar[str] = ""
    namespaced: ClassVar[bool] = True
    # Whether the class models every field of its schema (unknown fields then are errors).
    complete: ClassVar[bool] = True
    # The API server's warning for a deprecated version, emitted when such an object is built.
    deprecation_warning: ClassVar[str | None] = None

    api_version: str = Field(default="", alias="apiVersion")
    kind: str = ""
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)

    def model_post_init(self, context: Any, /) -> None:
        # apiVersion, kind and metadata are always part of the wire form.
        self.model_fields_set.update({"api_version", "kind", "metadata"})
        if self.deprecation_warning:
            warn_deprecated(self.deprecation_warning)

    @classmethod
    def kind_name(cls) -> str:
        """The Kubernetes kind this class models."""
        return str(cls.model_fields["kind"].default)

    @classmethod
    def api_version_of(cls) -> str:
        """`group/version`, or just `version` for the core group."""
        return f"{cls.group}/{cls.version}" if cls.group else cls.version

    @property
    def name(self) -> str:
        """metadata.name ('' when unset)."""
        return self.metadata.name or ""

    @property
    def namespace(self) -> str | None:
        """metadata.namespace (None when unset)."""
        return self.metadata.namespace

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity inside a bundle: (apiVersion group, kind, namespace, name)."""
        group = self.api_version.rpartition("/")[0]
        return (group, self.kind, self.namespace or "", self.name)

    def with_defaults(self) -> Self:
        """A copy with the CRD defaults filled in where fields are unset (never applied on dump)."""
        from aigw_sdk.models.defaults import apply_defaults

        return apply_defaults(self)

    def __repr_args__(self) -> Any:
        yield "name", self.name
        if self.namespace:
            yield "namespace", self.namespace


class GenericResource(Resource):
    """Any object the SDK does not model (Deployment, Service, …), or one that did not parse.

    The wire form is kept verbatim so it dumps back unchanged.
    """

    model_config = ConfigDict(extra="allow")
    complete: ClassVar[bool] = False
    _raw: dict[str, Any] | None = PrivateAttr(None)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Self:
        """Wrap a wire object without interpreting it beyond apiVersion, kind and metadata."""
        obj = cast(
            Self,
            cls.model_construct(
                api_version=str(data.get("apiVersion", "")),
                kind=str(data.get("kind", "")),
                metadata=_lenient_meta(data.get("metadata")),
            ),
        )
        obj._raw = copy.deepcopy(data)
        return obj

    def to_dict(self) -> dict[str, Any]:
        raw = self._raw
        if raw is not None:
            out = copy.deepcopy(raw)
            meta = self.metadata.to_dict()
            if meta or "metadata" in out:
                out["metadata"] = {**out.get("metadata", {}), **meta}
            return out
        return super().to_dict()


def _lenient_meta(meta: Any) -> ObjectMeta:
    if not isinstance(meta, dict):
        return ObjectMeta()
    try:
        return ObjectMeta.model_validate(meta)
    except ValueError:
        return ObjectMeta.model_construct(
            name=meta.get("name") if isinstance(meta.get("name"), str) else None,
            namespace=meta.get("namespace") if isinstance(meta.get("namespace"), str) else None,
        )
