"""The official anthropic and openai SDKs against gateway + simulator over loopback HTTP."""

from __future__ import annotations

import anthropic
import httpx
import pytest

from tests.gateway.gw_helpers import Stack, provider, route, rule
from tests.gateway.gw_helpers import sdk_anthropic as _anthropic
from tests.gateway.gw_helpers import sdk_openai as _openai

# The seed's model id is on the anthropic SDK's deprecation list; it is what the walkthrough uses.
pytestmark = pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")


def _serve_both(stack: Stack) -> Stack:
    return stack.serve(
        provider("claude", "Anthropic", stack.sim_port),
        provider("gpt", "OpenAI", stack.sim_port),
        route("models", [rule("claude-sonnet-4-5", ["claude"]), rule("gpt-4o-mini", ["gpt"])]),
    )


def test_anthropic_sdk_native_message(stack: Stack) -> None:
    client = _anthropic(_serve_both(stack))
    message = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=64,
        messages=[{"role": "user", "content": "hi gateway"}],
    )
    assert message.content[0].type == "text"
    assert "hi gateway" in message.content[0].text
    assert message.usage.output_tokens > 0
    # The client's key was replaced by the bundle's credential (the simulator checks it).
    last = stack.sim_stats()["last_request"]
    assert last["path"] == "/v1/messages"
    assert "authorization" not in last["headers"]
    assert last["headers"]["x-api-key"] == "[redacted]"


def test_anthropic_sdk_native_stream(stack: Stack) -> None:
    client = _anthropic(_serve_both(stack))
    with client.messages.stream(
        model="claude-sonnet-4-5",
        max_tokens=64,
        messages=[{"role": "user", "content": "stream me"}],
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert "stream me" in text
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens > 0


def test_anthropic_sdk_count_tokens(stack: Stack) -> None:
    client = _anthropic(_serve_both(stack))
    counted = client.messages.count_tokens(
        model="claude-sonnet-4-5", messages=[{"role": "user", "content": "count these words"}]
    )
    assert counted.input_tokens > 0
    assert stack.sim_stats()["last_request"]["path"] == "/v1/messages/count_tokens"


def test_openai_sdk_passthrough(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    completion = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hello openai"}]
    )
    assert "hello openai" in (completion.choices[0].message.content or "")
    assert completion.usage is not None and completion.usage.completion_tokens > 0
    last = stack.sim_stats()["last_request"]
    assert last["path"] == "/v1/chat/completions"
    assert last["headers"]["authorization"] == "[redacted]"


def test_openai_sdk_passthrough_stream(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    chunks = list(
        client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": "stream openai"}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "stream openai" in text
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0


def test_openai_sdk_to_anthropic_backend(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    completion = client.chat.completions.create(
        model="claude-sonnet-4-5", messages=[{"role": "user", "content": "translate me"}]
    )
    assert "translate me" in (completion.choices[0].message.content or "")
    assert completion.choices[0].finish_reason == "stop"
    assert stack.sim_stats()["last_request"]["path"] == "/v1/messages"


def test_openai_sdk_to_anthropic_backend_stream(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    chunks = list(
        client.chat.completions.create(
            model="claude-sonnet-4-5",
            messages=[{"role": "user", "content": "translated stream"}],
            stream=True,
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "translated stream" in text
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"


def test_anthropic_sdk_to_openai_backend(stack: Stack) -> None:
    client = _anthropic(_serve_both(stack))
    message = client.messages.create(
        model="gpt-4o-mini", max_tokens=64, messages=[{"role": "user", "content": "reverse"}]
    )
    assert message.content[0].type == "text" and "reverse" in message.content[0].text
    assert stack.sim_stats()["last_request"]["path"] == "/v1/chat/completions"
    with client.messages.stream(
        model="gpt-4o-mini", max_tokens=64, messages=[{"role": "user", "content": "reverse stream"}]
    ) as stream:
        assert "reverse stream" in "".join(stream.text_stream)


def test_count_tokens_on_openai_backend_is_a_clear_4xx(stack: Stack) -> None:
    client = _anthropic(_serve_both(stack))
    with pytest.raises(anthropic.BadRequestError) as info:
        client.messages.count_tokens(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}]
        )
    assert "count_tokens is not supported by the OpenAI-schema backend" in str(info.value)
    assert stack.sim_stats()["total"] == 0


def test_models_endpoints_list_exact_model_matches(stack: Stack) -> None:
    _serve_both(stack)
    models = [m.id for m in _openai(stack).models.list()]
    assert models == ["claude-sonnet-4-5", "gpt-4o-mini"]
    body = httpx.get(f"{stack.url}/anthropic/v1/models").json()
    assert [m["id"] for m in body["data"]] == models
    assert body["first_id"] == "claude-sonnet-4-5" and body["has_more"] is False
