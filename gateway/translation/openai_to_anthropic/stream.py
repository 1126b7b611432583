"""Anthropic Messages SSE stream -> OpenAI Chat Completions chunk stream."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from aigw_sdk.sse import DONE_FRAME, encode_comment
from gateway.translation._json import dumps_str
from gateway.translation._stream import StreamTranslator, data_frame, json_object
from gateway.translation.errors import openai_error_body
from gateway.translation.openai_to_anthropic.errors import anthropic_stream_error_to_openai
from gateway.translation.openai_to_anthropic.request import AnthropicRequest
from gateway.translation.openai_to_anthropic.response import finish_reason, tool_call
from gateway.translation.usage import TokenUsage

__all__ = ["KEEPALIVE_FRAME", "AnthropicToOpenAIStream"]

KEEPALIVE_FRAME = encode_comment("ping")
_USAGE_KEYS = (
    "input_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
    "output_tokens",
    "output_tokens_details",
)


@dataclass(slots=True)
class _Block:
    kind: str
    tool_index: int = -1
    has_arguments: bool = False
    thinking: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    data: str = ""


class AnthropicToOpenAIStream(StreamTranslator):
    """Feed parsed upstream events; get encoded `data: {...}` chunk frames back.

    * The Anthropic message `id` is kept as the chunk `id`; `role` rides on the first chunk
      with content; tool-call `index` counts tool blocks only (0-based).
    * An empty tool argument stream is closed with `"{}"`, so arguments are always valid JSON.
    * Thinking streams as `reasoning_content` strings; when a thinking block ends, a chunk
      carries the whole block with its signature in `thinking_blocks` (for replay).
    * `ping` becomes an SSE comment keepalive; the `finish_reason` chunk (with the raw value
      in `native_finish_reason`) and, when `include_usage` was requested, the usage chunk are
      sent at `message_stop`.
    * A mid-stream `error` event becomes one OpenAI error frame; `finish()` then sends only
      `[DONE]`. Upstream EOF without `message_stop` also yields one error frame.
    * Usage fields are *set* from each event carrying them (cumulative), never added.
    """

    def __init__(self, ctx: AnthropicRequest, *, created: int | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        self._created = int(time.time()) if created is None else created
        self._id = ""
        self._model = ctx.model
        self._role_sent = False
        self._tool_count = 0
        self._blocks: dict[int, _Block] = {}
        self._usage: dict[str, Any] = {}

    @property
    def usage(self) -> TokenUsage:
        """The latest cumulative usage seen on the stream."""
        return TokenUsage.from_anthropic(self._usage)

    def _translate(self, data: str) -> list[bytes]:
        """One upstream event; its `data.type` (not the SSE event name) is authoritative."""
        payload = json_object(data)
        if payload is None:
            return self._fail("upstream sent a malformed stream event")
        return self._event(payload)

    def feed_event(self, payload: dict[str, Any]) -> list[bytes]:
        """`feed()` for an event already decoded (e.g. unwrapped from an AWS event stream)."""
        return [] if self._done else self._event(payload)

    def _event(self, payload: dict[str, Any]) -> list[bytes]:
        kind = payload.get("type")
        if kind == "content_block_delta":
            return self._block_delta(payload)
        if kind == "content_block_start":
            return self._block_start(payload)
        if kind == "content_block_stop":
            return self._block_stop(payload)
        if kind == "message_start":
            message = payload.get("message")
            if isinstance(message, dict):
                self._id = str(message.get("id", ""))
                self._model = message.get("model") or self._model
                self._set_usage(message.get("usage"))
            return []
        if kind == "message_delta":
            delta = payload.get("delta")
            if isinstance(delta, dict) and isinstance(delta.get("stop_reason"), str):
                self._stop_reason = delta["stop_reason"]
            self._set_usage(payload.get("usage"))
            return []
        if kind == "message_stop":
            return self._stop()
        if kind == "ping":
            return [KEEPALIVE_FRAME]
        if kind == "error":
            self._done = True
            return [data_frame(anthropic_stream_error_to_openai(payload))]
        return []

    def _at_eof(self) -> list[bytes]:
        """An error frame if the message never completed, then `[DONE]`."""
        frames = [] if self._done else self._fail("upstream stream ended before message_stop")
        frames.append(DONE_FRAME)
        return frames

    def _fail(self, message: str) -> list[bytes]:
        self._done = True
        return [data_frame(openai_error_body(message, "server_error", "502"))]

    def _set_usage(self, usage: object) -> None:
        if isinstance(usage, dict):
            for key in _USAGE_KEYS:
                if usage.get(key) is not None:
                    self._usage[key] = usage[key]

    def _chunk(self, choices: list[dict[str, Any]], **extra: Any) -> bytes:
        return data_frame(
            {
                "id": self._id,
                "object": "chat.completion.chunk",
                "created": self._created,
                "model": self._model,
                "choices": choices,
                **extra,
            }
        )

    def _delta(self, delta: dict[str, Any]) -> list[bytes]:
        if not self._role_sent:
            self._role_sent = True
            delta = {"role": "assistant", **delta}
        return [self._chunk([{"index": 0, "delta": delta, "finish_reason": None}])]

    def _arguments(self, block: _Block, arguments: str) -> list[bytes]:
        block.has_arguments = True
        call = {"index": block.tool_index, "function": {"arguments": arguments}}
        return self._delta({"tool_calls": [call]})

    def _block_start(self, payload: dict[str, Any]) -> list[bytes]:
        raw = payload.get("content_block")
        raw = raw if isinstance(raw, dict) else {}
        block = _Block(kind=str(raw.get("type", "")))
        self._blocks[payload.get("index", -1)] = block
        if block.kind == "text" and raw.get("text"):
            return self._delta({"content": raw["text"]})
        if block.kind == "thinking" and raw.get("thinking"):
            block.thinking.append(raw["thinking"])
            return self._delta({"reasoning_content": raw["thinking"]})
        if block.kind == "redacted_thinking":
            block.data = str(raw.get("data", ""))
        if block.kind != "tool_use":
            return []
        block.tool_index = self._tool_count
        self._tool_count += 1
        call = {"index": block.tool_index, **tool_call(raw, self._ctx, "")}
        frames = self._delta({"tool_calls": [call]})
        if raw.get("input"):
            frames += self._arguments(block, dumps_str(raw["input"]))
        return frames

    def _block_delta(self, payload: dict[str, Any]) -> list[bytes]:
        block = self._blocks.get(payload.get("index", -1))
        delta = payload.get("delta")
        if block is None or not isinstance(delta, dict):
            return []
        kind = delta.get("type")
        if kind == "text_delta" and block.kind == "text" and delta.get("text"):
            return self._delta({"content": delta["text"]})
        if kind == "input_json_delta" and block.kind == "tool_use" and delta.get("partial_json"):
            return self._arguments(block, delta["partial_json"])
        if kind == "thinking_delta" and block.kind == "thinking" and delta.get("thinking"):
            block.thinking.append(delta["thinking"])
            return self._delta({"reasoning_content": delta["thinking"]})
        if kind == "signature_delta" and block.kind == "thinking":
            block.signature.append(str(delta.get("signature", "")))
        return []

    def _block_stop(self, payload: dict[str, Any]) -> list[bytes]:
        block = self._blocks.pop(payload.get("index", -1), None)
        if block is None:
            return []
        if block.kind == "tool_use" and not block.has_arguments:
            return self._arguments(block, "{}")
        if block.kind == "thinking":
            thinking = {
                "type": "thinking",
                "thinking": "".join(block.thinking),
                "signature": "".join(block.signature),
            }
            return self._delta({"thinking_blocks": [thinking]})
        if block.kind == "redacted_thinking":
            return self._delta(
                {"thinking_blocks": [{"type": "redacted_thinking", "data": block.data}]}
            )
        return []

    def _stop(self) -> list[bytes]:
        self._done = True
        choice = {
            "index": 0,
            "delta": {},
            "finish_reason": finish_reason(self._stop_reason or "end_turn"),
            "native_finish_reason": self._stop_reason,
        }
        frames = [self._chunk([choice])]
        if self._ctx.include_usage:
            frames.append(self._chunk([], usage=self.usage.to_openai()))
        return frames
