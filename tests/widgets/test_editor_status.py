"""BundleEditor and StatusPanel against a local gateway + simulator, driven through their
methods and the messages their front ends send."""

from __future__ import annotations

import time

import pytest

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.local import LocalGateway
from aigw_sdk.widgets import BundleEditor, StatusPanel
from aigw_sdk.widgets.status import DURATION, interval_point, quantile

SECRET = "sk-ant-editor-secret"


def press(editor: BundleEditor, name: str) -> None:
    editor._on_front_end(editor, {"type": "action", "name": name}, None)


def test_editor_validates_live_and_marks_lines(gateway: LocalGateway) -> None:
    editor = BundleEditor(aigw.presets.anthropic(), gateway=gateway)
    assert [i.severity for i in editor.issues] == ["warning"]
    assert repr(editor).startswith("BundleEditor(6 objects, 1 warning)")
    assert editor.summary == "6 objects, 1 warning"
    (mark,) = editor.marks
    lines = editor.source.splitlines()
    assert "placeholder" in mark["message"] and mark["line"] is not None
    assert "apiKey" in lines[mark["line"] - 1]
    broken = editor.source.replace("type: Exact", "type: Fuzzy", 1)
    editor.source = broken
    error = next(m for m in editor.marks if m["path"].endswith(".type"))
    assert error["severity"] == "error" and "Fuzzy" in broken.splitlines()[error["line"] - 1]
    whole = next(m for m in editor.marks if m["path"] == "")  # the object: its first line
    assert broken.splitlines()[whole["line"] - 1].startswith("apiVersion:")
    editor.source = "kind: [unclosed"
    assert editor.load_error is not None and repr(editor).startswith("BundleEditor(invalid YAML")
    assert editor.marks[0]["severity"] == "error" and editor.marks[0]["line"] in (1, 2)
    editor._on_front_end(editor, {"type": "preset", "name": "openai"}, None)
    assert editor.load_error is None and "gpt-4o-mini" in editor.source


def test_editor_previews_the_diff_then_applies(
    gateway: LocalGateway, client: GatewayClient
) -> None:
    bundle = aigw.presets.with_model(aigw.presets.anthropic(api_key="sk-ant-x"), "claude-opus-4")
    editor = BundleEditor(bundle, gateway=gateway)
    assert editor.simulate and editor.targets == {"gateway": True, "cluster": False}
    before = gateway.config()["generation"]
    press(editor, "diff-gateway")
    assert editor.pending == "gateway"
    assert "+              value: claude-opus-4" in editor.diff
    assert "sk-ant-x" not in editor.diff
    assert gateway.config()["generation"] == before  # nothing applied yet
    press(editor, "confirm")
    assert editor.status["kind"] == "ok" and f"generation {before + 1}" in editor.status["text"]
    assert editor.pending == ""
    assert [m.id for m in client.list_models()] == ["claude-sonnet-4-5", "claude-opus-4"]
    press(editor, "diff-gateway")
    assert editor.diff == "(no changes)"
    press(editor, "cancel")
    assert editor.diff == "" and editor.pending == ""
    press(editor, "diff-gateway")
    editor.source = editor.source.replace("claude-opus-4", "claude-haiku-4-5")
    assert editor.diff == "" and editor.pending == ""  # the preview no longer matched the text
    generation = gateway.config()["generation"]
    press(editor, "confirm")
    assert gateway.config()["generation"] == generation
    gateway.apply(gateway.simulated(aigw.presets.anthropic(api_key="sk-ant-x")))


def test_editor_refuses_invalid_bundles(gateway: LocalGateway) -> None:
    text = aigw.presets.anthropic().to_yaml().replace("type: Exact", "type: Fuzzy", 1)
    editor = BundleEditor(text, gateway=gateway)
    assert any(i.severity == "error" for i in editor.issues)
    before = gateway.config()["generation"]
    press(editor, "diff-gateway")
    assert editor.status["kind"] == "bad" and "validation error" in editor.status["text"]
    assert editor.pending == ""
    press(editor, "confirm")
    with pytest.raises(ValueError, match="validation error"):
        editor.apply()
    assert gateway.config()["generation"] == before


def test_editor_without_targets() -> None:
    editor = BundleEditor(aigw.presets.anthropic())
    assert editor.targets == {"gateway": False, "cluster": False}
    press(editor, "diff-cluster")
    assert editor.status == {
        "kind": "bad",
        "text": "cluster: this editor was made without a Cluster",
    }


def test_editor_masks_secret_values_of_a_bundle_and_restores_them(gateway: LocalGateway) -> None:
    editor = BundleEditor(aigw.presets.anthropic(api_key=SECRET), gateway=gateway)
    assert SECRET not in editor.source and "apiKey: '***'" in editor.source
    assert editor.issues == []  # the placeholder warning is gone: the real value is back
    (secret,) = editor.bundle().of_kind(aigw.Secret)
    assert secret.value("apiKey") == SECRET
    editor.source = editor.source.replace("claude-sonnet-4-5", "claude-edited")
    (secret,) = editor.bundle().of_kind(aigw.Secret)
    assert secret.value("apiKey") == SECRET
    assert SECRET not in repr(editor) + str(editor.marks) + str(editor.get_state())
    editor.source = editor.source.replace("'***'", "sk-ant-typed")
    (secret,) = editor.bundle().of_kind(aigw.Secret)
    assert secret.value("apiKey") == "sk-ant-typed"


