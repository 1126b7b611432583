"""The client against the bundled gateway in front of the simulator (the notebooks' setup)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import aigw_sdk as aigw
from aigw_sdk.client import (
    AsyncGatewayClient,
    GatewayClient,
    NotFoundError,
    ServiceUnavailableError,
)
from aigw_sdk.local import LocalGateway

HELLO = [{"role": "user", "content": "Hello, Claude!"}]


@pytest.fixture(scope="module")
def client() -> Iterator[GatewayClient]:
    with LocalGateway(simulator=True) as gateway:
        gateway.apply(gateway.simulated(aigw.presets.anthropic(api_key="sk-ant-test")))
        assert gateway.url is not None
        with GatewayClient(gateway.url, admin_url=gateway.admin_url) as c:
            yield c


def test_both_styles_and_admin(client: GatewayClient) -> None:
    assert client.health().ok
    assert [m.id for m in client.list_models()] == ["claude-sonnet-4-5"]
    before = client.metrics()
    native = client.messages(model="claude-sonnet-4-5", max_tokens=100, messages=HELLO)
    chat = client.chat(model="claude-sonnet-4-5", messages=HELLO)
    assert native.text == chat.text
    assert native.usage == chat.usage
    after = client.metrics()
    assert after.requests() == before.requests() + 2
    assert (
        after.requests(**{"gen_ai.operation.name": "chat"})
        == before.requests(gen_ai_operation_name="chat") + 1
    )
    assert after.tokens("output") - before.tokens("output") == 2 * native.usage.output_tokens
    assert after.models == ["claude-sonnet-4-5"]


def test_unrouted_model_is_a_json_404(client: GatewayClient) -> None:
    with pytest.raises(NotFoundError) as info:
        client.chat(model="no-such-model", messages=HELLO)
    assert info.value.error_type == "invalid_request_error"
    assert info.value.message.startswith("No matching route found.")


def test_error_event_after_coalesced_events_keeps_earlier_events(client: GatewayClient) -> None:
    stream = client.messages(
        model="claude-sonnet-4-5",
        max_tokens=100,
        messages=HELLO,
        stream=True,
        extra_headers={"x-sim-fail-after-events": "4"},
    )
    seen: list[str] = []
    with pytest.raises(ServiceUnavailableError):
        for event in stream:
            seen.append(event.type)
    assert seen == ["message_start", "content_block_start", "ping", "content_block_delta"]


def test_streams_through_the_gateway_match(client: GatewayClient) -> None:
    native = client.messages(model="claude-sonnet-4-5", max_tokens=100, messages=HELLO, stream=True)
    chat = client.chat(model="claude-sonnet-4-5", messages=HELLO, stream=True)
    assert native.until_done().text == chat.until_done().text
    assert native.usage == chat.usage


@pytest.mark.anyio
async def test_async_client_reads_the_same_gateway(client: GatewayClient) -> None:
    async with AsyncGatewayClient(client.base_url, admin_url=client.admin_url) as aclient:
        health = await aclient.health()
        models = await aclient.list_models()
        before = await aclient.metrics()
        native = await aclient.messages(model="claude-sonnet-4-5", max_tokens=100, messages=HELLO)
        chat = await aclient.chat(model="claude-sonnet-4-5", messages=HELLO)
        after = await aclient.metrics()
    assert health.ok and health.status == 200
    assert models == client.list_models()
    assert after.requests() == before.requests() + 2
    assert native.text == chat.text
    assert native.timings is not None and native.timings.output_tokens == native.usage.output_tokens
    assert chat.timings is not None and chat.timings.output_tokens == chat.usage.output_tokens
