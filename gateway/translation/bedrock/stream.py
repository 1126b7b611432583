"""Bedrock event streams -> Anthropic stream events (dicts), decoded incrementally.

Two upstream shapes carry a Claude-style stream over AWS event-stream framing:

* **ConverseStream**: `messageStart`, `contentBlockStart`, `contentBlockDelta`,
  `contentBlockStop`, `messageStop`, `metadata` (usage comes last, after `messageStop`).
  `ConverseEvents` rebuilds Anthropic's `message_start` … `message_stop` sequence from them;
  text and reasoning blocks, which Converse opens implicitly with their first delta, get an
  explicit `content_block_start`.
* **InvokeModelWithResponseStream** (AWSAnthropic): each `chunk` event's payload is
  `{"bytes": base64(<Anthropic stream event JSON>)}`; `InvokeEvents` unwraps them.

An `exception` message becomes an Anthropic `error` event. Both classes raise nothing on bad
upstream bytes: corrupt framing becomes an `error` event and ends the stream.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from gateway.translation._json import loads
from gateway.translation.bedrock.response import converse_usage, stop_reason
from gateway.translation.cloud_errors import exception_error_type
from gateway.translation.eventstream import EventMessage, EventStreamDecoder, EventStreamError

__all__ = ["ConverseEvents", "InvokeEvents"]

Event = dict[str, Any]


def _error_event(error_type: str, message: str) -> Event:
    return {"type": "error", "error": {"type": error_type, "message": message}}


def _payload(message: EventMessage) -> dict[str, Any] | None:
    try:
        value = loads(message.payload)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class _BedrockEvents:
    """Shared framing, exception handling and the done flag."""

    def __init__(self) -> None:
        self._decoder = EventStreamDecoder()
        self.done = False

    def feed(self, chunk: bytes) -> list[Event]:
        """Anthropic events for the event-stream bytes received so far."""
        if self.done:
            return []
        try:
            messages = self._decoder.feed(chunk)
        except EventStreamError as exc:
            self.done = True
            return [_error_event("api_error", f"malformed upstream event stream: {exc}")]
        events: list[Event] = []
        for message in messages:
            if self.done:
                break
            if message.message_type != "event":
                body = _payload(message) or {}
                text = body.get("message") or body.get("Message") or "upstream error"
                self.done = True
                events.append(_error_event(exception_error_type(message.event_type), str(text)))
                continue
            payload = _payload(message)
            if payload is None:
                self.done = True
                events.append(_error_event("api_error", "upstream sent a malformed stream event"))
                continue
            events += self._event(message.event_type or "", payload)
        return events

    def _event(self, event_type: str, payload: dict[str, Any]) -> list[Event]:
        raise NotImplementedError


class InvokeEvents(_BedrockEvents):
    """InvokeModelWithResponseStream `chunk` events -> the Anthropic events they wrap."""

    def _event(self, event_type: str, payload: dict[str, Any]) -> list[Event]:
        if event_type != "chunk":
            return []
        try:
            inner = loads(base64.b64decode(str(payload.get("bytes", "")), validate=True))
        except (binascii.Error, ValueError):
            inner = None
        if not isinstance(inner, dict):
            self.done = True
            return [_error_event("api_error", "upstream sent a malformed stream chunk")]
        # Bedrock adds its own invocation metrics to the last event; clients never see them.
        inner.pop("amazon-bedrock-invocationMetrics", None)
        if inner.get("type") == "message_stop":
            self.done = True
        return [inner]


class ConverseEvents(_BedrockEvents):
    """ConverseStream events -> Anthropic stream events for one message."""

    def __init__(self, *, model: str, message_id: str) -> None:
        super().__init__()
        self._model = model
        self._id = message_id
        self._open: dict[int, str] = {}  # block index -> Anthropic block type
        self._stop: str | None = None

    @property
    def stopped(self) -> bool:
        """Whether `messageStop` arrived (the stream may still carry `metadata`)."""
        return self._stop is not None

    def finish(self) -> list[Event]:
        """Upstream EOF: close the message if `messageStop` came without `metadata`."""
        if self.done or self._stop is None:
            return []
        return self._close({})

    def _event(self, event_type: str, payload: dict[str, Any]) -> list[Event]:
        if event_type == "messageStart":
            return [self._message_start()]
        if event_type == "contentBlockStart":
            return self._block_start(payload)
        if event_type == "contentBlockDelta":
            return self._block_delta(payload)
        if event_type == "contentBlockStop":
            index = _index(payload)
            if self._open.pop(index, None) is None:
                return []
            return [{"type": "content_block_stop", "index": index}]
        if event_type == "messageStop":
            self._stop = stop_reason(payload.get("stopReason"))
            closes = [{"type": "content_block_stop", "index": i} for i in sorted(self._open)]
            self._open.clear()
            return closes
        if event_type == "metadata":
            return self._close(payload.get("usage"))
        return []

    def _message_start(self) -> Event:
        return {
            "type": "message_start",
            "message": {
                "id": self._id,
                "type": "message",
                "role": "assistant",
                "model": self._model,
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": 0, "output_tokens": 0},
            },
        }

    def _block_start(self, payload: dict[str, Any]) -> list[Event]:
        start = payload.get("start")
        tool = start.get("toolUse") if isinstance(start, dict) else None
        if not isinstance(tool, dict):
            return []
        index = _index(payload)
        self._open[index] = "tool_use"
        block = {
            "type": "tool_use",
            "id": str(tool.get("toolUseId", "")),
            "name": str(tool.get("name", "")),
            "input": {},
        }
        return [{"type": "content_block_start", "index": index, "content_block": block}]

    def _opened(self, index: int, kind: str) -> list[Event]:
        if index in self._open:
            return []
        self._open[index] = kind
        block: dict[str, Any] = (
            {"type": "text", "text": ""}
            if kind == "text"
            else {"type": "thinking", "thinking": "", "signature": ""}
        )
        return [{"type": "content_block_start", "index": index, "content_block": block}]

    def _block_delta(self, payload: dict[str, Any]) -> list[Event]:
        delta = payload.get("delta")
        if not isinstance(delta, dict):
            return []
        index = _index(payload)
        if isinstance(delta.get("text"), str):
            text = _delta(index, {"type": "text_delta", "text": delta["text"]})
            return [*self._opened(index, "text"), text]
        tool = delta.get("toolUse")
        if isinstance(tool, dict):
            return [
                _delta(index, {"type": "input_json_delta", "partial_json": tool.get("input", "")})
            ]
        reasoning = delta.get("reasoningContent")
        if isinstance(reasoning, dict):
            events = self._opened(index, "thinking")
            if isinstance(reasoning.get("text"), str):
                events.append(
                    _delta(index, {"type": "thinking_delta", "thinking": reasoning["text"]})
                )
            if isinstance(reasoning.get("signature"), str):
                events.append(
                    _delta(index, {"type": "signature_delta", "signature": reasoning["signature"]})
                )
            return events
        return []

    def _close(self, usage: object) -> list[Event]:
        self.done = True
        return [
            {
                "type": "message_delta",
                "delta": {"stop_reason": self._stop or "end_turn", "stop_sequence": None},
                "usage": converse_usage(usage),
            },
            {"type": "message_stop"},
        ]


def _index(payload: dict[str, Any]) -> int:
    index = payload.get("contentBlockIndex")
    return index if isinstance(index, int) else 0


def _delta(index: int, delta: dict[str, Any]) -> Event:
    return {"type": "content_block_delta", "index": index, "delta": delta}
