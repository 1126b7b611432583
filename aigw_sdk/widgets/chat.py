"""ChatPlayground: an ipywidgets chat against a gateway, in either API style, streamed or not.

Requests run in a worker thread; the widget changes only through trait assignments (which
ipykernel sends from any thread), never through ``with output:`` blocks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from html import escape
from typing import Any, Literal

from aigw_sdk.client.errors import GatewayError
from aigw_sdk.client.streaming import ChatStream, MessageStream
from aigw_sdk.client.sync_client import GatewayClient
from aigw_sdk.client.types import ChatCompletion, Message, Timings, Usage
from aigw_sdk.widgets._ipw import error_html, ipywidgets, mimebundle

Style = Literal["native", "openai"]
_TURN = "<div style='margin:4px 0'><b>{who}</b><div style='white-space:pre-wrap'>{text}</div></div>"


class ChatPlayground:
    """Model picker (from ``/v1/models``), API style, system prompt, max_tokens, temperature,
    stream toggle, a transcript that fills in as tokens arrive, then usage / TTFT / latency.

    Drive it from code with :meth:`send` (blocking) or the Send button (background thread).
    """

    def __init__(
        self,
        client: GatewayClient | str,
        *,
        models: Sequence[str] | None = None,
        system: str = "",
        max_tokens: int = 256,
        temperature: float = 1.0,
        stream: bool = True,
        throttle: float = 0.05,
    ) -> None:
        w = ipywidgets()
        self.client = client if isinstance(client, GatewayClient) else GatewayClient(client)
        self.throttle = throttle
        self.history: list[dict[str, str]] = []
        self.last_result: Message | ChatCompletion | None = None
        self.last_error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

        self.error = w.HTML(value="").add_class("aigw-chat-error")
        names = list(models) if models is not None else self._fetch_models()
        self.model = w.Dropdown(options=names, description="model")
        self.style = w.ToggleButtons(
            options=[("native (Anthropic)", "native"), ("OpenAI-compatible", "openai")],
            value="native",
            description="API",
            style={"description_width": "initial"},
        )
        self.system = w.Textarea(value=system, placeholder="system prompt", description="system")
        self.max_tokens = w.BoundedIntText(
            value=max_tokens, min=1, max=200_000, description="max_tokens"
        )
        self.temperature = w.FloatSlider(
            value=temperature,
            min=0.0,
            max=1.0,
            step=0.05,
            description="temperature",
            style={"description_width": "initial"},
        )
        self.stream = w.Checkbox(value=stream, description="stream")
        self.prompt = w.Textarea(placeholder="Ask something…", description="you").add_class(
            "aigw-chat-prompt"
        )
        self.send_button = w.Button(description="Send", button_style="primary").add_class(
            "aigw-chat-send"
        )
        self.clear_button = w.Button(description="Clear")
        self.transcript = w.HTML(value="").add_class("aigw-chat-transcript")
        self.stats = w.HTML(value="").add_class("aigw-chat-stats")
        self.send_button.on_click(lambda _button: self.send_in_background())
        self.clear_button.on_click(lambda _button: self.clear())
        settings = w.HBox([self.style, self.stream])
        controls = w.HBox([self.send_button, self.clear_button])
        self.widget = w.VBox(
            [
                self.model,
                settings,
                self.system,
                w.HBox([self.max_tokens, self.temperature]),
                self.transcript,
                self.prompt,
                controls,
                self.stats,
                self.error,
            ]
        ).add_class("aigw-chat")

    # -- display --------------------------------------------------------------------------------
    def __repr__(self) -> str:
        return (
            f"ChatPlayground(model={self.model.value!r}, style={self.style.value!r}, "
            f"stream={self.stream.value}, turns={len(self.history) // 2})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return mimebundle(self.widget, repr(self), **kwargs)

    # -- actions --------------------------------------------------------------------------------
    def send(self, prompt: str | None = None) -> Message | ChatCompletion | None:
        """Send ``prompt`` (default: the prompt box) and render the answer; returns it, or None
        when the gateway answered with an error (shown in the widget, kept in ``last_error``)."""
        text = self.prompt.value if prompt is None else prompt
        if not text.strip():
            self.error.value = error_html(ValueError("prompt: type a message first"))
            return None
        with self._lock:
            self.prompt.value = ""
            self.error.value = ""
            self.last_error = None
            self.send_button.disabled = True
            self.history.append({"role": "user", "content": text})
            try:
                result = self._request()
            except (GatewayError, ValueError) as exc:
                self.history.pop()
                self.last_error = exc
                self.error.value = error_html(exc)
                self._render()
                return None
            finally:
                self.send_button.disabled = False
            self.history.append({"role": "assistant", "content": result.text})
            self.last_result = result
            self._render()
            self.stats.value = _stats_html(result.usage, result.timings)
            return result

    def send_in_background(self, prompt: str | None = None) -> threading.Thread:
        """Send from a worker thread (what the Send button does); :meth:`wait` joins it."""
        text = self.prompt.value if prompt is None else prompt
        thread = threading.Thread(target=self.send, args=(text,), daemon=True, name="aigw-chat")
        self._thread = thread
        thread.start()
        return thread

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background send to finish."""
        if self._thread is not None:
            self._thread.join(timeout)

    def clear(self) -> None:
        """Forget the conversation."""
        self.history.clear()
        self.last_result = None
        self.transcript.value = ""
        self.stats.value = ""
        self.error.value = ""

    # -- internals ------------------------------------------------------------------------------
    def _fetch_models(self) -> list[str]:
        try:
            return [m.id for m in self.client.list_models()]
        except GatewayError as exc:
            self.error.value = error_html(exc)
            return []

    def _request(self) -> Message | ChatCompletion:
        model = self.model.value
        if not model:
            raise ValueError("model: no model selected (the gateway lists none)")
        messages = [dict(m) for m in self.history]
        common: dict[str, Any] = {"temperature": float(self.temperature.value)}
        system = self.system.value.strip()
        if self.style.value == "native":
            if system:
                common["system"] = system
            if not self.stream.value:
                message: Message = self.client.messages(
                    model=model, messages=messages, max_tokens=self.max_tokens.value, **common
                )
                return message
            stream = self.client.messages(
                model=model,
                messages=messages,
                max_tokens=self.max_tokens.value,
                stream=True,
                **common,
            )
            return self._pump(stream)
        if system:
            messages.insert(0, {"role": "system", "content": system})
        common["max_tokens"] = self.max_tokens.value
        if not self.stream.value:
            completion: ChatCompletion = self.client.chat(model=model, messages=messages, **common)
            return completion
        chat_stream = self.client.chat(model=model, messages=messages, stream=True, **common)
        return self._pump(chat_stream)

    def _pump(self, stream: MessageStream | ChatStream) -> Message | ChatCompletion:
        parts: list[str] = []
        last = 0.0
        with stream:
            for event in stream:
                if event.text:
                    parts.append(event.text)
                    now = time.perf_counter()
                    if now - last >= self.throttle:
                        last = now
                        self._render("".join(parts))
        return stream.final

    def _render(self, partial: str | None = None) -> None:
        turns = [
            _TURN.format(
                who="you" if m["role"] == "user" else "assistant", text=escape(m["content"])
            )
            for m in self.history
        ]
        if partial is not None:
            turns.append(_TURN.format(who="assistant", text=escape(partial) + " ▌"))
        self.transcript.value = "".join(turns)


def _stats_html(usage: Usage, timings: Timings | None) -> str:
    parts = [f"input {usage.total_input_tokens} tokens", f"output {usage.output_tokens} tokens"]
    if usage.cache_read_input_tokens:
        parts.append(f"cache read {usage.cache_read_input_tokens}")
    if usage.cache_creation_input_tokens:
        parts.append(f"cache write {usage.cache_creation_input_tokens}")
    if timings is not None:
        if timings.ttft is not None:
            parts.append(f"TTFT {timings.ttft * 1000:.0f} ms")
        parts.append(f"latency {timings.total * 1000:.0f} ms")
        if timings.tokens_per_second is not None:
            parts.append(f"{timings.tokens_per_second:.0f} tokens/s")
    return "<span style='color:#555'>" + " · ".join(parts) + "</span>"
