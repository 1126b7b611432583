"""ChatPlayground driven through its own methods and front-end messages, against a local
gateway + simulator (the browser side is in tests/notebooks/test_browser.py)."""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import httpx
import pytest

from aigw_sdk.client import ChatCompletion, GatewayClient, Message, NotFoundError
from aigw_sdk.widgets import ChatPlayground
from aigw_sdk.widgets._frontend import STATIC
from aigw_sdk.widgets.chat_wire import Image

EXPECTED = "Simulated reply to: Hello there."
WEATHER = {
    "name": "get_weather",
    "description": "Current weather of a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}
PIXEL = (  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)


def captured(chat: ChatPlayground) -> list[dict[str, Any]]:
    """The custom messages the widget sends to the browser."""
    sent: list[dict[str, Any]] = []
    chat.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    return sent


def test_models_come_from_the_gateway(client: GatewayClient) -> None:
    chat = ChatPlayground(client)
    assert chat.models == ["claude-sonnet-4-5"]
    assert chat.model == "claude-sonnet-4-5"
    assert (
        repr(chat)
        == "ChatPlayground(model='claude-sonnet-4-5', api='native', stream=True, answers=0)"
    )
    data, _ = chat._repr_mimebundle_()
    assert data["text/plain"] == repr(chat)
    assert "application/vnd.jupyter.widget-view+json" in data
    assert str(chat._esm) == (STATIC / "chat.js").read_text(encoding="utf-8")


def test_streamed_answer_travels_as_batched_deltas(client: GatewayClient) -> None:
    chat = ChatPlayground(client, throttle=0.0)
    sent = captured(chat)
    result = chat.ask("Hello there")
    assert isinstance(result, Message) and result.text.startswith(EXPECTED)
    user, answer = chat.turns
    assert user["role"] == "user" and user["text"] == "Hello there"
    assert answer["blocks"] == [{"type": "text", "text": result.text}]
    badge = answer["badge"]
    assert badge["model"] == "claude-sonnet-4-5" and badge["output_tokens"] == 39
    assert badge["ttft_ms"] is not None and badge["latency_ms"] >= badge["ttft_ms"]
    assert badge["stop_reason"] == "end_turn"
    assert sent[0] == {"type": "start", "id": answer["id"]}
    deltas = [m for m in sent if m["type"] == "delta"]
    assert "".join(p["text"] for m in deltas for p in m["parts"]) == result.text
    assert chat.messages_sent == len(sent)
    assert not chat.busy
    assert [m["role"] for m in chat.history] == ["user", "assistant"]


def test_throttle_batches_many_chunks_into_few_messages(client: GatewayClient) -> None:
    chat = ChatPlayground(
        client, throttle=10.0, extra_headers={"x-sim-reply-words": "300"}, max_tokens=4000
    )
    sent = captured(chat)
    result = chat.ask("Hello there")
    assert result is not None and result.usage.output_tokens > 300
    assert [m["type"] for m in sent] == ["start", "delta", "delta"]  # first chunk, then the rest


def test_openai_style_without_streaming_uses_system_prompt(client: GatewayClient) -> None:
    chat = ChatPlayground(client, system="Be brief", stream=False, api="openai")
    sent = captured(chat)
    result = chat.ask("Hello there")
    assert isinstance(result, ChatCompletion)
    assert result.text.startswith("[system: Be brief] " + EXPECTED)
    assert sent == []
    assert chat.turns[-1]["badge"]["ttft_ms"] is None
    assert "'role': 'system'" in chat.request_python and "openai.OpenAI" in chat.request_python
    namespace: dict[str, Any] = {}
    exec(compile(chat.request_python.replace("print(", "str("), "snippet", "exec"), namespace)
    assert namespace["completion"].choices[0].message.content == result.text
    assert "/v1/chat/completions" in chat.request_curl


def test_max_tokens_is_sent(client: GatewayClient) -> None:
    chat = ChatPlayground(client, max_tokens=3)
    result = chat.ask("Hello there")
    assert isinstance(result, Message)
    assert result.stop_reason == "max_tokens" and result.usage.output_tokens == 3


@pytest.mark.parametrize("api", ["native", "openai"])
def test_conversation_is_multi_turn_clearable_and_exported(client: GatewayClient, api: str) -> None:
    chat = ChatPlayground(client, api=api)
    chat.ask("first")
    chat.ask("second")
    assert len(chat.history) == 4
    assert [t["role"] for t in chat.export()] == ["user", "assistant"] * 2
    assert json.loads(json.dumps(chat.export())) == chat.turns
    chat.clear()
    assert chat.history == [] and chat.turns == []


@pytest.mark.parametrize("api", ["native", "openai"])
def test_tool_call_is_shown_answered_and_continued(client: GatewayClient, api: str) -> None:
    calls: list[dict[str, Any]] = []

    def weather(arguments: dict[str, Any]) -> dict[str, Any]:
        calls.append(arguments)
        return {"city": arguments.get("city"), "sky": "sunny"}

    chat = ChatPlayground(client, api=api, tools=[WEATHER], tool_handlers={"get_weather": weather})
    result = chat.ask("What is the weather? Use get_weather")
    assert result is not None and len(calls) == 1
    _question, call_turn, final = chat.turns
    tool = next(b for b in call_turn["blocks"] if b["type"] == "tool_use")
    assert tool["name"] == "get_weather" and isinstance(tool["input"], dict)
    assert json.loads(tool["result"])["sky"] == "sunny" and tool["is_error"] is False
    assert final["blocks"][0]["text"].startswith("Simulated reply to tool result:")


def test_tool_call_without_handler_is_shown_and_stops(client: GatewayClient) -> None:
    chat = ChatPlayground(client, tools=[WEATHER])
    result = chat.ask("Use get_weather for Paris")
    assert isinstance(result, Message) and result.stop_reason == "tool_use"
    assert [b["type"] for b in chat.turns[-1]["blocks"]][-1] == "tool_use"
    assert "result" not in chat.turns[-1]["blocks"][-1]


def test_failing_tool_goes_back_as_an_error(client: GatewayClient) -> None:
    def broken(_arguments: dict[str, Any]) -> str:
        raise RuntimeError("station offline")

    chat = ChatPlayground(client, tools=[WEATHER], tool_handlers={"get_weather": broken})
    chat.ask("get_weather please")
    tool = next(b for b in chat.turns[1]["blocks"] if b["type"] == "tool_use")
    assert tool["is_error"] is True and "station offline" in tool["result"]


@pytest.mark.parametrize("api", ["native", "openai"])
def test_images_are_sent_and_shown(client: GatewayClient, api: str) -> None:
    chat = ChatPlayground(client, api=api)
    assert chat.ask("What is this?", [Image("image/png", PIXEL)]) is not None
    assert chat.turns[0]["images"] == [{"media_type": "image/png", "data": PIXEL}]
    assert PIXEL in chat.request_curl


def test_thinking_is_a_block_of_its_own(client: GatewayClient) -> None:
    thinking = {"thinking": {"type": "enabled", "budget_tokens": 1024}}
    chat = ChatPlayground(client, max_tokens=3000, extra_body=thinking)
    chat.ask("Think first")
    kinds = [b["type"] for b in chat.turns[-1]["blocks"]]
    assert kinds == ["thinking", "text"]
    assert chat.turns[-1]["blocks"][0]["text"].startswith("Thinking about: Think first")
    assert "'thinking'" in chat.request_python and '"thinking"' in chat.request_curl
    chat.ask("And again")  # the signed thinking block goes back in the history
    assert chat.last_error is None


def test_errors_show_the_api_message_and_hint(client: GatewayClient) -> None:
    chat = ChatPlayground(client, models=["claude-unknown"])
    assert chat.ask("Hello") is None
    assert isinstance(chat.last_error, NotFoundError)
    error = chat.turns[-1]["error"]
    assert error["title"] == "NotFoundError (404)"
    assert "No matching route found" in error["message"] and error["hint"]
    assert chat.history == []


def test_empty_prompt_is_refused(client: GatewayClient) -> None:
    chat = ChatPlayground(client)
    assert chat.ask("   ") is None
    assert "type a message" in chat.notice and chat.turns == []


def test_front_end_send_and_stop_cancel_the_upstream_request(
    client: GatewayClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gateway.access")
    chat = ChatPlayground(
        client,
        extra_headers={"x-sim-reply-words": "2000", "x-sim-chunk-delay-ms": "20"},
        max_tokens=8000,
    )
    sent = captured(chat)
    chat._on_front_end(chat, {"type": "send", "text": "Hello there", "images": []}, None)
    deadline = time.monotonic() + 20
    while not any(m["type"] == "delta" for m in sent) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert chat.busy
    chat._on_front_end(chat, {"type": "stop"}, None)
    chat.wait(10)
    assert not chat.busy
    answer = chat.turns[-1]
    assert answer["stopped"] is True and answer["blocks"][0]["text"].startswith("Simulated")
    assert len(answer["blocks"][0]["text"].split()) < 1500
    assert chat.last_result is None
    # the whole answer takes > 13 s (2,000 words, 20 ms per event); the gateway's access log
    # entry shows the request ended right after Stop, upstream included
    while not caplog.records and time.monotonic() < deadline:
        time.sleep(0.05)
    (entry,) = [json.loads(r.getMessage()) for r in caplog.records]
    assert entry["stream"] is True and entry["duration"] < 8000  # ms, as upstream


def test_copy_as_curl_reproduces_the_request(client: GatewayClient) -> None:
    chat = ChatPlayground(client, stream=False, system="Be brief")
    chat.ask("Hello there")
    assert chat.request_curl.startswith("curl -sS ")
    body = json.loads(chat.request_curl.split("-d '", 1)[1].rsplit("'", 1)[0])
    response = httpx.post(
        client.base_url + "/anthropic/v1/messages",
        json=body,
        headers={"anthropic-version": "2023-06-01"},
    )
    assert response.json()["content"][0]["text"].startswith("[system: Be brief]")
    namespace: dict[str, Any] = {}
    exec(compile(chat.request_python.replace("print(", "str("), "snippet", "exec"), namespace)
    assert namespace["message"].content[0].text.startswith("[system: Be brief]")


def test_background_ask_from_another_thread(client: GatewayClient) -> None:
    chat = ChatPlayground(client)
    thread = chat.ask_in_background("Hello there")
    assert isinstance(thread, threading.Thread)
    chat.wait(30)
    assert chat.turns[-1]["blocks"][0]["text"].startswith(EXPECTED)
