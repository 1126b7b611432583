"""GatewayClient: the blocking client (notebooks, scripts)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, overload

import httpx

from aigw_sdk.client._core import (
    DEFAULT_TIMEOUT,
    Call,
    ClientCore,
    Health,
    connection_error,
    parse_chat,
    parse_embeddings,
    parse_health,
    parse_message,
    parse_metrics,
    parse_models,
    parse_rerank,
    parse_response,
    raise_for_status,
)
from aigw_sdk.client.accumulate import ChatAccumulator, MessageAccumulator, ResponseAccumulator
from aigw_sdk.client.metrics import GatewayMetrics
from aigw_sdk.client.streaming import ChatStream, MessageStream, ResponseStream, Stream
from aigw_sdk.client.types import ChatCompletion, Embeddings, Message, Model, Rerank, Response

if TYPE_CHECKING:
    import anthropic
    import openai


class GatewayClient:
    """Talk to a gateway in both API styles: ``messages()`` (Anthropic) and ``chat()`` (OpenAI).

    ``admin_url`` (the admin port) enables :meth:`health` and :meth:`metrics`; ``api_key`` is
    sent as a bearer token, for gateways that authenticate clients.
    """

    def __init__(
        self,
        base_url: str,
        *,
        admin_url: str | None = None,
        api_key: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self._core = ClientCore(base_url, admin_url, api_key)
        self._http = httpx.Client(timeout=timeout)

    @property
    def base_url(self) -> str:
        """The gateway's data-plane URL."""
        return self._core.base_url

    @property
    def admin_url(self) -> str | None:
        """The gateway's admin URL, if known."""
        return self._core.admin_url

    @overload
    def messages(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        max_tokens: int | None,
        stream: Literal[False] = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Message: ...
    @overload
    def messages(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        max_tokens: int | None,
        stream: Literal[True],
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> MessageStream: ...
    def messages(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        max_tokens: int | None,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Message | MessageStream:
        """``POST /anthropic/v1/messages``. ``max_tokens=None`` leaves it out (the API's 400).

        Extra keywords (``system``, ``temperature``, ``tools``, …) go into the body as given;
        ``extra_headers`` are added to the request (e.g. ``x-sim-status`` for the simulator).
        """
        call = self._core.messages(model, messages, max_tokens, stream, extra, extra_headers)
        if stream:
            response, started = self._open(call)
            return Stream(response, MessageAccumulator(), started)
        response, started = self._send(call)
        return parse_message(response, started)

    @overload
    def chat(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        stream: Literal[False] = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> ChatCompletion: ...
    @overload
    def chat(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        stream: Literal[True],
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> ChatStream: ...
    def chat(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> ChatCompletion | ChatStream:
        """``POST /v1/chat/completions`` (OpenAI style; streams include the usage chunk)."""
        call = self._core.chat(model, messages, stream, extra, extra_headers)
        if stream:
            response, started = self._open(call)
            return Stream(response, ChatAccumulator(), started)
        response, started = self._send(call)
        return parse_chat(response, started)

    def embeddings(
        self,
        *,
        model: str,
        input: str | list[str],
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Embeddings:
        """``POST /v1/embeddings``: one float vector per input (``dimensions=`` etc. as extras)."""
        call = self._core.embeddings(model, input, extra, extra_headers)
        response, _ = self._send(call)
        return parse_embeddings(response)

    @overload
    def responses(
        self,
        *,
        model: str,
        input: str | list[dict[str, Any]],
        stream: Literal[False] = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Response: ...
    @overload
    def responses(
        self,
        *,
        model: str,
        input: str | list[dict[str, Any]],
        stream: Literal[True],
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> ResponseStream: ...
    def responses(
        self,
        *,
        model: str,
        input: str | list[dict[str, Any]],
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Response | ResponseStream:
        """``POST /v1/responses`` (OpenAI Responses API); ``stream=True`` yields its events."""
        call = self._core.responses(model, input, stream, extra, extra_headers)
        if stream:
            response, started = self._open(call)
            return Stream(response, ResponseAccumulator(), started)
        response, started = self._send(call)
        return parse_response(response, started)

    def rerank(
        self,
        *,
        model: str,
        query: str,
        documents: list[str],
        top_n: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Rerank:
        """``POST /cohere/v2/rerank``: documents by relevance to ``query``."""
        call = self._core.rerank(model, query, documents, top_n, extra, extra_headers)
        response, _ = self._send(call)
        return parse_rerank(response)

    def list_models(self) -> list[Model]:
        """``GET /v1/models``: the models the gateway's routes match exactly."""
        response, _ = self._send(self._core.models())
        return parse_models(response)

    def health(self) -> Health:
        """``GET /health`` on the admin port."""
        response, _ = self._send(self._core.admin("/health"))
        return parse_health(response)

    def metrics(self) -> GatewayMetrics:
        """``GET /metrics`` on the admin port, parsed."""
        response, _ = self._send(self._core.admin("/metrics"))
        return parse_metrics(response)

    def anthropic_client(self, **kwargs: Any) -> anthropic.Anthropic:
        """An official ``anthropic.Anthropic`` pointed at ``{base_url}/anthropic``."""
        import anthropic

        return anthropic.Anthropic(**self._core.official_kwargs("/anthropic", kwargs))

    def openai_client(self, **kwargs: Any) -> openai.OpenAI:
        """An official ``openai.OpenAI`` pointed at ``{base_url}/v1``."""
        import openai

        return openai.OpenAI(**self._core.official_kwargs("/v1", kwargs))

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> GatewayClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GatewayClient{self._core!r}"

    def _send(self, call: Call) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        try:
            response = self._http.send(self._core.build(self._http, call))
        except httpx.TransportError as exc:
            raise connection_error(call, exc) from None
        return response, started

    def _open(self, call: Call) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        try:
            response = self._http.send(self._core.build(self._http, call), stream=True)
        except httpx.TransportError as exc:
            raise connection_error(call, exc) from None
        if response.status_code >= 400:
            try:
                response.read()
            finally:
                response.close()
            raise_for_status(response)
        return response, started
