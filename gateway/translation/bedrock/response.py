"""AWS Bedrock Converse response -> Anthropic Messages response (non-streaming).

OpenAI clients get the result through the existing Anthropic -> OpenAI response translation.
Bedrock's `inputTokens` excludes cache reads and writes, exactly like Anthropic's
`input_tokens`, so the usage maps field for field.
"""

from __future__ import annotations

from typing import Any

from gateway.translation.errors import TranslationError

__all__ = ["converse_to_anthropic_response", "converse_usage", "stop_reason"]

_STOP_REASONS = {
    "end_turn": "end_turn",
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
    "stop_sequence": "stop_sequence",
    "guardrail_intervened": "refusal",
    "content_filtered": "refusal",
    "model_context_window_exceeded": "model_context_window_exceeded",
}


def stop_reason(value: object) -> str:
    """The Anthropic `stop_reason` for a Converse `stopReason` (`end_turn` when unknown)."""
    return _STOP_REASONS.get(value, "end_turn") if isinstance(value, str) else "end_turn"


def _count(usage: dict[str, Any], key: str) -> int:
    value = usage.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def converse_usage(usage: object) -> dict[str, int]:
    """Anthropic `usage` for a Converse `usage` object."""
    if not isinstance(usage, dict):
        usage = {}
    return {
        "input_tokens": _count(usage, "inputTokens"),
        "cache_creation_input_tokens": _count(usage, "cacheWriteInputTokens"),
        "cache_read_input_tokens": _count(usage, "cacheReadInputTokens"),
        "output_tokens": _count(usage, "outputTokens"),
    }


def _block(block: object) -> dict[str, Any] | None:
    if not isinstance(block, dict):
        return None
    if isinstance(block.get("text"), str):
        return {"type": "text", "text": block["text"]}
    tool = block.get("toolUse")
    if isinstance(tool, dict):
        return {
            "type": "tool_use",
            "id": str(tool.get("toolUseId", "")),
            "name": str(tool.get("name", "")),
            "input": tool.get("input") if isinstance(tool.get("input"), dict) else {},
        }
    reasoning = block.get("reasoningContent")
    if isinstance(reasoning, dict):
        text = reasoning.get("reasoningText")
        if isinstance(text, dict):
            return {
                "type": "thinking",
                "thinking": str(text.get("text", "")),
                "signature": str(text.get("signature", "")),
            }
        if isinstance(reasoning.get("redactedContent"), str):
            return {"type": "redacted_thinking", "data": reasoning["redactedContent"]}
    return None


def converse_to_anthropic_response(resp: object, *, model: str, message_id: str) -> dict[str, Any]:
    """An Anthropic message for a Converse response; `message_id` names it (Converse has none)."""
    output = resp.get("output") if isinstance(resp, dict) else None
    message = output.get("message") if isinstance(output, dict) else None
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(resp, dict) or not isinstance(content, list):
        raise TranslationError(502, "upstream returned a malformed Converse response", "output")
    blocks = [converted for block in content if (converted := _block(block)) is not None]
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": blocks,
        "stop_reason": stop_reason(resp.get("stopReason")),
        "stop_sequence": None,
        "usage": converse_usage(resp.get("usage")),
    }
