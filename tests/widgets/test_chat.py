"""ChatPlayground driven through its own methods against a local gateway + simulator."""

from __future__ import annotations

from aigw_sdk.client import GatewayClient, Message, NotFoundError
from aigw_sdk.widgets import ChatPlayground

EXPECTED = "Simulated reply to: Hello there."


def test_models_come_from_the_gateway(client: GatewayClient) -> None:
    chat = ChatPlayground(client)
    assert list(chat.model.options) == ["claude-sonnet-4-5"]
    assert chat.model.value == "claude-sonnet-4-5"
    assert repr(chat) == (
        "ChatPlayground(model='claude-sonnet-4-5', style='native', stream=True, turns=0)"
    )
    bundle = chat._repr_mimebundle_()
    assert bundle["text/plain"] == repr(chat)
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_streamed_native_answer_fills_transcript_and_stats(client: GatewayClient) -> None:
    chat = ChatPlayground(client, throttle=0.0)
    chat.prompt.value = "Hello there"
    result = chat.send()
    assert isinstance(result, Message)
    assert result.text.startswith(EXPECTED)
    assert EXPECTED in chat.transcript.value
    assert "▌" not in chat.transcript.value
    assert (
        "TTFT" in chat.stats.value
        and f"output {result.usage.output_tokens} tokens" in chat.stats.value
    )
    assert result.usage.output_tokens == 39
    assert chat.prompt.value == ""
    assert [m["role"] for m in chat.history] == ["user", "assistant"]
    assert chat.error.value == ""
    assert not chat.send_button.disabled


def test_openai_style_without_streaming_uses_system_prompt(client: GatewayClient) -> None:
    chat = ChatPlayground(client, system="Be brief", stream=False)
    chat.style.value = "openai"
    result = chat.send("Hello there")
    assert result is not None
    assert result.text.startswith("[system: Be brief] " + EXPECTED)
    assert "TTFT" not in chat.stats.value and "latency" in chat.stats.value


def test_max_tokens_is_sent(client: GatewayClient) -> None:
    chat = ChatPlayground(client, max_tokens=3)
    result = chat.send("Hello there")
    assert isinstance(result, Message)
    assert result.stop_reason == "max_tokens"
    assert result.usage.output_tokens == 3


def test_conversation_is_multi_turn_and_clearable(client: GatewayClient) -> None:
    chat = ChatPlayground(client)
    chat.send("first")
    chat.send("second")
    assert len(chat.history) == 4
    assert chat.transcript.value.count("<b>assistant</b>") == 2
    chat.clear()
    assert chat.history == [] and chat.transcript.value == ""


def test_background_send_updates_traits(client: GatewayClient) -> None:
    chat = ChatPlayground(client)
    chat.prompt.value = "Hello there"
    chat.send_in_background()
    chat.wait(30)
    assert EXPECTED in chat.transcript.value
    assert chat.last_result is not None


def test_errors_are_shown_and_nothing_is_kept(client: GatewayClient) -> None:
    chat = ChatPlayground(client, models=["claude-unknown"])
    assert chat.send("Hello") is None
    assert isinstance(chat.last_error, NotFoundError)
    assert "NotFoundError" in chat.error.value and "404" in chat.error.value
    assert "No matching route found" in chat.error.value
    assert chat.history == []


def test_empty_prompt_is_refused(client: GatewayClient) -> None:
    chat = ChatPlayground(client)
    assert chat.send("   ") is None
    assert "prompt" in chat.error.value
