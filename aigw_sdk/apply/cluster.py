"""Cluster: apply bundles to a Kubernetes cluster running Envoy AI Gateway, like kubectl does.

Server-side apply (PATCH ``application/apply-patch+yaml`` with a ``fieldManager``) in dependency
order, after validating the bundle offline and dry-running every object on the server, so that a
failure half-way is rare and clearly reported when it happens.
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from kubernetes import client

from aigw_sdk.apply.config import load_configuration
from aigw_sdk.apply.diff import DiffReport, normalize, object_diff
from aigw_sdk.apply.discovery import AIGW_GROUP, CRDStatus, Discovery, ResourceInfo, require_crds
from aigw_sdk.apply.errors import (
    APIError,
    ApplyFailedError,
    ClusterError,
    FieldManagerConflictError,
)
from aigw_sdk.apply.ordering import apply_order, delete_order, rank
from aigw_sdk.apply.plan import (
    BUNDLE_LABEL,
    MANAGED_BY_LABEL,
    MANAGED_BY_VALUE,
    Plan,
    PlannedObject,
    build_plan,
    bundle_name_of,
    comparable,
    is_subset,
    label_value,
    namespace_for,
    resolve,
)
from aigw_sdk.apply.results import Action, ApplyReport, DryRun, ObjectRef, ObjectResult
from aigw_sdk.apply.secrets import Redactor
from aigw_sdk.apply.transport import APPLY_PATCH, JSON, Transport
from aigw_sdk.apply.wait import (
    ObjectCondition,
    ProgressCallback,
    Target,
    TqdmProgress,
    WaitEvent,
    evaluate,
    wait_for,
)
from aigw_sdk.bundle import Bundle
from aigw_sdk.errors import APIDeprecationWarning, warn_deprecated
from aigw_sdk.models.base import Resource
from aigw_sdk.models.registry import RESOURCE_CLASSES, parse_resource

_APPLIED: tuple[Action, ...] = ("created", "configured", "unchanged")
_FORCE_HINT = "re-apply with force=True (CLI: --force) to take ownership of these fields"


@dataclass(frozen=True, slots=True)
class _Outcome:
    item: PlannedObject
    live: JSON | None
    after: JSON | None
    error: str = ""
    conflict: bool = False


def _dry_run_mode(dry_run: bool | str | None) -> DryRun:
    if dry_run in (False, None):
        return None
    if dry_run is True or dry_run == "server":
        return "server"
    if dry_run == "client":
        return "client"
    raise ValueError(f"dry_run must be False, 'server' or 'client', not {dry_run!r}")


def _action(live: JSON | None, after: JSON | None) -> Action:
    if live is None:
        return "created"
    return (
        "unchanged" if after is not None and normalize(live) == normalize(after) else "configured"
    )


class Cluster:
    """A Kubernetes cluster with Envoy AI Gateway, reached through the official client.

    ``kubeconfig`` and ``context`` pick the cluster (default: ``$KUBECONFIG`` or
    ``~/.kube/config`` and its current context; the pod's service account when running in a
    pod). ``namespace`` is used for objects that do not set one (default: the context's).
    """

    def __init__(
        self,
        kubeconfig: str | os.PathLike[str] | None = None,
        context: str | None = None,
        namespace: str | None = None,
        *,
        configuration: client.Configuration | None = None,
    ) -> None:
        if configuration is None:
            configuration, default_namespace = load_configuration(kubeconfig, context)
        else:
            default_namespace = "default"
        self.namespace: str = namespace or default_namespace
        self._transport = Transport(configuration)
        self._discovery = Discovery(self._transport)

    # -- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        """Release connections."""
        self._transport.close()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Cluster(host={self._transport.host!r}, namespace={self.namespace!r})"

    # -- discovery ------------------------------------------------------------------------------
    def check_crds(self) -> CRDStatus:
        """Which AI Gateway kinds and versions the cluster serves.

        Raises :class:`CRDsMissingError` when any is missing; warns
        (:class:`~aigw_sdk.errors.APIDeprecationWarning`) when only v1alpha1 is served, in which
        case :meth:`apply` converts objects automatically.
        """
        self._discovery.refresh()
        status = self._discovery.crd_status()
        require_crds(status)
        if status.v1alpha1_only:
            warn_deprecated(
                f"the cluster serves only {AIGW_GROUP}/v1alpha1 for some kinds ({status}); "
                "apply converts objects to v1alpha1"
            )
        return status

    # -- apply ----------------------------------------------------------------------------------
    def apply(
        self,
        bundle: Bundle,
        field_manager: str = "aigw-sdk",
        force: bool = False,
        dry_run: bool | str | None = False,
        prune: bool = False,
        label_selector: str | None = None,
        *,
        validate: bool = True,
        bundle_name: str | None = None,
    ) -> ApplyReport:
        """Server-side apply every object of ``bundle`` in dependency order.

        The bundle is validated offline first (``validate=False`` leaves the verdict to the API
        server) and every object is dry-run on the server before anything is written, so
        invalid objects and field-manager conflicts apply nothing. ``dry_run="server"`` stops
        after that dry run; ``"client"`` only compares with the live objects. ``prune=True``
        then deletes objects of this bundle (``bundle_name``, default :func:`bundle_name_of`)
        that are no longer in it.

        Raises :class:`BundleInvalidError`, :class:`FieldManagerConflictError` (``force=True``
        takes ownership), :class:`ApplyFailedError` (its ``report`` says what was applied),
        :class:`CRDsMissingError`.
        """
        mode = _dry_run_mode(dry_run)
        name, redact, plan = self._plan(bundle, validate, bundle_name)
        report = ApplyReport(dry_run=mode, warnings=list(plan.warnings))
        if mode == "client":
            for item in plan.objects:
                live = self._get_raw(item.path)
                unchanged = live is not None and is_subset(comparable(item.body), live)
                action: Action = "created" if live is None else "configured"
                report.results.append(ObjectResult(item.ref, "unchanged" if unchanged else action))
        else:
            outcomes = self._preflight(plan, field_manager, force, redact)
            if mode == "server" or any(o.error for o in outcomes):
                report.results = [
                    ObjectResult(o.item.ref, "failed", o.error)
                    if o.error
                    else ObjectResult(o.item.ref, _action(o.live, o.after))
                    for o in outcomes
                ]
                if report.failed:
                    raise _failure(report, any(o.conflict for o in outcomes), dry_run=True)
            else:
                self._apply_all(plan, field_manager, force, redact, report)
        if prune:
            pruned = self.prune(bundle, label_selector, bundle_name=name, dry_run=mode)
            report.results.extend(pruned.results)
        return report

    def _plan(
        self, bundle: Bundle, validate: bool, bundle_name: str | None
    ) -> tuple[str, Redactor, Plan]:
        """Offline validation, then the bundle name, its Secret redactor and the apply plan."""
        if validate:
            bundle.raise_for_errors()
        name = bundle_name or bundle_name_of(bundle)
        return name, Redactor(bundle), build_plan(bundle, self._discovery, self.namespace, name)

    def _apply_all(
        self,
        plan: Plan,
        field_manager: str,
        force: bool,
        redact: Redactor,
        report: ApplyReport,
    ) -> None:
        for index, item in enumerate(plan.objects):
            try:
                live, after = self._apply_object(item, field_manager, force, dry_run=False)
            except ClusterError as exc:
                conflict = isinstance(exc, APIError) and exc.status == 409
                report.results.append(ObjectResult(item.ref, "failed", _message(exc, redact)))
                report.results.extend(
                    ObjectResult(rest.ref, "skipped") for rest in plan.objects[index + 1 :]
                )
                raise _failure(report, conflict, dry_run=False) from None
            report.results.append(ObjectResult(item.ref, _action(live, after)))

    def _preflight(
        self, plan: Plan, field_manager: str, force: bool, redact: Redactor
    ) -> list[_Outcome]:
        """Dry-run every object; objects in a namespace the bundle creates count as created."""
        outcomes: list[_Outcome] = []
        new_namespaces: set[str] = set()
        for item in plan.objects:
            try:
                live, after = self._apply_object(item, field_manager, force, dry_run=True)
            except APIError as exc:
                if exc.status == 404 and item.namespace in new_namespaces:
                    outcomes.append(_Outcome(item, None, None))
                else:
                    message = _message(exc, redact)
                    outcomes.append(_Outcome(item, None, None, message, exc.status == 409))
                continue
            if item.info.kind == "Namespace" and not item.info.group and live is None:
                new_namespaces.add(item.resource.name)
            outcomes.append(_Outcome(item, live, after))
        return outcomes

    def _apply_object(
        self, item: PlannedObject, field_manager: str, force: bool, dry_run: bool
    ) -> tuple[JSON | None, JSON]:
        live = self._get_raw(item.path)
        query = [("fieldManager", field_manager)]
        if force:
            query.append(("force", "true"))
        if dry_run:
            query.append(("dryRun", "All"))
        after = self._transport.request(
            "PATCH", item.path, query=query, body=item.body, content_type=APPLY_PATCH
        )
        return live, after

    def _get_raw(self, path: str) -> JSON | None:
        try:
            return self._transport.request("GET", path)
        except APIError as exc:
            if exc.status == 404:
                return None
            raise

    # -- diff -----------------------------------------------------------------------------------
    def diff(
        self,
        bundle: Bundle,
        field_manager: str = "aigw-sdk",
        force: bool = False,
        *,
        validate: bool = True,
        bundle_name: str | None = None,
    ) -> DiffReport:
        """What applying would change: per object, the server dry-run result against the live
        object as a unified diff (managed fields, status and server-set metadata ignored;
        Secret values masked)."""
        _, redact, plan = self._plan(bundle, validate, bundle_name)
        outcomes = self._preflight(plan, field_manager, force, redact)
        failed = [o for o in outcomes if o.error]
        if failed:
            report = ApplyReport(
                [ObjectResult(o.item.ref, "failed", o.error) for o in failed],
                dry_run="server",
                warnings=list(plan.warnings),
            )
            raise _failure(report, any(o.conflict for o in failed), dry_run=True)
        return DiffReport(
            [
                object_diff(o.item.ref, o.live, o.after if o.after is not None else o.item.body)
                for o in outcomes
            ]
        )

    # -- wait and status ------------------------------------------------------------------------
    def wait(
        self,
        bundle: Bundle,
        condition: str = "Accepted",
        timeout: float = 300.0,
        *,
        on_progress: ProgressCallback | None = None,
        progress: bool | None = None,
    ) -> list[ObjectCondition]:
        """Block until every AI Gateway object of ``bundle`` reports ``condition`` (True, for its
        current generation), watching the API server like ``kubectl wait``.

        ``on_progress`` receives a :class:`WaitEvent` per change (from the calling thread);
        ``progress`` shows a tqdm bar (default: when stderr is a terminal). Raises
        :class:`WaitTimeoutError` listing the objects still pending with the controller's
        message (e.g. ``NotAccepted: … not found``).
        """
        targets = self._wait_targets(bundle)
        if not targets:
            return []
        show_bar = sys.stderr.isatty() if progress is None else progress
        bar = TqdmProgress(len(targets), condition) if show_bar else None

        def report(event: WaitEvent) -> None:
            if bar is not None:
                bar(event)
            if on_progress is not None:
                on_progress(event)

        try:
            return wait_for(self._transport, targets, condition, timeout, report)
        finally:
            if bar is not None:
                bar.close()

    def _wait_targets(self, bundle: Bundle) -> list[Target]:
        targets: list[Target] = []
        aigw = [r for r in bundle if r.api_version.rpartition("/")[0] == AIGW_GROUP]
        if aigw:
            require_crds(self._discovery.crd_status(), tuple(dict.fromkeys(r.kind for r in aigw)))
        for resource in apply_order(aigw):
            info = resolve(self._discovery, resource)
            assert info is not None  # require_crds checked every kind
            ref = ObjectRef(
                info.api_version,
                info.kind,
                resource.name,
                namespace_for(info, resource, self.namespace),
            )
            targets.append(Target(ref, info))
        return targets

    def status(self, bundle: Bundle, condition: str = "Accepted") -> list[ObjectCondition]:
        """The live state of every object of ``bundle``: whether it exists and, for AI Gateway
        objects, the latest condition and whether ``condition`` holds."""
        out: list[ObjectCondition] = []
        for resource in apply_order(bundle.resources):
            info = resolve(self._discovery, resource)
            namespace = resource.namespace or self.namespace
            if info is None:
                ref = ObjectRef(resource.api_version, resource.kind, resource.name, namespace)
                out.append(ObjectCondition(ref, False, False, message="kind not served"))
                continue
            namespace_ = namespace_for(info, resource, self.namespace)
            ref = ObjectRef(info.api_version, info.kind, resource.name, namespace_)
            live = self._get_raw(info.object_path(resource.name, namespace_))
            if info.group == AIGW_GROUP:
                out.append(evaluate(ref, live, condition))
            else:
                out.append(ObjectCondition(ref, live is not None, live is not None))
        return out

    # -- reading --------------------------------------------------------------------------------
    def get(self, kind: str | type[Resource], name: str, namespace: str | None = None) -> Resource:
        """The live object as an SDK model (``GenericResource`` for kinds the SDK does not model).

        ``kind`` is a model class, a kind (``"AIGatewayRoute"``), a plural, or ``Kind.group``.
        Raises :class:`APIError` (status 404) when it does not exist.
        """
        info = self._resolve_kind(kind)
        ns = (namespace or self.namespace) if info.namespaced else None
        return _to_model(self._transport.request("GET", info.object_path(name, ns)), info)

    def list(
        self,
        kind: str | type[Resource],
        namespace: str | None = None,
        label_selector: str | None = None,
        *,
        all_namespaces: bool = False,
    ) -> list[Resource]:
        """Live objects of ``kind`` (in ``namespace``, default the cluster's) as SDK models."""
        info = self._resolve_kind(kind)
        ns = None if all_namespaces else namespace or self.namespace
        query = [("labelSelector", label_selector)] if label_selector else []
        listing = self._transport.request("GET", info.collection_path(ns), query=query)
        return [_to_model(item, info) for item in listing.get("items", [])]

    def _resolve_kind(self, kind: str | type[Resource]) -> ResourceInfo:
        if isinstance(kind, type):
            found = self._discovery.find(
                kind.api_version_of(), kind.kind_name()
            ) or self._discovery.find_in_group(kind.group, kind.kind_name())
            if found is None:
                raise ClusterError(f"the cluster does not serve {kind.kind_name()}")
            return found
        name, _, group = kind.partition(".")
        wanted = name.lower()
        for cls in RESOURCE_CLASSES:
            if wanted in (cls.kind_name().lower(), cls.plural) and group in ("", cls.group):
                found = self._discovery.find_in_group(cls.group, cls.kind_name(), cls.version)
                if found is not None:
                    return found
        matches = [info for info in self._discovery.find_kind(name) if group in ("", info.group)]
        if len(matches) > 1:
            groups = ", ".join(f"{name}.{m.group}" for m in matches)
            raise ClusterError(f"kind {name!r} is ambiguous: say one of {groups}")
        if not matches:
            raise ClusterError(f"the cluster does not serve a kind {kind!r}")
        return matches[0]

    # -- deleting -------------------------------------------------------------------------------
    def delete(self, bundle: Bundle, *, dry_run: bool = False) -> ApplyReport:
        """Delete every object of ``bundle`` (dependents first); absent ones are ``not found``.

        Failures do not stop the others; :class:`ApplyFailedError` reports them at the end.
        """
        report = ApplyReport(dry_run="server" if dry_run else None)
        redact = Redactor(bundle)
        for resource in delete_order(bundle.resources):
            info = resolve(self._discovery, resource)
            namespace = resource.namespace or self.namespace
            if info is None:
                ref = ObjectRef(resource.api_version, resource.kind, resource.name, namespace)
                report.results.append(ObjectResult(ref, "not found", "kind not served"))
                continue
            ns = namespace_for(info, resource, self.namespace)
            ref = ObjectRef(info.api_version, info.kind, resource.name, ns)
            report.results.append(self._delete_one(info, ref, dry_run, "deleted", redact))
        if report.failed:
            raise _failure(report, False, verb="delete")
        return report

    def prune(
        self,
        bundle: Bundle,
        label_selector: str | None = None,
        *,
        bundle_name: str | None = None,
        dry_run: bool | str | None = False,
    ) -> ApplyReport:
        """Delete objects the SDK applied for this bundle earlier that are no longer in it.

        Candidates carry ``app.kubernetes.io/managed-by=aigw-sdk`` and match ``label_selector``
        (default: the bundle label ``aigw-sdk.envoyproxy.io/bundle=<bundle_name>``), in every
        namespace, among the kinds of the bundle and the kinds the SDK models.
        ``dry_run="client"`` only lists them; ``"server"`` asks the server to dry-run deletion.
        """
        mode = _dry_run_mode(dry_run)
        name = bundle_name or bundle_name_of(bundle)
        selector = f"{MANAGED_BY_LABEL}={MANAGED_BY_VALUE}," + (
            label_selector or f"{BUNDLE_LABEL}={label_value(name)}"
        )
        keep: set[tuple[str, str, str | None, str]] = set()
        kinds: dict[tuple[str, str], ResourceInfo] = {}
        for resource in bundle:
            info = resolve(self._discovery, resource)
            if info is not None:
                ns = namespace_for(info, resource, self.namespace)
                keep.add((info.group, info.kind, ns, resource.name))
                kinds[(info.group, info.kind)] = info
        for cls in RESOURCE_CLASSES:
            info = self._discovery.find_in_group(cls.group, cls.kind_name(), cls.version)
            if info is not None:
                kinds.setdefault((info.group, info.kind), info)
        report = ApplyReport(dry_run=mode)
        redact = Redactor(bundle)
        for info in sorted(kinds.values(), key=lambda i: -rank(i.kind)):
            listing = self._transport.request(
                "GET", info.collection_path(None), query=[("labelSelector", selector)]
            )
            for item in listing.get("items", []):
                meta = item.get("metadata") or {}
                ns = meta.get("namespace") if info.namespaced else None
                key = (info.group, info.kind, ns, str(meta.get("name")))
                if key in keep:
                    continue
                ref = ObjectRef(info.api_version, info.kind, key[3], ns)
                if mode == "client":
                    report.results.append(ObjectResult(ref, "pruned"))
                else:
                    outcome = self._delete_one(info, ref, mode == "server", "pruned", redact)
                    report.results.append(outcome)
        if report.failed:
            raise _failure(report, False, verb="prune")
        return report

    def _delete_one(
        self,
        info: ResourceInfo,
        ref: ObjectRef,
        dry_run: bool,
        done: Action,
        redact: Redactor,
    ) -> ObjectResult:
        query = [("dryRun", "All")] if dry_run else []
        try:
            self._transport.request(
                "DELETE", info.object_path(ref.name, ref.namespace), query=query
            )
        except APIError as exc:
            if exc.status == 404:
                return ObjectResult(ref, "not found")
            return ObjectResult(ref, "failed", _message(exc, redact))
        return ObjectResult(ref, done)


def _message(exc: ClusterError, redact: Redactor) -> str:
    if isinstance(exc, APIError):
        text = exc.message
        if exc.status == 409:
            text += f"; {_FORCE_HINT}"
        return redact(text)
    return redact(str(exc))


def _failure(
    report: ApplyReport, conflict: bool, *, dry_run: bool = False, verb: str = "apply"
) -> ApplyFailedError:
    """The error for a report with failures: what failed, and for a real apply what was applied
    before the failure and what was not attempted."""
    failed = report.failed
    lines = "\n".join(f"  {r.ref}: {r.message}" for r in failed)
    if verb != "apply":
        message = f"{verb} failed for {len(failed)} object(s):\n{lines}"
    elif dry_run:
        message = f"server dry run rejected {len(failed)} object(s); nothing was applied:\n{lines}"
    else:
        applied = [str(r.ref) for r in report.results if r.action in _APPLIED]
        skipped = [str(r.ref) for r in report.skipped]
        message = (
            f"apply stopped at {failed[0].ref}:\n{lines}\n"
            f"applied before it ({len(applied)}): {', '.join(applied) or 'none'}\n"
            f"not attempted ({len(skipped)}): {', '.join(skipped) or 'none'}"
        )
    if conflict:
        return FieldManagerConflictError(f"field manager conflict: {message}", report)
    return ApplyFailedError(message, report)


def _to_model(obj: JSON, info: ResourceInfo) -> Resource:
    data: dict[str, Any] = {"apiVersion": info.api_version, "kind": info.kind, **obj}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", APIDeprecationWarning)
        return parse_resource(data)
