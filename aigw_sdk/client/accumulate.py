"""Pure stream logic: SSE events -> typed events, and typed events -> the final response."""

from __future__ import annotations

import json
from typing import Any, Generic, Protocol, TypeVar

from aigw_sdk.client.errors import error_from_event
from aigw_sdk.client.types import (
    ChatChunk,
    ChatCompletion,
    Message,
    MessageEvent,
    Response,
    ResponseEvent,
    Timings,
    Usage,
)
from aigw_sdk.sse import SSEEvent

E = TypeVar("E")
F_co = TypeVar("F_co", covariant=True)


class Accumulator(Protocol[E, F_co]):
    """Builds the final response of one API style from its events."""

    usage: Usage

    def parse(self, sse: SSEEvent) -> E | None: ...
    def feed(self, event: E) -> bool: ...
    def result(self, timings: Timings) -> F_co: ...


def _json(sse: SSEEvent) -> dict[str, Any]:
    try:
        data = json.loads(sse.data)
    except ValueError as exc:
        raise ValueError(f"stream event {sse.event or 'data'!r} is not JSON: {sse.data!r}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"stream event {sse.event or 'data'!r} is not a JSON object")
    return data


class MessageAccumulator:
    """Assembles a :class:`Message` from Messages stream events (text, thinking, tool_use)."""

    def __init__(self) -> None:
        self.usage = Usage()
        self._start: dict[str, Any] = {}
        self._blocks: dict[int, dict[str, Any]] = {}
        self._json: dict[int, str] = {}
        self._stop_reason: str | None = None
        self._stop_sequence: str | None = None

    def parse(self, sse: SSEEvent) -> MessageEvent | None:
        """The typed event; an ``error`` event raises the matching :class:`GatewayError`."""
        data = _json(sse)
        kind = str(data.get("type") or sse.event or "")
        if kind == "error":
            raise error_from_event(data)
        return MessageEvent(kind, data)

    def feed(self, event: MessageEvent) -> bool:
        """Apply ``event``; True when it carried generated content (for time to first token)."""
        data = event.data
        if event.type == "message_start":
            message = data.get("message")
            self._start = message if isinstance(message, dict) else {}
            self.usage = Usage.from_anthropic(self._start.get("usage"))
        elif event.type == "content_block_start":
            block = data.get("content_block")
            self._blocks[int(data.get("index", 0))] = dict(block) if isinstance(block, dict) else {}
        elif event.type == "content_block_delta":
            return self._delta(int(data.get("index", 0)), data.get("delta"))
        elif event.type == "content_block_stop":
            index = int(data.get("index", 0))
            if index in self._json and index in self._blocks:
                partial = self._json.pop(index)
                self._blocks[index]["input"] = json.loads(partial) if partial else {}
        elif event.type == "message_delta":
            delta = data.get("delta")
            if isinstance(delta, dict):
                self._stop_reason = delta.get("stop_reason")
                self._stop_sequence = delta.get("stop_sequence")
            self.usage = self.usage.merged(Usage.from_anthropic(data.get("usage")))
        return False

    def _delta(self, index: int, delta: Any) -> bool:
        block = self._blocks.setdefault(index, {})
        if not isinstance(delta, dict):
            return False
        kind = delta.get("type")
        if kind == "text_delta":
            block["text"] = block.get("text", "") + str(delta.get("text", ""))
        elif kind == "thinking_delta":
            block["thinking"] = block.get("thinking", "") + str(delta.get("thinking", ""))
        elif kind == "signature_delta":
            block["signature"] = str(delta.get("signature", ""))
            return False
        elif kind == "input_json_delta":
            self._json[index] = self._json.get(index, "") + str(delta.get("partial_json", ""))
        return True

    def result(self, timings: Timings) -> Message:
        """The accumulated message."""
        body = {
            **self._start,
            "content": [self._blocks[i] for i in sorted(self._blocks)],
            "stop_reason": self._stop_reason,
            "stop_sequence": self._stop_sequence,
            "usage": {
                "input_tokens": self.usage.input_tokens,
                "cache_creation_input_tokens": self.usage.cache_creation_input_tokens,
                "cache_read_input_tokens": self.usage.cache_read_input_tokens,
                "output_tokens": self.usage.output_tokens,
            },
        }
        return Message.from_dict(body, timings)


class ChatAccumulator:
    """Assembles a :class:`ChatCompletion` from ``chat.completion.chunk`` events."""

    def __init__(self) -> None:
        self.usage = Usage()
        self._id = ""
        self._model = ""
        self._text: list[str] = []
        self._finish: str | None = None
        self._raw_usage: dict[str, Any] | None = None

    def parse(self, sse: SSEEvent) -> ChatChunk | None:
        """The typed chunk; None for ``[DONE]``; an error payload raises."""
        if sse.data.strip() == "[DONE]":
            return None
        data = _json(sse)
        if sse.event == "error" or "error" in data:
            raise error_from_event(data)
        return ChatChunk(data)

    def feed(self, event: ChatChunk) -> bool:
        """Apply ``event``; True when it carried content."""
        self._id = self._id or str(event.data.get("id") or "")
        self._model = self._model or str(event.data.get("model") or "")
        if event.finish_reason is not None:
            self._finish = event.finish_reason
        usage = event.data.get("usage")
        if isinstance(usage, dict):
            self._raw_usage = usage
            self.usage = Usage.from_openai(usage)
        text = event.text
        if text:
            self._text.append(text)
        return bool(text)

    def result(self, timings: Timings) -> ChatCompletion:
        """The accumulated completion."""
        body: dict[str, Any] = {
            "id": self._id,
            "object": "chat.completion",
            "model": self._model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "".join(self._text)},
                    "finish_reason": self._finish,
                }
            ],
        }
        if self._raw_usage is not None:
            body["usage"] = self._raw_usage
        return ChatCompletion.from_dict(body, timings)


