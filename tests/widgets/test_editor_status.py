"""BundleEditor and StatusPanel against a local gateway + simulator."""

from __future__ import annotations

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.local import LocalGateway
from aigw_sdk.widgets import BundleEditor, StatusPanel


def test_editor_validates_live(gateway: LocalGateway) -> None:
    editor = BundleEditor(aigw.presets.anthropic(), gateway=gateway)
    assert [i.severity for i in editor.issues] == ["warning"]
    assert repr(editor).startswith("BundleEditor(6 objects, 1 warning)")
    assert "placeholder" in editor.issues_view.value
    editor.source.value = "kind: [unclosed"
    assert editor.load_error is not None
    assert repr(editor).startswith("BundleEditor(invalid YAML")
    assert "BundleLoadError" in editor.issues_view.value
    editor.preset.value = "openai"
    assert editor.load_error is None
    assert "gpt-4o-mini" in editor.source.value


def test_editor_applies_with_progress(gateway: LocalGateway, client: GatewayClient) -> None:
    bundle = aigw.presets.with_model(aigw.presets.anthropic(api_key="sk-ant-x"), "claude-opus-4")
    editor = BundleEditor(bundle, gateway=gateway)
    assert editor.simulate
    before = gateway.config()["generation"]
    editor.apply_button.click()
    assert editor.progress.value == editor.progress.max
    assert editor.progress.bar_style == "success"
    assert f"generation {before + 1}" in editor.status.value
    assert [m.id for m in client.list_models()] == ["claude-sonnet-4-5", "claude-opus-4"]
    gateway.apply(gateway.simulated(aigw.presets.anthropic(api_key="sk-ant-x")))


def test_editor_refuses_invalid_bundles(gateway: LocalGateway) -> None:
    text = aigw.presets.anthropic().to_yaml().replace("type: Exact", "type: Fuzzy", 1)
    editor = BundleEditor(text, gateway=gateway)
    assert any(i.severity == "error" for i in editor.issues)
    before = gateway.config()["generation"]
    editor.apply_button.click()
    assert editor.progress.bar_style == "danger"
    assert "validation error" in editor.status.value
    assert gateway.config()["generation"] == before


def test_editor_without_targets_disables_buttons() -> None:
    editor = BundleEditor(aigw.presets.anthropic())
    assert editor.apply_button.disabled and editor.dry_run_button.disabled


def test_status_panel_reads_health_routes_and_counters(
    gateway: LocalGateway, client: GatewayClient
) -> None:
    before = client.metrics().requests()
    client.messages(
        model="claude-sonnet-4-5", max_tokens=20, messages=[{"role": "user", "content": "hi"}]
    )
    panel = StatusPanel(gateway)
    snapshot = panel.snapshot
    assert snapshot is not None and snapshot.healthy
    assert [(r.model, r.backends) for r in snapshot.routes] == [
        ("claude-sonnet-4-5", ("envoy-ai-gateway-basic-anthropic",))
    ]
    assert snapshot.metrics is not None
    assert snapshot.metrics.requests() == before + 1
    assert "healthy" in panel.health.value
    assert "claude-sonnet-4-5" in panel.routes.value and "requests" in panel.counters.value
    assert repr(panel).startswith("health: ok\nroutes:\n  claude-sonnet-4-5 -> ")


def test_status_panel_reports_an_unreachable_gateway() -> None:
    with GatewayClient("http://127.0.0.1:9", admin_url="http://127.0.0.1:9", timeout=2.0) as client:
        panel = StatusPanel(client=client, bundle=aigw.presets.anthropic())
    assert panel.snapshot is not None and not panel.snapshot.healthy
    assert "unreachable" in panel.health.value
    assert "GatewayConnectionError" in panel.counters.value
    assert len(panel.snapshot.routes) == 1


def test_editor_masks_secret_values_and_restores_them(gateway: LocalGateway) -> None:
    secret_value = "sk-ant-editor-secret"
    editor = BundleEditor(aigw.presets.anthropic(api_key=secret_value), gateway=gateway)
    assert secret_value not in editor.source.value
    assert "apiKey: '***'" in editor.source.value
    assert editor.issues == []  # the placeholder warning is gone: the real value is back
    (secret,) = editor.bundle().of_kind(aigw.Secret)
    assert secret.value("apiKey") == secret_value
    editor.source.value = editor.source.value.replace("claude-sonnet-4-5", "claude-edited")
    (secret,) = editor.bundle().of_kind(aigw.Secret)
    assert secret.value("apiKey") == secret_value
    assert secret_value not in repr(editor) + editor.issues_view.value
    editor.source.value = editor.source.value.replace("'***'", "sk-ant-typed")
    (secret,) = editor.bundle().of_kind(aigw.Secret)
    assert secret.value("apiKey") == "sk-ant-typed"


def test_status_panel_tells_unhealthy_from_unreachable(gateway: LocalGateway) -> None:
    assert gateway.url is not None
    # The data-plane port answers /health with a 404: reachable, but not a healthy admin port.
    with GatewayClient(gateway.url, admin_url=gateway.url) as client:
        panel = StatusPanel(client=client, bundle=aigw.presets.anthropic())
    assert panel.snapshot is not None and not panel.snapshot.healthy
    assert "unhealthy (404)" in panel.health.value