@pytest.mark.parametrize(
    "text",
    [
        # YAML text, as a user pastes it: comments and layout are kept, the value is masked
        "# mine\napiVersion: v1\nkind: Secret\nmetadata:\n  name: k\n  namespace: default\n"
        f"type: Opaque\nstringData:\n  apiKey: {SECRET}  # the key\n",
        # flow style and base64 data
        "apiVersion: v1\nkind: Secret\nmetadata: {name: k, namespace: default}\n"
        f"data: {{apiKey: {SECRET}}}\n",
        # text that is not even YAML
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: k\nstringData:\n  apiKey: {SECRET}\n"
        "  other: [unclosed\n",
    ],
    ids=["block", "flow", "broken"],
)
def test_editor_masks_secrets_in_any_text(text: str) -> None:
    editor = BundleEditor(text)
    assert SECRET not in editor.source
    assert SECRET not in str(editor.get_state()) + repr(editor) + str(editor.marks)
    (secret,) = editor.bundle().of_kind(aigw.Secret)
    values = str(secret.data) + str(secret.string_data)
    if "unclosed" in text:  # not YAML: masked line by line, nothing to put back
        assert "apiKey: '***'" in editor.source and SECRET not in values
    else:  # layout and comments kept, the value put back on parsing
        assert ("# the key" in editor.source) != ("{" in editor.source)
        assert SECRET in values


def test_status_board_reads_health_routes_and_counters(
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
    assert snapshot.metrics is not None and snapshot.metrics.requests() == before + 1
    assert panel.health == {"ok": True, "label": "healthy"}
    (route,) = panel.routes
    assert route["model"] == "claude-sonnet-4-5" and route["requests"] == before + 1
    assert route["health"] == "idle"  # no traffic since the first reading
    assert repr(panel).startswith("health: ok\nroutes:\n  claude-sonnet-4-5 -> ")
    assert panel.points == [] and not panel.polling


def test_status_board_polls_while_viewed_and_stops(
    gateway: LocalGateway, client: GatewayClient
) -> None:
    panel = StatusPanel(gateway, interval=0.25)
    panel._on_front_end(panel, {"type": "view", "open": True}, None)
    assert panel.polling
    for _ in range(3):
        client.messages(
            model="claude-sonnet-4-5", max_tokens=20, messages=[{"role": "user", "content": "x"}]
        )
    deadline = time.monotonic() + 10
    while sum(p["rps"] for p in panel.points) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    busy = next(p for p in panel.points if p["rps"] > 0)
    assert busy["p50_ms"] is not None and busy["p95_ms"] >= busy["p50_ms"]
    assert busy["tokens"]["claude-sonnet-4-5"]["out"] > 0
    panel.paused = True
    time.sleep(0.1)
    assert not panel.polling
    count = len(panel.points)
    time.sleep(0.6)
    assert len(panel.points) == count
    panel.paused = False
    assert panel.polling
    panel._on_front_end(panel, {"type": "view", "open": False}, None)
    time.sleep(0.1)
    assert not panel.polling
    panel._on_front_end(panel, {"type": "view", "open": True}, None)
    assert panel.polling
    panel.close()
    time.sleep(0.1)
    assert not panel.polling


def test_histogram_quantiles_over_an_interval() -> None:
    from aigw_sdk.client.metrics import GatewayMetrics

    def reading(counts: list[int]) -> GatewayMetrics:
        bounds = ["0.1", "0.5", "1", "+Inf"]
        lines = [f'{DURATION}{{le="{b}"}} {c}' for b, c in zip(bounds, counts, strict=True)]
        lines.append(f"gen_ai_server_request_duration_seconds_count {counts[-1]}")
        return GatewayMetrics.parse("\n".join(lines))

    before, after = reading([0, 0, 0, 0]), reading([50, 90, 100, 100])
    assert quantile(after, DURATION, 0.5) == 0.1
    assert quantile(after, DURATION, 0.95) == pytest.approx(0.75)
    point = interval_point(before, after, 2.0)
    assert point["rps"] == 50 and point["eps"] == 0 and point["p50_ms"] == 100.0
    assert interval_point(after, after, 2.0)["p50_ms"] is None


def test_status_board_reports_an_unreachable_gateway() -> None:
    with GatewayClient("http://127.0.0.1:9", admin_url="http://127.0.0.1:9", timeout=2.0) as client:
        panel = StatusPanel(client=client, bundle=aigw.presets.anthropic())
    assert panel.snapshot is not None and not panel.snapshot.healthy
    assert panel.health == {"ok": False, "label": "unreachable"}
    assert panel.error.startswith("metrics: ") and len(panel.snapshot.routes) == 1


def test_status_board_tells_unhealthy_from_unreachable(gateway: LocalGateway) -> None:
    assert gateway.url is not None
    # The data-plane port answers /health with a 404: reachable, but not a healthy admin port.
    with GatewayClient(gateway.url, admin_url=gateway.url) as client:
        panel = StatusPanel(client=client, bundle=aigw.presets.anthropic())
    assert panel.snapshot is not None and not panel.snapshot.healthy
    assert panel.health["label"] == "unhealthy (404)"
