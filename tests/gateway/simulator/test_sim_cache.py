"""Prompt-cache simulation: creation, read, expiry, per-key isolation, OpenAI automatic caching."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import Any

import anthropic
import openai
import pytest

from gateway.serving import ServerThread
from gateway.simulator import SimulatorConfig, create_simulator_app
from tests.gateway.simulator.support import CLAUDE, GPT

TTL = 0.5
BIG = "The policy manual says many things. " * 150  # 5400 chars -> 1350 tokens
SMALL = "short system prompt"


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


@pytest.fixture(scope="module")
def cache_url() -> Iterator[str]:
    """A simulator with a short cache TTL that accepts any key (so keys can differ)."""
    config = SimulatorConfig(api_key=None, cache_ttl=TTL)
    with ServerThread([(create_simulator_app(config), "127.0.0.1", 0)]) as st:
        yield f"http://127.0.0.1:{st.ports[0]}"


def client(url: str, key: str = "key-a") -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key=key, base_url=url, max_retries=0)


def system(text: str, ttl: str | None = None) -> Any:
    control: dict[str, str] = {"type": "ephemeral"}
    if ttl:
        control["ttl"] = ttl
    return [{"type": "text", "text": text, "cache_control": control}]


def ask(c: anthropic.Anthropic, sys: Any, messages: Any = None) -> Any:
    messages = messages or [{"role": "user", "content": "What does it say?"}]
    return c.messages.create(model=CLAUDE, max_tokens=50, system=sys, messages=messages).usage


def test_creation_then_read_then_expiry(cache_url: str) -> None:
    question = tokens("What does it say?")
    with client(cache_url) as c:
        first = ask(c, system(BIG + "1"))
        assert first.cache_creation_input_tokens == tokens(BIG + "1")
        assert first.cache_read_input_tokens == 0
        assert first.input_tokens == question
        assert first.cache_creation.ephemeral_5m_input_tokens == tokens(BIG + "1")
        second = ask(c, system(BIG + "1"))
        assert second.cache_read_input_tokens == tokens(BIG + "1")
        assert second.cache_creation_input_tokens == 0
        assert second.input_tokens == question
        time.sleep(TTL * 2)
        third = ask(c, system(BIG + "1"))
        assert third.cache_read_input_tokens == 0
        assert third.cache_creation_input_tokens == tokens(BIG + "1")


def test_short_prefix_is_not_cached(cache_url: str) -> None:
    with client(cache_url) as c:
        ask(c, system(SMALL))
        usage = ask(c, system(SMALL))
    assert usage.cache_creation_input_tokens == 0 and usage.cache_read_input_tokens == 0
    assert usage.input_tokens == tokens(SMALL) + tokens("What does it say?")


def test_cache_is_per_key_and_per_prefix(cache_url: str) -> None:
    with client(cache_url, "key-a") as a, client(cache_url, "key-b") as b:
        ask(a, system(BIG + "2"))
        assert ask(b, system(BIG + "2")).cache_read_input_tokens == 0
        assert ask(a, system(BIG + "3")).cache_read_input_tokens == 0
        assert ask(a, system(BIG + "2")).cache_read_input_tokens == tokens(BIG + "2")


def test_growing_conversation_reads_earlier_prefix(cache_url: str) -> None:
    turn1: Any = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": BIG + "4", "cache_control": {"type": "ephemeral"}}
            ],
        }
    ]
    turn2: Any = [
        {"role": "user", "content": [{"type": "text", "text": BIG + "4"}]},
        {"role": "assistant", "content": "Noted."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "And more?", "cache_control": {"type": "ephemeral"}}
            ],
        },
    ]
    with client(cache_url) as c:
        first = c.messages.create(model=CLAUDE, max_tokens=50, messages=turn1).usage
        assert first.cache_creation_input_tokens == tokens(BIG + "4")
        second = c.messages.create(model=CLAUDE, max_tokens=50, messages=turn2).usage
    assert second.cache_read_input_tokens == tokens(BIG + "4")
    assert second.cache_creation_input_tokens == tokens("Noted.") + tokens("And more?")
    assert second.input_tokens == 0


def test_one_hour_ttl_and_streaming_usage(cache_url: str) -> None:
    with client(cache_url) as c:
        usage = ask(c, system(BIG + "5", ttl="1h"))
        assert usage.cache_creation.ephemeral_1h_input_tokens == tokens(BIG + "5")
        assert usage.cache_creation.ephemeral_5m_input_tokens == 0
        with c.messages.stream(
            model=CLAUDE,
            max_tokens=50,
            system=system(BIG + "5", ttl="1h"),
            messages=[{"role": "user", "content": "What does it say?"}],
        ) as stream:
            final = stream.get_final_message()
    assert final.usage.cache_read_input_tokens == tokens(BIG + "5")


def test_more_than_four_breakpoints_is_rejected(cache_url: str) -> None:
    blocks: Any = [
        {"type": "text", "text": f"part {i}", "cache_control": {"type": "ephemeral"}}
        for i in range(5)
    ]
    with client(cache_url) as c, pytest.raises(anthropic.BadRequestError, match="Found 5"):
        ask(c, blocks)


def test_openai_automatic_prefix_caching(cache_url: str) -> None:
    first_turn: Any = [{"role": "system", "content": BIG + "6"}, {"role": "user", "content": "Q1"}]
    with openai.OpenAI(api_key="key-a", base_url=f"{cache_url}/v1", max_retries=0) as c:
        first = c.chat.completions.create(model=GPT, messages=first_turn).usage
        assert first is not None and first.prompt_tokens_details is not None
        assert first.prompt_tokens_details.cached_tokens == 0
        messages: Any = [
            *first_turn,
            {"role": "assistant", "content": "A1"},
            {"role": "user", "content": "Q2"},
        ]
        second = c.chat.completions.create(model=GPT, messages=messages).usage
    assert second is not None and second.prompt_tokens_details is not None
    prefix = tokens(BIG + "6") + tokens("Q1")
    assert second.prompt_tokens_details.cached_tokens == prefix - prefix % 128
    assert second.prompt_tokens == prefix + tokens("A1") + tokens("Q2")
