"""Object operations with API-server semantics: create, get, list, update, patch, apply, delete."""

from __future__ import annotations

import base64
import copy
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import yaml

from . import errors
from .errors import ApiError, bad_request
from .fieldsets import merge, remove_at
from .managed import plan_apply, record_update
from .patches import json_patch, merge_patch
from .resources import ResourceType
from .schema import prune_and_default
from .selectors import Matcher
from .store import Key, Store
from .validation import check_identity, decode, validate

JSON = dict[str, Any]

_SERVER_METADATA = ("uid", "creationTimestamp", "generation", "resourceVersion", "managedFields")
_NO_GENERATION = ("Secret", "ConfigMap", "Namespace")
# Kinds whose DELETE answers with the deleted object rather than a Status.
_DELETE_RETURNS_OBJECT = ("Service", "Namespace")

APPLY = "application/apply-patch+yaml"
MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"


def now() -> str:
    """RFC 3339 UTC timestamp with second precision, like ``metav1.Time``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class WriteOptions:
    """Query options shared by writes."""

    manager: str
    dry_run: bool = False
    field_validation: str = "Warn"
    force: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """The object a request addresses."""

    rtype: ResourceType
    namespace: str
    name: str

    @property
    def key(self) -> Key:
        """Storage key (shared by all versions of a kind)."""
        return (self.rtype.group, self.rtype.plural, self.namespace, self.name)


def _content(obj: JSON) -> JSON:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}


def _comparable(obj: JSON) -> JSON:
    clean = copy.deepcopy(obj)
    meta = clean.setdefault("metadata", {})
    meta.pop("resourceVersion", None)
    for entry in meta.get("managedFields") or []:
        entry.pop("time", None)
    return clean


class ObjectAPI:
    """The resource handlers; every method takes the store lock for its read-modify-write."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- reads ---------------------------------------------------------------------------
    def get(self, target: Target) -> JSON:
        """The object, as served in the target's version."""
        obj = self.store.get(target.key)
        if obj is None:
            raise self._not_found(target)
        return self._served(target.rtype, obj)

    def list(self, rtype: ResourceType, namespace: str | None, match: Matcher) -> JSON:
        """A ``<Kind>List`` of matching objects."""
        with self.store.lock:
            objects = self.store.objects((rtype.group, rtype.plural), namespace)
            rv = self.store.resource_version
        items = [self._served(rtype, o) for o in objects if match(o)]
        return {
            "apiVersion": rtype.api_version,
            "kind": f"{rtype.kind}List",
            "metadata": {"resourceVersion": str(rv)},
            "items": items,
        }

    def _served(self, rtype: ResourceType, obj: JSON) -> JSON:
        obj["apiVersion"] = rtype.api_version
        obj["kind"] = rtype.kind
        return obj

    def _not_found(self, target: Target) -> ApiError:
        return errors.not_found(target.rtype.group, target.rtype.plural, target.name)

    def _check_namespace(self, target: Target) -> None:
        if (
            target.rtype.namespaced
            and self.store.get(("", "namespaces", "", target.namespace)) is None
        ):
            raise errors.not_found("", "namespaces", target.namespace)

    # -- writes --------------------------------------------------------------------------
    def create(self, rtype: ResourceType, namespace: str, body: Any, opts: WriteOptions) -> JSON:
        """POST: 201 with the created object, 409 ``AlreadyExists`` when it exists."""
        check_identity(rtype, body, None)
        meta = body.setdefault("metadata", {})
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + uuid.uuid4().hex[:5]
        name = str(meta.get("name") or "")
        target = Target(rtype, namespace if rtype.namespaced else "", name)
        with self.store.lock:
            opts.warnings += decode(rtype, body, opts.field_validation)
            if name and self.store.get(target.key) is not None:
                raise errors.already_exists(rtype.group, rtype.plural, name)
            self._check_namespace(target)
            return self._commit(target, None, body, opts, subresource="")

    def replace(self, target: Target, body: Any, opts: WriteOptions, subresource: str) -> JSON:
        """PUT, honouring ``metadata.resourceVersion`` as a precondition."""
        check_identity(target.rtype, body, target.name)
        with self.store.lock:
            live = self.store.get(target.key)
            if live is None:
                raise self._not_found(target)
            wanted = (body.get("metadata") or {}).get("resourceVersion")
            if not wanted and target.rtype.schema is not None and not subresource:
                raise errors.unprocessable(
                    target.rtype.group,
                    target.rtype.kind,
                    target.name,
                    [
                        errors.invalid(
                            "metadata.resourceVersion", _Hex0(), "must be specified for an update"
                        )
                    ],
                )
            if wanted and wanted != live["metadata"]["resourceVersion"]:
                raise errors.conflict(
                    target.rtype.group,
                    target.rtype.plural,
                    target.name,
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again",
                )
            opts.warnings += decode(target.rtype, body, opts.field_validation)
            return self._commit(target, live, body, opts, subresource)

    def patch(
        self, target: Target, content_type: str, raw: bytes, opts: WriteOptions, subresource: str
    ) -> JSON:
        """PATCH with merge, strategic-merge (built-in kinds only), JSON or apply patches."""
        if content_type == APPLY:
            return self.apply(target, raw, opts, subresource)
        if content_type == STRATEGIC and target.rtype.schema is not None:
            raise ApiError(
                415,
                "UnsupportedMediaType",
                f"the body of the request was in an unknown format - accepted media types "
                f"include: {JSON_PATCH}, {MERGE}, {APPLY}",
            )
        patch = _json_body(raw)
        with self.store.lock:
            live = self.store.get(target.key)
            if live is None:
                raise self._not_found(target)
            served = self._served(target.rtype, copy.deepcopy(live))
            if content_type == JSON_PATCH:
                patched = json_patch(served, patch)
            elif content_type in (MERGE, STRATEGIC):
                patched = merge_patch(served, patch)
            else:
                raise ApiError(
                    415, "UnsupportedMediaType", f"unsupported patch type {content_type}"
                )
            check_identity(target.rtype, patched, target.name)
            wanted = (patched.get("metadata") or {}).get("resourceVersion")
            if wanted and wanted != live["metadata"]["resourceVersion"]:
                raise errors.conflict(
                    target.rtype.group,
                    target.rtype.plural,
                    target.name,
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again",
                )
            opts.warnings += decode(target.rtype, patched, opts.field_validation)
            return self._commit(target, live, patched, opts, subresource)

    def apply(self, target: Target, raw: bytes, opts: WriteOptions, subresource: str) -> JSON:
        """Server-side apply: create if absent, conflicts per field manager, ``force``."""
        rtype = target.rtype
        if not opts.manager:
            raise ApiError(
                400,
                "BadRequest",
                'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is '
                "required for apply patch",
            )
        try:
            config = yaml.safe_load(raw.decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise bad_request(f"error decoding YAML: {exc}") from exc
        check_identity(rtype, config, target.name, fill_type=False)
        config.setdefault("metadata", {})["name"] = target.name
        if rtype.namespaced:
            config["metadata"]["namespace"] = target.namespace
        unknown: list[str] = []
        if rtype.schema is not None:
            prune_and_default(config, rtype.schema, "", unknown, defaults=False)
        if unknown and opts.field_validation == "Strict":
            listed = ", ".join(f".{path}: field not declared in schema" for path in unknown)
            raise bad_request(
                f"failed to create typed patch object ({rtype.api_version}, Kind={rtype.kind}): "
                + listed
            )
        if opts.field_validation != "Ignore":
            opts.warnings += [f'unknown field "{path}"' for path in unknown]
        scope = (
            {"status": config.get("status", {})}
            if subresource
            else {k: v for k, v in config.items() if k != "status"}
        )
        with self.store.lock:
            live = self.store.get(target.key)
            if live is None and subresource:
                raise self._not_found(target)
            if live is None:
                self._check_namespace(target)
            stamp = now()
            plan = plan_apply(
                live,
                scope,
                rtype.schema,
                opts.manager,
                rtype.api_version,
                subresource,
                opts.force,
                stamp,
            )
            base = live or {"apiVersion": rtype.api_version, "kind": rtype.kind, "metadata": {}}
            merged = merge(self._served(rtype, copy.deepcopy(base)), scope, rtype.schema)
            for path in plan.removed:
                remove_at(merged, path)
            merged["metadata"]["managedFields"] = [e.dump() for e in plan.entries if e.fields]
            decode(rtype, merged, "Ignore")
            return self._commit(target, live, merged, opts, subresource, apply_fields=True)

    def delete(self, target: Target, opts: WriteOptions) -> JSON:
        """DELETE: the deleted object or a ``Success`` Status."""
        with self.store.lock:
            live = self.store.get(target.key)
            if live is None:
                raise self._not_found(target)
            served = self._served(target.rtype, live)
            if target.rtype.kind == "Namespace":
                served.setdefault("status", {})["phase"] = "Terminating"
            if not opts.dry_run:
                if target.rtype.kind == "Namespace":
                    self._delete_namespace_contents(target.name)
                served["metadata"]["resourceVersion"] = str(self.store.next_rv())
                self.store.delete(target.key, served)
        if target.rtype.kind in _DELETE_RETURNS_OBJECT:
            return served
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Success",
            "details": {
                "name": target.name,
                "group": target.rtype.group,
                "kind": target.rtype.plural,
                "uid": served["metadata"]["uid"],
            },
        }

    def _delete_namespace_contents(self, namespace: str) -> None:
        for key in self.store.keys_in_namespace(namespace):
            obj = self.store.get(key)
            if obj is not None:
                obj["metadata"]["resourceVersion"] = str(self.store.next_rv())
                self.store.delete(key, obj)

    # -- the shared write path -----------------------------------------------------------
    def _commit(
        self,
        target: Target,
        live: JSON | None,
        new: JSON,
        opts: WriteOptions,
        subresource: str,
        apply_fields: bool = False,
    ) -> JSON:
        rtype = target.rtype
        new = copy.deepcopy(new)
        meta = new.setdefault("metadata", {})
        if subresource:
            assert live is not None
            status = new.get("status")
            new = self._served(rtype, copy.deepcopy(live))
            if apply_fields:
                new["metadata"]["managedFields"] = meta.get("managedFields", [])
            if status is None:
                new.pop("status", None)
            else:
                new["status"] = status
            meta = new["metadata"]
        else:
            self._reset_status(rtype, live, new)
        meta["name"] = target.name
        if rtype.namespaced:
            meta["namespace"] = target.namespace
        else:
            meta.pop("namespace", None)
        applied_owners = new["metadata"].get("managedFields")
        self._server_fields(rtype, live, new)
        if apply_fields and applied_owners:
            new["metadata"]["managedFields"] = applied_owners
        validate(rtype, new)
        if not apply_fields:
            new["metadata"]["managedFields"] = (
                (live or {}).get("metadata", {}).get("managedFields", [])
            )
            record_update(
                live, new, rtype.schema, opts.manager, rtype.api_version, subresource, now()
            )
        elif not new["metadata"].get("managedFields"):
            new["metadata"].pop("managedFields", None)
        if live is not None and _comparable(self._served(rtype, live)) == _comparable(new):
            return self._served(rtype, live)
        if opts.dry_run:
            if live is None:
                new["metadata"].pop("resourceVersion", None)
            return new
        new["metadata"]["resourceVersion"] = str(self.store.next_rv())
        self.store.put(target.key, new, "ADDED" if live is None else "MODIFIED")
        return copy.deepcopy(new)

    def _reset_status(self, rtype: ResourceType, live: JSON | None, new: JSON) -> None:
        if not rtype.has_status or rtype.kind == "Namespace":
            return
        if live is not None and "status" in live:
            new["status"] = copy.deepcopy(live["status"])
        else:
            new.pop("status", None)

    def _server_fields(self, rtype: ResourceType, live: JSON | None, new: JSON) -> None:
        meta = new["metadata"]
        for key in _SERVER_METADATA:
            meta.pop(key, None)
        if live is None:
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = now()
            if rtype.kind not in _NO_GENERATION:
                meta["generation"] = 1
            if rtype.kind == "Namespace":
                new.setdefault("spec", {"finalizers": ["kubernetes"]})
                new["status"] = {"phase": "Active"}
        else:
            old_meta = live["metadata"]
            meta["uid"] = old_meta["uid"]
            meta["creationTimestamp"] = old_meta["creationTimestamp"]
            meta["resourceVersion"] = old_meta["resourceVersion"]
            if "generation" in old_meta:
                changed = _content(live) != _content(new)
                meta["generation"] = old_meta["generation"] + (1 if changed else 0)
        if rtype.kind == "Secret":
            _fold_string_data(new)


def _fold_string_data(secret: JSON) -> None:
    """Secrets: merge ``stringData`` into base64 ``data`` and default ``type``."""
    string_data = secret.pop("stringData", None) or {}
    if string_data:
        data = secret.setdefault("data", {})
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()
    secret.setdefault("type", "Opaque")


class _Hex0:
    """Go's ``%#v`` of a zero uint64 resourceVersion."""

    def __str__(self) -> str:
        return "0x0"


def _json_body(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError as exc:
        raise bad_request(f"error decoding patch: {exc}") from exc
