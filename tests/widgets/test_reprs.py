"""HTML and text reprs: validation status, masking, stream_to_display summaries."""

from __future__ import annotations

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.local import LocalGateway
from aigw_sdk.validation.issues import ValidationIssue
from aigw_sdk.widgets import IssueList, bundle_html, issues_html, resource_html, view
from aigw_sdk.widgets.display import stream_to_display

SECRET = "sk-ant-very-secret-value"


def test_bundle_html_has_status_per_object_and_masks_secrets() -> None:
    bundle = aigw.presets.anthropic(api_key=SECRET)
    html = bundle_html(bundle)
    assert bundle._repr_html_() == html
    assert html.count("<tr>") == 1 + len(bundle)
    assert "valid" in html and SECRET not in html
    placeholder = bundle_html(aigw.presets.anthropic())
    assert "1 warning" in placeholder and "placeholder" in placeholder


def test_resource_views_mask_secrets() -> None:
    secret = aigw.presets.anthropic(api_key=SECRET)[-1]
    assert SECRET not in resource_html(secret)
    assert "apiKey: &#x27;***&#x27;" in resource_html(secret)
    assert (
        repr(view(secret)) == "Secret default/envoy-ai-gateway-basic-anthropic-apikey: apiKey=***"
    )
    route = aigw.presets.with_model(aigw.presets.anthropic(), "claude-opus-4")[0]
    assert repr(view(route)).endswith(
        "claude-sonnet-4-5 -> envoy-ai-gateway-basic-anthropic; "
        "claude-opus-4 -> envoy-ai-gateway-basic-anthropic"
    )


def test_issue_lists() -> None:
    issue = ValidationIssue(
        "error", "AIGatewayRoute", "r", "default", "spec.rules", "Required value"
    )
    issues = IssueList([issue])
    assert repr(issues) == (
        "1 issue(s), 1 error(s):\n  error: AIGatewayRoute 'default/r': spec.rules: Required value"
    )
    assert "spec.rules" in issues._repr_html_() and "Required value" in issues_html(issues)
    assert repr(IssueList()) == "no validation issues"
    assert repr(view([issue])) == repr(issues)


def test_stream_to_display_returns_a_deterministic_summary(client: GatewayClient) -> None:
    stream = client.messages(
        model="claude-sonnet-4-5",
        max_tokens=100,
        stream=True,
        messages=[{"role": "user", "content": "Hello there"}],
    )
    summary = stream_to_display(stream)
    assert summary.text == stream.final.text
    assert repr(summary) == f"{stream.final.text}\n[input=3 output=39 stop_reason=end_turn]"
    assert summary.timings.ttft is not None


def test_stream_to_display_shows_a_responses_stream(
    gateway: LocalGateway, client: GatewayClient
) -> None:
    both = aigw.presets.anthropic(api_key="sk-ant-test") + aigw.presets.openai(api_key="sk-test")
    gateway.apply(gateway.simulated(both))  # the Anthropic models stay routed
    stream = client.responses(model="gpt-4o-mini", input="Hello there", stream=True)
    summary = stream_to_display(stream)
    assert summary.text == stream.final.text and "Hello there" in summary.text
    assert repr(summary).endswith(
        f"output={stream.final.usage.output_tokens} stop_reason=completed]"
    )
