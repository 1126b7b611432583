"""AsyncGatewayClient over loopback: same results as the sync client."""

from __future__ import annotations

import pytest

from aigw_sdk.client import (
    AsyncGatewayClient,
    BadRequestError,
    GatewayClient,
    MessageEvent,
    RateLimitError,
)

HELLO = [{"role": "user", "content": "Tell me a short story."}]
MODEL = "claude-sonnet-4-5"


@pytest.mark.anyio
async def test_async_message_and_stream(sim_url: str) -> None:
    async with AsyncGatewayClient(sim_url) as client:
        plain = await client.messages(model=MODEL, max_tokens=100, messages=HELLO)
        stream = await client.messages(model=MODEL, max_tokens=100, messages=HELLO, stream=True)
        texts = [event.text async for event in stream if isinstance(event, MessageEvent)]
    assert "".join(texts) == plain.text == stream.final.text
    assert stream.usage == plain.usage
    assert stream.timings.ttft is not None


@pytest.mark.anyio
async def test_async_chat_stream_matches_sync(sim_url: str) -> None:
    with GatewayClient(sim_url) as sync_client:
        expected = sync_client.chat(model=MODEL, messages=HELLO)
    async with AsyncGatewayClient(sim_url) as client:
        stream = await client.chat(model=MODEL, messages=HELLO, stream=True)
        async with stream:
            final = await stream.until_done()
    assert final.text == expected.text
    assert final.usage == expected.usage


@pytest.mark.anyio
async def test_async_errors_are_typed(sim_url: str) -> None:
    async with AsyncGatewayClient(sim_url) as client:
        with pytest.raises(BadRequestError, match="max_tokens"):
            await client.messages(model=MODEL, max_tokens=None, messages=HELLO)
        with pytest.raises(RateLimitError) as info:
            await client.chat(
                model=MODEL, messages=HELLO, stream=True, extra_headers={"x-sim-status": "429"}
            )
    assert info.value.retry_after == 1


@pytest.mark.anyio
async def test_async_official_clients(sim_url: str) -> None:
    async with AsyncGatewayClient(sim_url) as client:
        official = client.openai_client()
        completion = await official.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "Tell me a short story."}]
        )
        await official.close()
        ours = await client.chat(model=MODEL, messages=HELLO)
    assert completion.choices[0].message.content == ours.text
