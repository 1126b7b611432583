"""The simulated model: a deterministic reply derived from the prompt (see README.md)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, Literal

from gateway.simulator.schema_values import sample_value
from gateway.simulator.tokens import compact_json, count_tokens, truncate_to_tokens

QUOTE_CHARS: Final = 120
SYSTEM_CHARS: Final = 40
DEFAULT_FILLER_WORDS: Final = 20
CHUNK_WORDS: Final = 3
JSON_CHUNK_CHARS: Final = 16
FILLER_TEXT: Final = (
    "this reply is generated deterministically by the aigw sdk simulator so that "
    "notebooks and tests can assert on every word"
)
FILLER: Final = tuple(FILLER_TEXT.split())
SIGNATURE_KEY: Final = b"aigw-sdk-simulator"
_WORDS: Final = re.compile(r"\s*\S+|\s+$")

ToolChoice = Literal["auto", "any", "tool", "none"]
StopReason = Literal["end_turn", "max_tokens", "stop_sequence", "tool_use"]


@dataclass(frozen=True)
class ToolSpec:
    """A tool the model may call: name and JSON schema of its input."""

    name: str
    schema: dict[str, Any]


@dataclass(frozen=True)
class Prompt:
    """What the simulated model looks at, in provider-neutral form."""

    user_text: str
    system: str = ""
    tool_result: str | None = None
    tools: Sequence[ToolSpec] = ()
    tool_choice: ToolChoice = "auto"
    tool_name: str | None = None
    max_tokens: int | None = None
    stop_sequences: Sequence[str] = ()
    thinking: bool = False
    filler_words: int = DEFAULT_FILLER_WORDS


@dataclass(frozen=True)
class ToolCall:
    """A simulated tool call; `arguments` is the compact JSON of `input`."""

    name: str
    input: Any
    arguments: str


@dataclass(frozen=True)
class Reply:
    """The simulated answer, before it is shaped into a provider's response."""

    text: str
    stop_reason: StopReason
    stop_sequence: str | None = None
    tool: ToolCall | None = None
    thinking: str | None = None
    signature: str | None = None
    output_tokens: int = 0


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` with runs of whitespace collapsed to one space, cut to `limit` characters."""
    return " ".join(text.split())[:limit]


@lru_cache(maxsize=64)
def filler(words: int) -> str:
    """`words` filler words, cycling through a fixed sentence."""
    return " ".join(FILLER[i % len(FILLER)] for i in range(words))


def thinking_signature(thinking: str) -> str:
    """Base64 of HMAC-SHA256(b"aigw-sdk-simulator", thinking text)."""
    mac = hmac.new(SIGNATURE_KEY, thinking.encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def text_chunks(text: str) -> list[str]:
    """Streaming pieces of `text`: groups of three words, each with its leading whitespace."""
    words = _WORDS.findall(text)
    return ["".join(words[i : i + CHUNK_WORDS]) for i in range(0, len(words), CHUNK_WORDS)]


def json_chunks(arguments: str) -> list[str]:
    """Streaming pieces of tool-call JSON: 16 characters each."""
    step = JSON_CHUNK_CHARS
    return [arguments[i : i + step] for i in range(0, len(arguments), step)]


def compose(prompt: Prompt) -> Reply:
    """The deterministic reply to `prompt`."""
    budget = prompt.max_tokens
    thinking = signature = None
    used = 0
    if prompt.thinking:
        thinking = f"Thinking about: {quote(prompt.user_text)}. The answer follows the rules."
        if budget is not None and count_tokens(thinking) >= budget:
            thinking = truncate_to_tokens(thinking, budget)
            return Reply(
                text="",
                stop_reason="max_tokens",
                thinking=thinking,
                signature=thinking_signature(thinking),
                output_tokens=count_tokens(thinking),
            )
        signature = thinking_signature(thinking)
        used = count_tokens(thinking)
    available = None if budget is None else budget - used
    tool = _chosen_tool(prompt)
    if tool is not None:
        return _tool_reply(prompt, tool, available, thinking, signature, used)
    text = _text(prompt)
    stop_reason: StopReason = "end_turn"
    stop_sequence = None
    cut = _first_stop(text, prompt.stop_sequences)
    if cut is not None:
        text, stop_sequence, stop_reason = text[: cut[0]], cut[1], "stop_sequence"
    if available is not None and count_tokens(text) > available:
        text, stop_sequence, stop_reason = truncate_to_tokens(text, available), None, "max_tokens"
    return Reply(
        text=text,
        stop_reason=stop_reason,
        stop_sequence=stop_sequence,
        thinking=thinking,
        signature=signature,
        output_tokens=used + count_tokens(text),
    )


def _text(prompt: Prompt) -> str:
    prefix = f"[system: {quote(prompt.system, SYSTEM_CHARS)}] " if prompt.system.strip() else ""
    if prompt.tool_result is not None:
        base = f"Simulated reply to tool result: {quote(prompt.tool_result)}."
    else:
        base = f"Simulated reply to: {quote(prompt.user_text)}."
    tail = filler(prompt.filler_words)
    return f"{prefix}{base} {tail}" if tail else prefix + base


def _first_stop(text: str, stops: Sequence[str]) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for stop in stops:
        index = text.find(stop)
        if index >= 0 and (best is None or index < best[0]):
            best = (index, stop)
    return best


def _chosen_tool(prompt: Prompt) -> ToolSpec | None:
    if not prompt.tools or prompt.tool_choice == "none":
        return None
    if prompt.tool_choice == "tool":
        return next((t for t in prompt.tools if t.name == prompt.tool_name), None)
    named = _named_tool(prompt.tools, prompt.user_text)
    if prompt.tool_choice == "any":
        return named or prompt.tools[0]
    return None if prompt.tool_result is not None else named


def _named_tool(tools: Sequence[ToolSpec], text: str) -> ToolSpec | None:
    for tool in tools:
        if re.search(rf"(?<![\w-]){re.escape(tool.name)}(?![\w-])", text):
            return tool
    return None


def _tool_reply(
    prompt: Prompt,
    tool: ToolSpec,
    available: int | None,
    thinking: str | None,
    signature: str | None,
    used: int,
) -> Reply:
    value = sample_value(tool.schema)
    call = ToolCall(name=tool.name, input=value, arguments=compact_json(value))
    preamble = "" if prompt.tool_choice in ("any", "tool") else f"Calling {tool.name}."
    needed = count_tokens(preamble) + count_tokens(call.arguments)
    if available is not None and needed > available:
        text = truncate_to_tokens(preamble, available)
        return Reply(
            text=text,
            stop_reason="max_tokens",
            thinking=thinking,
            signature=signature,
            output_tokens=used + count_tokens(text),
        )
    return Reply(
        text=preamble,
        stop_reason="tool_use",
        tool=call,
        thinking=thinking,
        signature=signature,
        output_tokens=used + needed,
    )
