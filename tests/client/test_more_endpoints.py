"""Client helpers for embeddings, the Responses API (plain and streamed) and rerank."""

from __future__ import annotations

import pytest

from aigw_sdk.client import (
    AsyncGatewayClient,
    BadRequestError,
    GatewayClient,
    InternalServerError,
    ResponseEvent,
)

GPT = "gpt-4o-mini"


def test_embeddings(sim_url: str) -> None:
    with GatewayClient(sim_url) as client:
        result = client.embeddings(model="text-embedding-3-small", input=["a", "bb"], dimensions=8)
    assert len(result.vectors) == 2 and result.dimensions == 8
    assert result.usage.input_tokens == 2 and result.usage.output_tokens == 0
    assert sum(v * v for v in result.vectors[0]) == pytest.approx(1.0)


def test_embeddings_errors_are_typed(sim_url: str) -> None:
    with GatewayClient(sim_url) as client, pytest.raises(BadRequestError, match="input"):
        client.embeddings(model="text-embedding-3-small", input=[])


def test_responses_plain_and_streamed_agree(sim_url: str) -> None:
    with GatewayClient(sim_url) as client:
        plain = client.responses(model=GPT, input="tell me")
        stream = client.responses(model=GPT, input="tell me", stream=True)
        with stream:
            events = list(stream)
        final = stream.final
    assert plain.status == "completed" and "tell me" in plain.text
    assert all(isinstance(e, ResponseEvent) for e in events)
    assert "".join(e.text for e in events) == final.text == plain.text
    assert final.usage == plain.usage and final.usage.output_tokens > 0
    assert final.timings is not None and final.timings.ttft is not None


def test_response_stream_error_is_raised_after_the_events_before_it(sim_url: str) -> None:
    with GatewayClient(sim_url) as client:
        stream = client.responses(
            model=GPT,
            input="x",
            stream=True,
            extra_headers={"x-sim-fail-after-events": "5", "x-sim-fail-mode": "error"},
        )
        seen: list[str] = []
        with pytest.raises(InternalServerError), stream:
            for event in stream:
                seen.append(event.type)
    assert seen[0] == "response.created" and len(seen) == 5


def test_rerank(sim_url: str) -> None:
    with GatewayClient(sim_url) as client:
        result = client.rerank(
            model="rerank-v3.5", query="blue sky", documents=["red", "blue sky", "sky"], top_n=2
        )
    assert [r.index for r in result.results] == [1, 2]
    assert result.results[0].relevance_score > result.results[1].relevance_score
    assert result.usage.input_tokens > 0


@pytest.mark.anyio
async def test_async_client(sim_url: str) -> None:
    async with AsyncGatewayClient(sim_url) as client:
        vectors = await client.embeddings(model="m", input="x", dimensions=4)
        stream = await client.responses(model=GPT, input="async", stream=True)
        async with stream:
            text = "".join([e.text async for e in stream])
        reranked = await client.rerank(model="r", query="q", documents=["q", "z"])
    assert vectors.dimensions == 4
    assert "async" in text and stream.final.text == text
    assert reranked.results[0].index == 0