class ResponseAccumulator:
    """Assembles a :class:`Response` from Responses API events (the final one carries it all)."""

    _TERMINAL = frozenset({"response.completed", "response.incomplete"})

    def __init__(self) -> None:
        self.usage = Usage()
        self._text: list[str] = []
        self._final: dict[str, Any] | None = None

    def parse(self, sse: SSEEvent) -> ResponseEvent | None:
        """The typed event; ``error`` and ``response.failed`` raise :class:`GatewayError`."""
        data = _json(sse)
        kind = str(data.get("type") or sse.event or "")
        if kind == "error" or (kind == "message" and "error" in data):
            raise error_from_event(data)
        if kind == "response.failed":
            response = data.get("response")
            error = response.get("error") if isinstance(response, dict) else None
            raise error_from_event({"error": error if isinstance(error, dict) else {}})
        return ResponseEvent(kind, data)

    def feed(self, event: ResponseEvent) -> bool:
        """Apply ``event``; True when it carried output text."""
        if event.type in self._TERMINAL:
            response = event.data.get("response")
            if isinstance(response, dict):
                self._final = response
                self.usage = Usage.from_responses(response.get("usage"))
        text = event.text
        if text:
            self._text.append(text)
        return bool(text)

    def result(self, timings: Timings) -> Response:
        """The final response (its text from the deltas when the stream was cut short)."""
        if self._final is not None:
            return Response.from_dict(self._final, timings)
        partial = {
            "status": "incomplete",
            "output": [{"content": [{"type": "output_text", "text": "".join(self._text)}]}],
        }
        return Response.from_dict(partial, timings)


class StreamState(Generic[E, F_co]):
    """Timing and accumulation shared by the sync and async stream wrappers."""

    def __init__(self, accumulator: Accumulator[E, F_co], started: float) -> None:
        self.accumulator = accumulator
        self.started = started
        self.first_token: float | None = None
        self.finished: float | None = None

    def timings(self) -> Timings:
        """Timings so far (total up to the end of the stream once it ended)."""
        end = self.finished if self.finished is not None else self.started
        ttft = None if self.first_token is None else self.first_token - self.started
        return Timings(
            total=end - self.started, ttft=ttft, output_tokens=self.accumulator.usage.output_tokens
        )
