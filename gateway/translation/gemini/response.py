"""Gemini `GenerateContentResponse` -> OpenAI Chat Completions response, usage and finish reasons.

* One choice per candidate; non-thought text parts are joined into `content`, thought parts
  into `reasoning_content`; each `functionCall` is a tool call with a deterministic id
  (`call_<responseId>_<n>`: Gemini has no call ids).
* `finish_reason` is one of OpenAI's values; the raw Gemini reason is kept in the
  non-standard `native_finish_reason` (as the Anthropic translation does). Safety-type
  reasons map to `content_filter`, `MAX_TOKENS` to `length`, a stop with calls to `tool_calls`.
* Usage: `completion_tokens` counts candidates plus thoughts (upstream's rule);
  `cachedContentTokenCount` is `prompt_tokens_details.cached_tokens`.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from gateway.translation.errors import TranslationError
from gateway.translation.gemini.request import GeminiRequest, tool_arguments
from gateway.translation.usage import TokenUsage

__all__ = ["created_at", "finish_reason", "gemini_to_openai_response", "gemini_usage"]

_FINISH = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
    "IMAGE_SAFETY": "content_filter",
    "IMAGE_PROHIBITED_CONTENT": "content_filter",
    "RECITATION": "content_filter",
    "IMAGE_RECITATION": "content_filter",
}


def finish_reason(reason: object, has_calls: bool) -> str | None:
    """OpenAI `finish_reason` for a Gemini `finishReason` (None while the candidate goes on)."""
    if not isinstance(reason, str) or not reason or reason == "FINISH_REASON_UNSPECIFIED":
        return None
    if has_calls and reason == "STOP":
        return "tool_calls"
    return _FINISH.get(reason, "stop")


def _count(usage: dict[str, Any], key: str) -> int:
    value = usage.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def gemini_usage(metadata: object) -> TokenUsage:
    """The normalised usage of a `usageMetadata` object."""
    usage = metadata if isinstance(metadata, dict) else {}
    thoughts = _count(usage, "thoughtsTokenCount")
    return TokenUsage(
        input_tokens=_count(usage, "promptTokenCount"),
        cached_input_tokens=_count(usage, "cachedContentTokenCount"),
        output_tokens=_count(usage, "candidatesTokenCount") + thoughts,
        reasoning_tokens=thoughts,
    )


def created_at(resp: dict[str, Any]) -> int:
    """`createTime` (RFC 3339) as a Unix timestamp, or now."""
    raw = resp.get("createTime")
    if isinstance(raw, str):
        try:
            return int(datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp())
        except ValueError:
            pass
    return int(time.time())


def split_parts(parts: object) -> tuple[str, str, list[dict[str, Any]]]:
    """(text, thought text, functionCall objects) of a candidate's parts."""
    texts: list[str] = []
    thoughts: list[str] = []
    calls: list[dict[str, Any]] = []
    for part in parts if isinstance(parts, list) else ():
        if not isinstance(part, dict):
            continue
        if isinstance(part.get("functionCall"), dict):
            calls.append(part["functionCall"])
        elif isinstance(part.get("text"), str):
            (thoughts if part.get("thought") is True else texts).append(part["text"])
    return "".join(texts), "".join(thoughts), calls


def tool_call(call: dict[str, Any], call_id: str) -> dict[str, Any]:
    """An OpenAI tool call for a Gemini `functionCall`."""
    return {
        "id": call_id,
        "type": "function",
        "function": {
            "name": str(call.get("name", "")),
            "arguments": tool_arguments(call.get("args")),
        },
    }


def gemini_to_openai_response(resp: object, ctx: GeminiRequest) -> dict[str, Any]:
    """Translate a non-streaming `generateContent` response."""
    candidates = resp.get("candidates") if isinstance(resp, dict) else None
    if not isinstance(resp, dict) or not isinstance(candidates, list):
        raise TranslationError(502, "upstream returned a malformed Gemini response", "candidates")
    response_id = str(resp.get("responseId", ""))
    choices = []
    calls_seen = 0
    for position, candidate in enumerate(candidates):
        if not isinstance(candidate, dict):
            continue
        content = candidate.get("content")
        text, thoughts, calls = split_parts(
            content.get("parts") if isinstance(content, dict) else None
        )
        message: dict[str, Any] = {"role": "assistant", "content": text or None}
        if thoughts:
            message["reasoning_content"] = thoughts
        if calls:
            message["tool_calls"] = [
                tool_call(call, f"call_{response_id}_{calls_seen + n}")
                for n, call in enumerate(calls)
            ]
            calls_seen += len(calls)
        raw = candidate.get("finishReason")
        index = candidate.get("index")
        choices.append(
            {
                "index": index if isinstance(index, int) else position,
                "message": message,
                "finish_reason": finish_reason(raw, bool(calls)) or "stop",
                "native_finish_reason": raw,
            }
        )
    if not choices:
        feedback = resp.get("promptFeedback")
        reason = feedback.get("blockReason") if isinstance(feedback, dict) else None
        choices.append(
            {
                "index": 0,
                "message": {"role": "assistant", "content": None},
                "finish_reason": "content_filter" if reason else "stop",
                "native_finish_reason": reason,
            }
        )
    usage = gemini_usage(resp.get("usageMetadata"))
    return {
        "id": response_id,
        "object": "chat.completion",
        "created": created_at(resp),
        "model": str(resp.get("modelVersion") or ctx.model),
        "choices": choices,
        "usage": usage.to_openai(),
    }
