"""OpenAI Chat Completions chunk stream -> Anthropic Messages SSE event stream."""

from __future__ import annotations

from typing import Any

from gateway.translation._stream import StreamTranslator, json_object, named_frame
from gateway.translation.anthropic_to_openai.request import OpenAIRequest
from gateway.translation.anthropic_to_openai.response import stop_reason
from gateway.translation.errors import ANTHROPIC_ERROR_STATUS, anthropic_error_type_for_status
from gateway.translation.usage import TokenUsage

__all__ = ["OpenAIToAnthropicStream"]


def _error_event(error_type: str, message: str) -> bytes:
    return named_frame(
        "error", {"type": "error", "error": {"type": error_type, "message": message}}
    )


class OpenAIToAnthropicStream(StreamTranslator):
    """Feed parsed upstream chunk events; get encoded Anthropic SSE events back.

    Produces `message_start`, then `content_block_start`/`_delta`/`_stop` for thinking
    (`reasoning_content`), text and `tool_use` (arguments as `input_json_delta`), then
    `message_delta` (stop reason and usage, cached tokens split out of `input_tokens`) and
    `message_stop` at `[DONE]`. An upstream error chunk, or EOF before any `finish_reason`,
    becomes one Anthropic `error` event.
    """

    def __init__(self, ctx: OpenAIRequest) -> None:
        super().__init__()
        self._ctx = ctx
        self._started = False
        self._next_index = 0
        self._open: str | None = None
        self._tools: dict[int, int] = {}
        self._usage = TokenUsage()

    @property
    def usage(self) -> TokenUsage:
        """The usage reported by the upstream (its final usage chunk)."""
        return self._usage

    def _translate(self, data: str) -> list[bytes]:
        if data.strip() == "[DONE]":
            return self._complete()
        payload = json_object(data)
        if payload is None:
            return self._fail("api_error", "upstream sent a malformed stream chunk")
        if "error" in payload:
            return self._upstream_error(payload["error"])
        frames = [] if self._started else [self._message_start(payload)]
        if isinstance(payload.get("usage"), dict):
            self._usage = TokenUsage.from_openai(payload["usage"])
        choices = payload.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            frames += self._choice(choices[0])
        return frames

    def _at_eof(self) -> list[bytes]:
        """Complete the message if it had finished, else one error event."""
        if self._done:
            return []
        if self._stop_reason is not None:
            return self._complete()
        return self._fail("api_error", "upstream stream ended before the response completed")

    def _fail(self, error_type: str, message: str) -> list[bytes]:
        self._done = True
        return [_error_event(error_type, message)]

    def _upstream_error(self, error: object) -> list[bytes]:
        if not isinstance(error, dict):
            return self._fail("api_error", str(error))
        code = error.get("code")
        status = int(code) if isinstance(code, str | int) and str(code).isdigit() else 500
        error_type = error.get("type")
        if error_type not in ANTHROPIC_ERROR_STATUS:
            error_type = anthropic_error_type_for_status(status)
        return self._fail(str(error_type), str(error.get("message", "upstream error")))

    def _message_start(self, payload: dict[str, Any]) -> bytes:
        self._started = True
        message = {
            "id": payload.get("id", ""),
            "type": "message",
            "role": "assistant",
            "model": payload.get("model") or self._ctx.model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 0, "output_tokens": 0},
        }
        return named_frame("message_start", {"type": "message_start", "message": message})

    def _close_block(self) -> list[bytes]:
        if self._open is None:
            return []
        self._open = None
        index = self._next_index - 1
        return [named_frame("content_block_stop", {"type": "content_block_stop", "index": index})]

    def _start_block(self, kind: str, block: dict[str, Any]) -> list[bytes]:
        frames = self._close_block()
        self._open = kind
        payload = {"type": "content_block_start", "index": self._next_index, "content_block": block}
        self._next_index += 1
        return [*frames, named_frame("content_block_start", payload)]

    def _delta(self, index: int, delta: dict[str, Any]) -> bytes:
        payload = {"type": "content_block_delta", "index": index, "delta": delta}
        return named_frame("content_block_delta", payload)

    def _choice(self, choice: dict[str, Any]) -> list[bytes]:
        frames: list[bytes] = []
        delta = choice.get("delta")
        delta = delta if isinstance(delta, dict) else {}
        reasoning = delta.get("reasoning_content")
        if isinstance(reasoning, str) and reasoning:
            if self._open != "thinking":
                block = {"type": "thinking", "thinking": "", "signature": ""}
                frames += self._start_block("thinking", block)
            thinking_delta = {"type": "thinking_delta", "thinking": reasoning}
            frames.append(self._delta(self._next_index - 1, thinking_delta))
        text = delta.get("content")
        if isinstance(text, str) and text:
            if self._open != "text":
                frames += self._start_block("text", {"type": "text", "text": ""})
            frames.append(self._delta(self._next_index - 1, {"type": "text_delta", "text": text}))
        for call in delta.get("tool_calls") or []:
            if isinstance(call, dict):
                frames += self._tool_call(call)
        if choice.get("finish_reason") is not None:
            self._stop_reason = stop_reason(choice["finish_reason"])
            frames += self._close_block()
        return frames

    def _tool_call(self, call: dict[str, Any]) -> list[bytes]:
        frames: list[bytes] = []
        position = call.get("index", 0)
        function = call.get("function")
        function = function if isinstance(function, dict) else {}
        if position not in self._tools:
            block: dict[str, Any] = {
                "type": "tool_use",
                "id": call.get("id") or "",
                "name": function.get("name") or "",
                "input": {},
            }
            frames += self._start_block("tool_use", block)
            self._tools[position] = self._next_index - 1
        arguments = function.get("arguments")
        if isinstance(arguments, str) and arguments:
            json_delta = {"type": "input_json_delta", "partial_json": arguments}
            frames.append(self._delta(self._tools[position], json_delta))
        return frames

    def _complete(self) -> list[bytes]:
        if not self._started:
            return self._fail("api_error", "upstream stream ended without any response")
        self._done = True
        delta = {"stop_reason": self._stop_reason or "end_turn", "stop_sequence": None}
        message_delta = {
            "type": "message_delta",
            "delta": delta,
            "usage": self._usage.to_anthropic(),
        }
        return [
            *self._close_block(),
            named_frame("message_delta", message_delta),
            named_frame("message_stop", {"type": "message_stop"}),
        ]
