"""ChatPlayground: a chat with a gateway in either API style, streamed or not (anywidget).

Finished turns live in the ``turns`` trait (what a re-opened notebook shows); a streamed answer
travels as batched custom messages of deltas, at most one per ``throttle`` seconds, so the
browser renders only the answer being written, never the whole history per chunk. Requests run
in a worker thread; Stop closes the stream, which ends the upstream request.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import anywidget
import traitlets as t

from aigw_sdk.client.errors import GatewayError
from aigw_sdk.client.streaming import ChatStream, MessageStream
from aigw_sdk.client.sync_client import GatewayClient
from aigw_sdk.client.types import ChatChunk, ChatCompletion, Message, MessageEvent, Timings
from aigw_sdk.widgets import chat_wire as wire
from aigw_sdk.widgets._frontend import CSS, esm

ToolHandler = Callable[[dict[str, Any]], Any]
MAX_TOOL_ROUNDS = 8


class Stopped(Exception):
    """The user pressed Stop."""


class ChatPlayground(anywidget.AnyWidget):
    """Model (from ``/v1/models``), API style, system prompt and parameters in one row; a
    transcript of bubbles with Markdown, tool calls, images and thinking; a badge per answer.

    ``tools`` are Anthropic tool definitions; with a handler in ``tool_handlers`` (name ->
    function of the input returning the result) a call is answered and the model continues.
    ``extra_headers`` go with every request, ``extra_body`` fields into every body (e.g.
    ``{"thinking": {"type": "enabled", "budget_tokens": 1024}}``). Drive it from code with
    :meth:`ask`.
    """

    _esm = esm("chat")
    _css = CSS

    models = t.List(t.Unicode()).tag(sync=True)
    model = t.Unicode("").tag(sync=True)
    api = t.Enum(("native", "openai"), default_value="native").tag(sync=True)
    system = t.Unicode("").tag(sync=True)
    max_tokens = t.Int(1024, min=1).tag(sync=True)
    temperature = t.Float(1.0, min=0.0, max=2.0).tag(sync=True)
    stream = t.Bool(True).tag(sync=True)
    turns = t.List(t.Dict()).tag(sync=True)
    busy = t.Bool(False).tag(sync=True)
    notice = t.Unicode("").tag(sync=True)
    request_python = t.Unicode("").tag(sync=True)
    request_curl = t.Unicode("").tag(sync=True)

    def __init__(
        self,
        client: GatewayClient | str,
        *,
        models: Sequence[str] | None = None,
        api: str = "native",
        system: str = "",
        max_tokens: int = 1024,
        temperature: float = 1.0,
        stream: bool = True,
        tools: Sequence[dict[str, Any]] = (),
        tool_handlers: Mapping[str, ToolHandler] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        throttle: float = 0.05,
    ) -> None:
        super().__init__(
            api=api, system=system, max_tokens=max_tokens, temperature=temperature, stream=stream
        )
        self.client = client if isinstance(client, GatewayClient) else GatewayClient(client)
        self.tools = list(tools)
        self.tool_handlers = dict(tool_handlers or {})
        self.extra_headers = dict(extra_headers or {})
        self.extra_body = dict(extra_body or {})
        self.throttle = throttle
        self.history: list[dict[str, Any]] = []
        self.last_result: Message | ChatCompletion | None = None
        self.last_error: BaseException | None = None
        self.messages_sent = 0  # custom messages of deltas, for the render-cost benchmark
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._stream: MessageStream | ChatStream | None = None
        self.models = list(models) if models is not None else self._fetch_models()
        self.model = self.models[0] if self.models else ""
        self.on_msg(self._on_front_end)

    # -- display --------------------------------------------------------------------------------
    def __repr__(self) -> str:
        answers = sum(1 for turn in self.turns if turn["role"] == "assistant")
        return (
            f"ChatPlayground(model={self.model!r}, api={self.api!r}, stream={self.stream}, "
            f"answers={answers})"
        )

    # -- actions --------------------------------------------------------------------------------
    def ask(
        self, prompt: str, images: Sequence[wire.Image] = ()
    ) -> Message | ChatCompletion | None:
        """Send ``prompt`` and render the answer (tool calls with handlers are answered and the
        model continues); returns the last answer, or None after an error (shown in the chat,
        kept in ``last_error``) or a Stop."""
        if not prompt.strip() and not images:
            self.notice = "type a message first"
            return None
        with self._lock:
            self._stop.clear()
            self.notice = ""
            self.last_error = None
            self.busy = True
            try:
                self.history.append(wire.user_message(prompt, images))
                images_shown = [{"media_type": i.media_type, "data": i.data} for i in images]
                self._put_turn({"role": "user", "text": prompt, "images": images_shown})
                return self._converse()
            finally:
                self._stream = None
                self.busy = False

    def ask_in_background(self, prompt: str, images: Sequence[wire.Image] = ()) -> threading.Thread:
        """:meth:`ask` from a worker thread (what Enter and Send do); :meth:`wait` joins it."""
        thread = threading.Thread(
            target=self.ask, args=(prompt, images), daemon=True, name="aigw-chat"
        )
        self._thread = thread
        thread.start()
        return thread

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background :meth:`ask` to finish."""
        if self._thread is not None:
            self._thread.join(timeout)

    def stop(self) -> None:
        """Stop the answer being streamed: the connection is closed, so the gateway cancels the
        upstream request; what arrived so far stays in the chat, marked as stopped."""
        self._stop.set()
        stream = self._stream
        if stream is not None:
            stream.close()

    def clear(self) -> None:
        """Forget the conversation."""
        self.stop()
        with self._lock:
            self.history.clear()
            self.turns = []
            self.last_result = None
            self.last_error = None
            self.notice = ""

    def export(self) -> list[dict[str, Any]]:
        """The conversation as shown (what the Export button downloads)."""
        return json.loads(json.dumps(self.turns))  # type: ignore[no-any-return]

    # -- internals ------------------------------------------------------------------------------
    def _on_front_end(self, _widget: object, content: dict[str, Any], _buffers: object) -> None:
        kind = content.get("type")
        if kind == "send" and not self.busy:
            images = [
                wire.Image(str(i.get("media_type", "image/png")), str(i.get("data", "")))
                for i in content.get("images") or []
                if isinstance(i, dict)
            ]
            self.ask_in_background(str(content.get("text", "")), images)
        elif kind == "stop":
            self.stop()
        elif kind == "clear":
            self.clear()

    def _fetch_models(self) -> list[str]:
        try:
            return [m.id for m in self.client.list_models()]
        except GatewayError as exc:
            self.notice = f"models: {exc.message}"
            return []

    def _put_turn(self, turn: dict[str, Any]) -> None:
        """Add a turn, or replace the one with the same id (a new list, so it syncs)."""
        turn = {"id": uuid.uuid4().hex[:12], **turn}
        if any(old["id"] == turn["id"] for old in self.turns):
            self.turns = [turn if old["id"] == turn["id"] else old for old in self.turns]
        else:
            self.turns = [*self.turns, turn]

    def _converse(self) -> Message | ChatCompletion | None:
        result: Message | ChatCompletion | None = None
        for _ in range(MAX_TOOL_ROUNDS):
            turn_id = uuid.uuid4().hex[:12]
            try:
                result, content = self._request(turn_id)
            except Stopped as stopped:
                partial = cast(wire.PartCollector, stopped.args[0])
                blocks = partial.partial_blocks()
                text = "".join(b["text"] for b in blocks if b["type"] == "text")
                if text:
                    answer = [{"type": "text", "text": text}]
                    self.history.append({"role": "assistant", "content": answer})
                else:
                    self.history.pop()  # nothing came back: the question is not in the history
                self._put_turn(
                    {"id": turn_id, "role": "assistant", "blocks": blocks, "stopped": True}
                )
                return None
            except (GatewayError, ValueError, OSError) as exc:
                self.history.pop()  # the failed request's last message, so one can try again
                self.last_error = exc
                self._put_turn(
                    {"id": turn_id, "role": "assistant", "blocks": [], "error": _error(exc)}
                )
                return None
            self.last_result = result
            self.history.append({"role": "assistant", "content": content})
            turn: dict[str, Any] = {
                "id": turn_id,
                "role": "assistant",
                "blocks": wire.display_blocks(content),
                "badge": _badge(result, self.model),
            }
            self._put_turn(turn)
            calls = [b for b in content if b.get("type") == "tool_use"]
            if not calls or any(c.get("name") not in self.tool_handlers for c in calls):
                return result
            results = {
                call_id: (text, error) for call_id, text, error in map(self._run_tool, calls)
            }
            blocks = [
                {**b, "result": results[b["id"]][0], "is_error": results[b["id"]][1]}
                if b["type"] == "tool_use" and b.get("id") in results
                else b
                for b in turn["blocks"]
            ]
            self._put_turn({**turn, "blocks": blocks})
            self.history.append(wire.tool_results([(i, *r) for i, r in results.items()]))
        return result

    def _run_tool(self, call: dict[str, Any]) -> tuple[str, str, bool]:
        handler = self.tool_handlers[str(call["name"])]
        arguments = call.get("input")
        try:
            value = handler(arguments if isinstance(arguments, dict) else {})
        except Exception as exc:  # the tool's own failure goes back to the model as an error
            return str(call.get("id", "")), f"{type(exc).__name__}: {exc}", True
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        return str(call.get("id", "")), text, False

    def _body(self) -> dict[str, Any]:
        if not self.model:
            raise ValueError("model: no model selected (the gateway lists none)")
        body: dict[str, Any] = {"model": self.model, "max_tokens": self.max_tokens}
        body["temperature"] = float(self.temperature)
        if self.api == "native":
            if self.system.strip():
                body["system"] = self.system.strip()
            body["messages"] = [dict(m) for m in self.history]
            if self.tools:
                body["tools"] = self.tools
        else:
            body["messages"] = wire.openai_messages(self.history, self.system.strip())
            if self.tools:
                body["tools"] = wire.openai_tools(self.tools)
        return {**body, **self.extra_body}

    def _request(self, turn_id: str) -> tuple[Message | ChatCompletion, list[dict[str, Any]]]:
        body = self._body()
        api = cast(wire.Api, self.api)
        base = self.client.base_url
        shown = {**body, "stream": True} if self.stream else body
        self.request_python = wire.as_python(api, base, shown, self.extra_headers)
        self.request_curl = wire.as_curl(api, base, shown, self.extra_headers)
        args = {k: v for k, v in body.items() if k not in ("model", "messages", "max_tokens")}
        common = {
            "model": body["model"],
            "messages": body["messages"],
            "extra_headers": self.extra_headers,
        }
        if not self.stream:
            final: Message | ChatCompletion
            if api == "native":
                final = self.client.messages(max_tokens=body["max_tokens"], **common, **args)
            else:
                final = self.client.chat(max_tokens=body["max_tokens"], **common, **args)
            return final, wire.assistant_content(final, None)
        stream: MessageStream | ChatStream
        if api == "native":
            stream = self.client.messages(
                max_tokens=body["max_tokens"], stream=True, **common, **args
            )
        else:
            stream = self.client.chat(max_tokens=body["max_tokens"], stream=True, **common, **args)
        collector = wire.PartCollector()
        final = self._pump(turn_id, stream, collector)
        return final, wire.assistant_content(final, collector if api == "openai" else None)

    def _pump(
        self, turn_id: str, stream: MessageStream | ChatStream, collector: wire.PartCollector
    ) -> Message | ChatCompletion:
        self._stream = stream
        self._emit({"type": "start", "id": turn_id})
        pending: list[dict[str, Any]] = []
        last = 0.0  # the first text goes out at once; then at most one message per throttle
        try:
            with stream:
                for event in stream:
                    if self._stop.is_set():
                        raise Stopped(collector)
                    if isinstance(event, MessageEvent):
                        pending += collector.native(event)
                    elif isinstance(event, ChatChunk):
                        pending += collector.openai(event)
                    now = time.perf_counter()
                    if pending and now - last >= self.throttle:
                        self._emit({"type": "delta", "id": turn_id, "parts": pending})
                        pending, last = [], now
        except Stopped:
            raise
        except Exception as exc:
            if self._stop.is_set():
                raise Stopped(collector) from exc
            raise
        if self._stop.is_set():
            raise Stopped(collector)
        if pending:
            self._emit({"type": "delta", "id": turn_id, "parts": pending})
        return stream.final

    def _emit(self, content: dict[str, Any]) -> None:
        self.messages_sent += 1
        self.send(content)


def _badge(result: Message | ChatCompletion, model: str) -> dict[str, Any]:
    usage = result.usage
    timings: Timings | None = result.timings
    return {
        "model": result.model or model,
        "input_tokens": usage.total_input_tokens,
        "output_tokens": usage.output_tokens,
        "cache_read_input_tokens": usage.cache_read_input_tokens,
        "cache_creation_input_tokens": usage.cache_creation_input_tokens,
        "ttft_ms": None if timings is None or timings.ttft is None else round(timings.ttft * 1000),
        "latency_ms": None if timings is None else round(timings.total * 1000),
        "stop_reason": result.stop_reason if isinstance(result, Message) else result.finish_reason,
    }


def _error(error: BaseException) -> dict[str, str]:
    if isinstance(error, GatewayError):
        title = type(error).__name__ + (f" ({error.status})" if error.status is not None else "")
        message = f"{error.error_type}: {error.message}" if error.error_type else error.message
        return {"title": title, "message": message, "hint": error.hint or ""}
    return {"title": type(error).__name__, "message": str(error), "hint": ""}
