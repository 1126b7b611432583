"""Anthropic Messages response -> OpenAI Chat Completions response (non-streaming)."""

from __future__ import annotations

import time
from typing import Any

from gateway.translation._json import dumps_str
from gateway.translation.errors import TranslationError
from gateway.translation.openai_to_anthropic.request import AnthropicRequest
from gateway.translation.usage import TokenUsage

__all__ = ["anthropic_to_openai_response", "finish_reason"]

_FINISH_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "pause_turn": "stop",
    "refusal": "content_filter",
    "model_context_window_exceeded": "length",
}


def finish_reason(stop_reason: object) -> str:
    """OpenAI `finish_reason` for an Anthropic `stop_reason`; unknown values map to `stop`.

    The raw value is kept in the non-standard `native_finish_reason` (e.g. `pause_turn`, which
    tells agents to continue the turn).
    """
    return _FINISH_REASONS.get(stop_reason, "stop") if isinstance(stop_reason, str) else "stop"


def tool_call(block: dict[str, Any], ctx: AnthropicRequest, arguments: str) -> dict[str, Any]:
    """An OpenAI tool call for a `tool_use` block, id and name mapped back to the client's."""
    return {
        "id": ctx.tool_ids.to_client(str(block.get("id", ""))),
        "type": "function",
        "function": {
            "name": ctx.tool_names.to_client(str(block.get("name", ""))),
            "arguments": arguments,
        },
    }


def anthropic_to_openai_response(
    resp: dict[str, Any], ctx: AnthropicRequest, *, created: int | None = None
) -> dict[str, Any]:
    """Translate a Messages response; all text blocks are concatenated, the `id` is kept.

    Thinking is surfaced as `reasoning_content` (a string) plus `thinking_blocks` with their
    signatures, which clients replay on the next turn. The usage seen is
    `TokenUsage.from_anthropic(resp["usage"])`.
    """
    content = resp.get("content") if isinstance(resp, dict) else None
    if not isinstance(content, list):
        raise TranslationError(502, "upstream returned a malformed Anthropic message", "content")
    texts: list[str] = []
    reasoning: list[str] = []
    calls: list[dict[str, Any]] = []
    thinking_blocks: list[dict[str, Any]] = []
    for block in content:
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "text":
            texts.append(block.get("text", ""))
        elif kind == "tool_use":
            calls.append(tool_call(block, ctx, dumps_str(block.get("input") or {})))
        elif kind == "thinking":
            reasoning.append(block.get("thinking", ""))
            thinking_blocks.append(
                {
                    "type": "thinking",
                    "thinking": block.get("thinking", ""),
                    "signature": block.get("signature", ""),
                }
            )
        elif kind == "redacted_thinking":
            thinking_blocks.append({"type": "redacted_thinking", "data": block.get("data", "")})
    stop_reason = resp.get("stop_reason")
    message: dict[str, Any] = {
        "role": "assistant",
        "content": "".join(texts) if texts or not calls else None,
        "refusal": None,
    }
    if stop_reason == "refusal":
        details = resp.get("stop_details")
        explanation = details.get("explanation") if isinstance(details, dict) else None
        message["refusal"] = explanation if isinstance(explanation, str) else None
    if calls:
        message["tool_calls"] = calls
    if reasoning:
        message["reasoning_content"] = "".join(reasoning)
    if thinking_blocks:
        message["thinking_blocks"] = thinking_blocks
    return {
        "id": resp.get("id", ""),
        "object": "chat.completion",
        "created": int(time.time()) if created is None else created,
        "model": resp.get("model") or ctx.model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": finish_reason(stop_reason),
                "native_finish_reason": stop_reason,
            }
        ],
        "usage": TokenUsage.from_anthropic(resp.get("usage")).to_openai(),
    }
