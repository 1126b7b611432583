"""OpenAI Chat Completions response -> Anthropic Messages response (non-streaming)."""

from __future__ import annotations

from typing import Any

from gateway.translation._json import loads
from gateway.translation.anthropic_to_openai.request import OpenAIRequest
from gateway.translation.errors import TranslationError
from gateway.translation.usage import TokenUsage

__all__ = ["openai_to_anthropic_response", "stop_reason", "tool_input"]

_STOP_REASONS = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "content_filter": "refusal",
}


def stop_reason(finish_reason: object) -> str:
    """Anthropic `stop_reason` for an OpenAI `finish_reason` (`end_turn` when unknown)."""
    return (
        _STOP_REASONS.get(finish_reason, "end_turn")
        if isinstance(finish_reason, str)
        else "end_turn"
    )


def tool_input(arguments: object) -> dict[str, Any]:
    """Parse tool-call arguments into the object Anthropic's `input` requires.

    Malformed arguments from the backend are a 502: passing them on would hand the client
    a `tool_use` it cannot execute.
    """
    if arguments is None or arguments == "":
        return {}
    try:
        value = loads(arguments) if isinstance(arguments, str | bytes) else None
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise TranslationError(
            502, "upstream returned tool-call arguments that are not a JSON object"
        )
    return value


def openai_to_anthropic_response(resp: dict[str, Any], ctx: OpenAIRequest) -> dict[str, Any]:
    """Translate a Chat Completions response (first choice) into a Messages response.

    `usage.input_tokens` excludes cached tokens, which go to `cache_read_input_tokens`.
    The usage seen is `TokenUsage.from_openai(resp["usage"])`.
    """
    choices = resp.get("choices") if isinstance(resp, dict) else None
    choice = choices[0] if isinstance(choices, list) and choices else None
    message = choice.get("message") if isinstance(choice, dict) else None
    if not isinstance(choice, dict) or not isinstance(message, dict):
        raise TranslationError(502, "upstream returned a malformed chat completion", "choices")
    content: list[dict[str, Any]] = []
    reasoning = message.get("reasoning_content")
    if isinstance(reasoning, str) and reasoning:
        content.append({"type": "thinking", "thinking": reasoning, "signature": ""})
    text = message.get("content")
    if isinstance(text, str) and text:
        content.append({"type": "text", "text": text})
    refusal = message.get("refusal")
    if isinstance(refusal, str) and refusal:
        content.append({"type": "text", "text": refusal})
    calls = message.get("tool_calls") or []
    if not isinstance(calls, list) or not all(isinstance(call, dict) for call in calls):
        raise TranslationError(
            502, "upstream returned malformed tool calls", "choices[0].message.tool_calls"
        )
    for call in calls:
        function = call.get("function")
        function = function if isinstance(function, dict) else {}
        content.append(
            {
                "type": "tool_use",
                "id": call.get("id", ""),
                "name": function.get("name", ""),
                "input": tool_input(function.get("arguments")),
            }
        )
    reason = "refusal" if refusal else stop_reason(choice.get("finish_reason"))
    return {
        "id": resp.get("id", ""),
        "type": "message",
        "role": "assistant",
        "model": resp.get("model") or ctx.model,
        "content": content,
        "stop_reason": reason,
        "stop_sequence": None,
        "usage": TokenUsage.from_openai(resp.get("usage")).to_anthropic(),
    }
