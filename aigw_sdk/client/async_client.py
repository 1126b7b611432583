"""AsyncGatewayClient: the anyio/asyncio twin of :class:`GatewayClient`."""

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
from aigw_sdk.client.streaming import (
    AsyncChatStream,
    AsyncMessageStream,
    AsyncResponseStream,
    AsyncStream,
)
from aigw_sdk.client.types import ChatCompletion, Embeddings, Message, Model, Rerank, Response

if TYPE_CHECKING:
    import anthropic
    import openai


class AsyncGatewayClient:
    """Async gateway client: ``await client.messages(...)``; streams are async iterators.

    Same arguments and results as :class:`~aigw_sdk.client.GatewayClient`.
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
        self._http = httpx.AsyncClient(timeout=timeout)

    @property
    def base_url(self) -> str:
        """The gateway's data-plane URL."""
        return self._core.base_url

    @property
    def admin_url(self) -> str | None:
        """The gateway's admin URL, if known."""
        return self._core.admin_url

    @overload
    async def messages(
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
    async def messages(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        max_tokens: int | None,
        stream: Literal[True],
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> AsyncMessageStream: ...
    async def messages(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        max_tokens: int | None,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Message | AsyncMessageStream:
        """``POST /anthropic/v1/messages``. ``max_tokens=None`` leaves it out (the API's 400).

        Extra keywords (``system``, ``temperature``, ``tools``, …) go into the body as given;
        ``extra_headers`` are added to the request (e.g. ``x-sim-status`` for the simulator).
        """
        call = self._core.messages(model, messages, max_tokens, stream, extra, extra_headers)
        if stream:
            response, started = await self._open(call)
            return AsyncStream(response, MessageAccumulator(), started)
        response, started = await self._send(call)
        return parse_message(response, started)

    @overload
    async def chat(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        stream: Literal[False] = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> ChatCompletion: ...
    @overload
    async def chat(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        stream: Literal[True],
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> AsyncChatStream: ...
    async def chat(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> ChatCompletion | AsyncChatStream:
        """``POST /v1/chat/completions`` (OpenAI style; streams include the usage chunk)."""
        call = self._core.chat(model, messages, stream, extra, extra_headers)
        if stream:
            response, started = await self._open(call)
            return AsyncStream(response, ChatAccumulator(), started)
        response, started = await self._send(call)
        return parse_chat(response, started)

    async def embeddings(
        self,
        *,
        model: str,
        input: str | list[str],
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Embeddings:
        """``POST /v1/embeddings``: one float vector per input (``dimensions=`` etc. as extras)."""
        call = self._core.embeddings(model, input, extra, extra_headers)
        response, _ = await self._send(call)
        return parse_embeddings(response)

    @overload
    async def responses(
        self,
        *,
        model: str,
        input: str | list[dict[str, Any]],
        stream: Literal[False] = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Response: ...
    @overload
    async def responses(
        self,
        *,
        model: str,
        input: str | list[dict[str, Any]],
        stream: Literal[True],
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> AsyncResponseStream: ...
    async def responses(
        self,
        *,
        model: str,
        input: str | list[dict[str, Any]],
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Response | AsyncResponseStream:
        """``POST /v1/responses`` (OpenAI Responses API); ``stream=True`` yields its events."""
        call = self._core.responses(model, input, stream, extra, extra_headers)
        if stream:
            response, started = await self._open(call)
            return AsyncStream(response, ResponseAccumulator(), started)
        response, started = await self._send(call)
        return parse_response(response, started)

    async def rerank(
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
        response, _ = await self._send(call)
        return parse_rerank(response)

    async def list_models(self) -> list[Model]:
        """``GET /v1/models``: the models the gateway's routes match exactly."""
        response, _ = await self._send(self._core.models())
        return parse_models(response)

    async def health(self) -> Health:
        """``GET /health`` on the admin port."""
        response, _ = await self._send(self._core.admin("/health"))
        return parse_health(response)

    async def metrics(self) -> GatewayMetrics:
        """``GET /metrics`` on the admin port, parsed."""
        response, _ = await self._send(self._core.admin("/metrics"))
        return parse_metrics(response)

    def anthropic_client(self, **kwargs: Any) -> anthropic.AsyncAnthropic:
        """An official ``anthropic.AsyncAnthropic`` pointed at ``{base_url}/anthropic``."""
        import anthropic

        return anthropic.AsyncAnthropic(**self._core.official_kwargs("/anthropic", kwargs))

    def openai_client(self, **kwargs: Any) -> openai.AsyncOpenAI:
        """An official ``openai.AsyncOpenAI`` pointed at ``{base_url}/v1``."""
        import openai

        return openai.AsyncOpenAI(**self._core.official_kwargs("/v1", kwargs))

    async def close(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncGatewayClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"AsyncGatewayClient{self._core!r}"

    async def _send(self, call: Call) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        try:
            response = await self._http.send(self._core.build(self._http, call))
        except httpx.TransportError as exc:
            raise connection_error(call, exc) from None
        return response, started

    async def _open(self, call: Call) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        try:
            response = await self._http.send(self._core.build(self._http, call), stream=True)
        except httpx.TransportError as exc:
            raise connection_error(call, exc) from None
        if response.status_code >= 400:
            try:
                await response.aread()
            finally:
                await response.aclose()
            raise_for_status(response)
        return response, started
