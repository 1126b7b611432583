"""BundleEditor: edit YAML (or start from a preset), see validation issues live, apply it.

Secret values of a bundle handed to the editor are shown as ``***`` (widget state is sent to
the browser and saved in the notebook) and put back when the YAML is parsed.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from aigw_sdk import presets
from aigw_sdk.bundle import Bundle, load_yaml
from aigw_sdk.errors import AIGWError
from aigw_sdk.models.base import Resource
from aigw_sdk.models.core import Secret
from aigw_sdk.serialization.yaml import dump_documents
from aigw_sdk.widgets._ipw import error_html, ipywidgets, mimebundle
from aigw_sdk.widgets.reprs import IssueList, issues_html, status_label
from aigw_sdk.widgets.summary import MASK, masked_dict

if TYPE_CHECKING:
    from aigw_sdk.apply import ApplyReport, Cluster
    from aigw_sdk.local import LocalGateway

PRESETS: dict[str, Callable[[], Bundle]] = {
    "anthropic": presets.anthropic,
    "openai": presets.openai,
}
_CUSTOM = "(custom)"
_SECRET_FIELDS = ("data", "string_data")
SecretKey = tuple[str | None, str, str, str]  # namespace, name, field, key


class BundleEditor:
    """A YAML editor with live validation; Apply sends it to a LocalGateway (through the
    simulator when the gateway runs one and ``simulate`` is on), and, given a ``cluster``,
    Dry-run / Apply do a server-side apply there."""

    def __init__(
        self,
        bundle: Bundle | str | None = None,
        *,
        gateway: LocalGateway | None = None,
        cluster: Cluster | None = None,
        simulate: bool | None = None,
    ) -> None:
        w = ipywidgets()
        self.gateway = gateway
        self.cluster = cluster
        self.simulate = (
            simulate if simulate is not None else bool(gateway and gateway.simulator_url)
        )
        self.issues: IssueList = IssueList()
        self.load_error: str | None = None
        self._count = 0
        self.last_result: object = None
        self._secrets: dict[SecretKey, str] = {}
        text = self._masked_yaml(bundle) if isinstance(bundle, Bundle) else (bundle or "")
        self.preset = w.Dropdown(options=[_CUSTOM, *PRESETS], value=_CUSTOM, description="preset")
        self.source = w.Textarea(
            value=text,
            continuous_update=False,
            layout=w.Layout(width="100%", height="320px"),
        ).add_class("aigw-editor-source")
        self.issues_view = w.HTML(value="").add_class("aigw-editor-issues")
        self.progress = w.IntProgress(value=0, min=0, max=3, description="", bar_style="")
        self.status = w.HTML(value="").add_class("aigw-editor-status")
        self.apply_button = w.Button(
            description="Apply to local gateway", button_style="primary", disabled=gateway is None
        )
        self.dry_run_button = w.Button(description="Dry-run on cluster", disabled=cluster is None)
        self.cluster_button = w.Button(
            description="Apply to cluster", button_style="warning", disabled=cluster is None
        )
        self.preset.observe(self._on_preset, names="value")
        self.source.observe(lambda _change: self.validate(), names="value")
        self.apply_button.on_click(lambda _button: self._guard(self.apply))
        self.dry_run_button.on_click(lambda _button: self._guard(self.dry_run))
        self.cluster_button.on_click(lambda _button: self._guard(self.apply_to_cluster))
        buttons = w.HBox([self.apply_button, self.dry_run_button, self.cluster_button])
        self.widget = w.VBox(
            [self.preset, self.source, self.issues_view, buttons, self.progress, self.status]
        ).add_class("aigw-editor")
        self.validate()

    # -- display --------------------------------------------------------------------------------
    def __repr__(self) -> str:
        if self.load_error is not None:
            return f"BundleEditor(invalid YAML: {self.load_error})"
        return f"BundleEditor({self._summary()})\n{self.issues!r}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return mimebundle(self.widget, repr(self), **kwargs)

    # -- actions --------------------------------------------------------------------------------
    def bundle(self) -> Bundle:
        """The bundle the YAML describes, masked Secret values restored (raises
        :class:`~aigw_sdk.errors.BundleLoadError`)."""
        if not self.source.value.strip():
            return Bundle()
        return Bundle(self._unmasked(r) for r in load_yaml(self.source.value))

    def validate(self) -> IssueList:
        """Parse and validate the YAML; the issues table follows."""
        try:
            bundle = self.bundle()
        except AIGWError as exc:
            self.load_error = str(exc)
            self.issues = IssueList()
            self.issues_view.value = error_html(exc)
            return self.issues
        self.load_error = None
        self._count = len(bundle)
        self.issues = IssueList(bundle.validate())
        _, color = status_label(self.issues)
        head = f"<div style='color:{color}'><b>{escape(self._summary())}</b></div>"
        self.issues_view.value = head + issues_html(self.issues)
        return self.issues

    def apply(self) -> dict[str, Any]:
        """Validate, then hot-apply to the local gateway; returns its answer."""
        if self.gateway is None:
            raise ValueError("gateway: this editor was made without a LocalGateway")
        gateway = self.gateway
        bundle = self._checked()
        target = gateway.simulated(bundle) if self.simulate else bundle
        self._step(2, "applying to the local gateway…")
        result = gateway.apply(target)
        self._done(f"applied: generation {result.get('generation')}")
        self.last_result = result
        return result

    def dry_run(self) -> ApplyReport:
        """Validate, then server-side dry-run on the cluster."""
        return self._to_cluster(dry_run=True)

    def apply_to_cluster(self) -> ApplyReport:
        """Validate, then server-side apply on the cluster."""
        return self._to_cluster(dry_run=False)

    # -- internals ------------------------------------------------------------------------------
    def _masked_yaml(self, bundle: Bundle) -> str:
        for resource in bundle:
            if isinstance(resource, Secret):
                for field in _SECRET_FIELDS:
                    for key, value in (getattr(resource, field) or {}).items():
                        self._secrets[(resource.namespace, resource.name, field, key)] = value
        return dump_documents(masked_dict(r) for r in bundle)

    def _unmasked(self, resource: Resource) -> Resource:
        if not isinstance(resource, Secret):
            return resource
        update: dict[str, dict[str, str]] = {}
        for field in _SECRET_FIELDS:
            values: dict[str, str] = getattr(resource, field) or {}
            if MASK in values.values():
                where = (resource.namespace, resource.name, field)
                update[field] = {
                    k: self._secrets.get((*where, k), v) if v == MASK else v
                    for k, v in values.items()
                }
        return resource.model_copy(update=update) if update else resource

    def _to_cluster(self, *, dry_run: bool) -> ApplyReport:
        if self.cluster is None:
            raise ValueError("cluster: this editor was made without a Cluster")
        bundle = self._checked()
        self._step(2, "dry-run on the cluster…" if dry_run else "applying to the cluster…")
        report = self.cluster.apply(bundle, dry_run="server" if dry_run else False)
        self._done(str(report).splitlines()[0] if str(report) else "done")
        self.last_result = report
        return report

    def _checked(self) -> Bundle:
        self._step(0, "validating…")
        issues = self.validate()
        if self.load_error is not None:
            raise ValueError(f"YAML: {self.load_error}")
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            raise ValueError(f"the bundle has {len(errors)} validation error(s); fix them first")
        self._step(1, "valid")
        return self.bundle()

    def _step(self, value: int, message: str) -> None:
        self.progress.bar_style = "info"
        self.progress.value = value
        self.status.value = escape(message)

    def _done(self, message: str) -> None:
        self.progress.value = self.progress.max
        self.progress.bar_style = "success"
        self.status.value = f"<span style='color:#1b7f3b'>&#10003; {escape(message)}</span>"

    def _guard(self, action: Callable[[], object]) -> None:
        try:
            action()
        except (AIGWError, ValueError) as exc:
            self.progress.bar_style = "danger"
            self.status.value = error_html(exc)

    def _on_preset(self, change: dict[str, Any]) -> None:
        factory = PRESETS.get(change["new"])
        if factory is not None:
            self.source.value = factory().to_yaml()

    def _summary(self) -> str:
        label, _ = status_label(self.issues)
        return f"{self._count} object{'s' if self._count != 1 else ''}, {label}"
