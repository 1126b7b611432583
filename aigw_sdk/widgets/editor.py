"""BundleEditor: YAML with highlighting, validation issues at their lines as you type, a diff
preview before applying to the local gateway or a cluster (anywidget).

Secret values never reach the browser: whatever the editor is given (a Bundle, YAML text, even
text that does not parse) its Secret ``data``/``stringData`` values are shown as ``'***'`` and
put back when the edited YAML is parsed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets as t
import yaml

from aigw_sdk import presets
from aigw_sdk.bundle import Bundle, load_yaml
from aigw_sdk.errors import AIGWError
from aigw_sdk.models.base import Resource
from aigw_sdk.models.core import Secret
from aigw_sdk.models.registry import parse_resource
from aigw_sdk.serialization.yaml import dump_documents
from aigw_sdk.widgets._frontend import CSS, esm
from aigw_sdk.widgets.reprs import IssueList, status_label
from aigw_sdk.widgets.summary import masked_dict
from aigw_sdk.widgets.yaml_text import MASK, SecretKey, documents, issue_line, mask_secrets

if TYPE_CHECKING:
    from aigw_sdk.apply import ApplyReport, Cluster
    from aigw_sdk.local import LocalGateway

PRESETS: dict[str, Callable[[], Bundle]] = {
    "anthropic": presets.anthropic,
    "openai": presets.openai,
}
Target = str  # "gateway" or "cluster"


class BundleEditor(anywidget.AnyWidget):
    """A YAML editor with live validation; "Apply to local gateway…" shows the diff against
    what the gateway serves, then applies (through the simulator when the gateway runs one and
    ``simulate`` is on); given a ``cluster``, the same against the cluster, plus a dry-run."""

    _esm = esm("editor")
    _css = CSS

    source = t.Unicode("").tag(sync=True)
    marks = t.List(t.Dict()).tag(sync=True)
    summary = t.Unicode("").tag(sync=True)
    diff = t.Unicode("").tag(sync=True)
    pending = t.Unicode("").tag(sync=True)
    status = t.Dict().tag(sync=True)
    targets = t.Dict().tag(sync=True)
    presets = t.List(t.Unicode()).tag(sync=True)

    def __init__(
        self,
        bundle: Bundle | str | None = None,
        *,
        gateway: LocalGateway | None = None,
        cluster: Cluster | None = None,
        simulate: bool | None = None,
    ) -> None:
        super().__init__()
        self.gateway = gateway
        self.cluster = cluster
        self.simulate = (
            simulate if simulate is not None else bool(gateway and gateway.simulator_url)
        )
        self.issues: IssueList = IssueList()
        self.load_error: str | None = None
        self.last_result: object = None
        self._count = 0
        self._secrets: dict[SecretKey, str] = {}
        self.targets = {"gateway": gateway is not None, "cluster": cluster is not None}
        self.presets = list(PRESETS)
        self.observe(lambda _change: self._edited(), names="source")
        self.on_msg(self._on_front_end)
        self.load(bundle if bundle is not None else "")

    # -- display --------------------------------------------------------------------------------
    def __repr__(self) -> str:
        if self.load_error is not None:
            return f"BundleEditor(invalid YAML: {self.load_error})"
        return f"BundleEditor({self._summary()})\n{self.issues!r}"

    # -- actions --------------------------------------------------------------------------------
    def load(self, bundle: Bundle | str) -> None:
        """Replace the text with ``bundle`` (a Bundle or YAML text), Secret values masked."""
        text = bundle.to_yaml() if isinstance(bundle, Bundle) else bundle
        masked, values = mask_secrets(text)
        self._secrets.update(values)
        self.diff, self.pending, self.status = "", "", {}
        if masked == self.source:
            self.validate()
        self.source = masked

    def bundle(self) -> Bundle:
        """The bundle the YAML describes, masked Secret values restored (raises
        :class:`~aigw_sdk.errors.BundleLoadError`)."""
        if not self.source.strip():
            return Bundle()
        return Bundle(self._unmasked(r) for r in load_yaml(self.source))

    def validate(self) -> IssueList:
        """Parse and validate the YAML; the issues, with their lines, go to the browser."""
        try:
            bundle = self.bundle()
        except AIGWError as exc:
            self.load_error = str(exc)
            self.issues = IssueList()
            self.summary = "invalid YAML"
            self.marks = [{"line": _error_line(exc), "severity": "error", "object": "",
                           "path": "", "message": str(exc)}]  # fmt: skip
            return self.issues
        self.load_error = None
        self._count = len(bundle)
        self.issues = IssueList(bundle.validate())
        try:
            docs = documents(self.source)
        except yaml.YAMLError:
            docs = []
        self.marks = [
            {
                "line": issue_line(docs, issue),
                "severity": issue.severity,
                "object": f"{issue.kind} {issue.name}",
                "path": issue.path,
                "message": issue.message,
            }
            for issue in self.issues
        ]
        self.summary = self._summary()
        return self.issues

    def preview(self, target: Target = "gateway") -> str:
        """The diff of applying the YAML to ``target`` ("gateway" or "cluster"), Secret values
        masked; the browser shows it with a button to go ahead."""
        bundle = self._checked()
        if target == "cluster":
            cluster = self._cluster()
            text = str(cluster.diff(bundle))
        else:
            text = self._gateway_diff(bundle)
        self.diff = text or "(no changes)"
        self.pending = target
        self._say("busy", f"review the changes, then apply them to the {_name(target)}")
        return text

    def apply(self) -> dict[str, Any]:
        """Validate, then hot-apply to the local gateway; returns its answer."""
        gateway = self._gateway()
        bundle = self._checked()
        result = gateway.apply(gateway.simulated(bundle) if self.simulate else bundle)
        self.pending = ""
        self._say("ok", f"applied to the local gateway: generation {result.get('generation')}")
        self.last_result = result
        return result

    def dry_run(self) -> ApplyReport:
        """Validate, then server-side dry-run on the cluster."""
        return self._to_cluster(dry_run=True)

    def apply_to_cluster(self) -> ApplyReport:
        """Validate, then server-side apply on the cluster."""
        return self._to_cluster(dry_run=False)

    # -- internals ------------------------------------------------------------------------------
    def _on_front_end(self, _widget: object, content: dict[str, Any], _buffers: object) -> None:
        kind, name = content.get("type"), str(content.get("name", ""))
        if kind == "preset" and name in PRESETS:
            self.load(PRESETS[name]())
            return
        if kind != "action":
            return
        actions: dict[str, Callable[[], object]] = {
            "diff-gateway": lambda: self.preview("gateway"),
            "diff-cluster": lambda: self.preview("cluster"),
            "dry-run": self.dry_run,
            "confirm": self.apply if self.pending == "gateway" else self.apply_to_cluster,
            "cancel": self._cancel,
        }
        action = actions.get(name)
        if action is None or (name == "confirm" and not self.pending):
            return
        try:
            action()
        except (AIGWError, ValueError) as exc:
            self.pending = ""
            self._say("bad", str(exc))

    def _edited(self) -> None:
        """The text changed: a diff shown before no longer describes it."""
        self.diff, self.pending, self.status = "", "", {}
        self.validate()

    def _cancel(self) -> None:
        self.diff, self.pending = "", ""
        self._say("", "not applied")

    def _unmasked(self, resource: Resource) -> Resource:
        if not isinstance(resource, Secret):
            return resource
        update: dict[str, dict[str, str]] = {}
        for field in ("data", "string_data"):
            values: dict[str, str] = getattr(resource, field) or {}
            if MASK in values.values():
                where = (resource.namespace, resource.name, field)
                update[field] = {
                    k: self._secrets.get((*where, k), v) if v == MASK else v
                    for k, v in values.items()
                }
        return resource.model_copy(update=update) if update else resource

    def _gateway(self) -> LocalGateway:
        if self.gateway is None:
            raise ValueError("gateway: this editor was made without a LocalGateway")
        return self.gateway

    def _cluster(self) -> Cluster:
        if self.cluster is None:
            raise ValueError("cluster: this editor was made without a Cluster")
        return self.cluster

    def _gateway_diff(self, bundle: Bundle) -> str:
        gateway = self._gateway()
        target = gateway.simulated(bundle) if self.simulate else bundle
        served = [parse_resource(r) for r in gateway.config().get("resources", [])]
        before = _masked_text(r for r in served if isinstance(r, Resource))
        after = _masked_text(target)
        lines = difflib.unified_diff(
            before.splitlines(), after.splitlines(), "served by the gateway", "editor", lineterm=""
        )
        return "\n".join(lines)

    def _to_cluster(self, *, dry_run: bool) -> ApplyReport:
        cluster = self._cluster()
        bundle = self._checked()
        report = cluster.apply(bundle, dry_run="server" if dry_run else False)
        first = str(report).splitlines()[0] if str(report) else "done"
        self.pending = ""
        self._say("ok", ("dry-run: " if dry_run else "applied to the cluster: ") + first)
        self.last_result = report
        return report

    def _checked(self) -> Bundle:
        issues = self.validate()
        if self.load_error is not None:
            raise ValueError(f"YAML: {self.load_error}")
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            raise ValueError(f"the bundle has {len(errors)} validation error(s); fix them first")
        return self.bundle()

    def _say(self, kind: str, text: str) -> None:
        self.status = {"kind": kind, "text": text}

    def _summary(self) -> str:
        label, _ = status_label(self.issues)
        return f"{self._count} object{'s' if self._count != 1 else ''}, {label}"


def _name(target: Target) -> str:
    return "cluster" if target == "cluster" else "local gateway"


def _masked_text(resources: Any) -> str:
    """Objects as YAML in a stable order (kind, namespace, name), Secret values masked."""
    ordered = sorted(resources, key=lambda r: (r.kind, r.namespace or "", r.name))
    return dump_documents(masked_dict(r) for r in ordered)


def _error_line(error: AIGWError) -> int | None:
    """The line a load error names (``<string>:LINE:COLUMN:`` or ``line N``), if any."""
    found = re.search(r":(\d+):\d+: |\bline (\d+)", str(error))
    return int(found.group(1) or found.group(2)) if found else None
