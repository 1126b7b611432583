"""Gemini `streamGenerateContent?alt=sse` events -> OpenAI chat completion chunks.

Each upstream `data:` event is a whole `GenerateContentResponse`. The first chunk carries
`role: assistant`; text and thought parts become `content` / `reasoning_content` deltas; a
`functionCall` arrives whole, so it becomes one tool-call delta with its complete arguments.
The chunk with a `finishReason` carries the OpenAI `finish_reason` (and the raw value in
`native_finish_reason`); with `include_usage` a usage chunk (`choices: []`) is sent at EOF
(Gemini may report usage after the finish), and every earlier chunk carries `"usage": null`.
A mid-stream `{"error": ...}` event becomes one OpenAI error frame; EOF before any
`finishReason` also does.
"""

from __future__ import annotations

from typing import Any

from gateway.sse import DONE_FRAME
from gateway.translation._stream import StreamTranslator, data_frame, json_object
from gateway.translation.errors import openai_error_body
from gateway.translation.gemini.request import GeminiRequest
from gateway.translation.gemini.response import (
    created_at,
    finish_reason,
    gemini_usage,
    split_parts,
    tool_call,
)
from gateway.translation.usage import TokenUsage

__all__ = ["GeminiToOpenAIStream"]


class GeminiToOpenAIStream(StreamTranslator):
    """Feed parsed upstream SSE events; get encoded `data: {...}` chunk frames back."""

    def __init__(self, ctx: GeminiRequest) -> None:
        super().__init__()
        self._ctx = ctx
        self._id = ""
        self._created: int | None = None
        self._model = ctx.model
        self._role_sent: set[int] = set()
        self._calls: dict[int, int] = {}  # candidate index -> tool calls so far
        self._usage_raw: object = None

    @property
    def usage(self) -> TokenUsage:
        """The latest usage reported on the stream."""
        return gemini_usage(self._usage_raw)

    def _chunk(self, choices: list[dict[str, Any]], **extra: Any) -> bytes:
        chunk: dict[str, Any] = {
            "id": self._id,
            "object": "chat.completion.chunk",
            "created": self._created or 0,
            "model": self._model,
            "choices": choices,
        }
        if self._ctx.include_usage:
            chunk["usage"] = None
        chunk.update(extra)
        return data_frame(chunk)

    def _translate(self, data: str) -> list[bytes]:
        payload = json_object(data)
        if payload is None:
            return self._fail("upstream sent a malformed stream event", "GCPVertexAIBackendError")
        error = payload.get("error")
        if isinstance(error, dict):
            status = error.get("status") if isinstance(error.get("status"), str) else None
            message = error.get("message")
            return self._fail(
                message if isinstance(message, str) else "upstream error",
                status or "GCPVertexAIBackendError",
                str(error.get("code", 500)),
            )
        if self._created is None:
            self._id = str(payload.get("responseId", ""))
            self._created = created_at(payload)
            self._model = str(payload.get("modelVersion") or self._model)
        if payload.get("usageMetadata") is not None:
            self._usage_raw = payload["usageMetadata"]
        frames: list[bytes] = []
        candidates = payload.get("candidates")
        for position, candidate in enumerate(candidates if isinstance(candidates, list) else ()):
            if isinstance(candidate, dict):
                frames += self._candidate(position, candidate)
        return frames

    def _candidate(self, position: int, candidate: dict[str, Any]) -> list[bytes]:
        raw_index = candidate.get("index")
        index = raw_index if isinstance(raw_index, int) else position
        content = candidate.get("content")
        text, thoughts, calls = split_parts(
            content.get("parts") if isinstance(content, dict) else None
        )
        delta: dict[str, Any] = {}
        if index not in self._role_sent:
            self._role_sent.add(index)
            delta["role"] = "assistant"
        if text or "role" in delta:
            delta["content"] = text
        if thoughts:
            delta["reasoning_content"] = thoughts
        if calls:
            first = self._calls.get(index, 0)
            delta["tool_calls"] = [
                {"index": first + n, **tool_call(call, f"call_{self._id}_{first + n}")}
                for n, call in enumerate(calls)
            ]
            self._calls[index] = first + len(calls)
        frames: list[bytes] = []
        if set(delta) - {"content"} or delta.get("content"):
            frames.append(self._chunk([{"index": index, "delta": delta, "finish_reason": None}]))
        raw = candidate.get("finishReason")
        reason = finish_reason(raw, self._calls.get(index, 0) > 0)
        if reason is not None:
            self._stop_reason = str(raw)
            frames.append(
                self._chunk(
                    [
                        {
                            "index": index,
                            "delta": {},
                            "finish_reason": reason,
                            "native_finish_reason": raw,
                        }
                    ]
                )
            )
        return frames

    def _complete(self) -> list[bytes]:
        self._done = True
        if not self._ctx.include_usage:
            return []
        return [self._chunk([], usage=self.usage.to_openai())]

    def _fail(self, message: str, error_type: str, code: str = "502") -> list[bytes]:
        self._done = True
        return [data_frame(openai_error_body(message, error_type, code))]

    def _at_eof(self) -> list[bytes]:
        if self._done:
            return [DONE_FRAME]
        if self._stop_reason is not None:
            return [*self._complete(), DONE_FRAME]
        frames = self._fail(
            "upstream stream ended before a finishReason", "GCPVertexAIBackendError"
        )
        return [*frames, DONE_FRAME]
