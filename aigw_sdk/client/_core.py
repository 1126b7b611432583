"""The request-building core shared by :class:`GatewayClient` and :class:`AsyncGatewayClient`."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from aigw_sdk.client.errors import GatewayConnectionError, GatewayError, error_for_status
from aigw_sdk.client.metrics import GatewayMetrics
from aigw_sdk.client.types import (
    ChatCompletion,
    Embeddings,
    Message,
    Model,
    Rerank,
    Response,
    Timings,
    Usage,
)

MESSAGES_PATH = "/anthropic/v1/messages"
CHAT_PATH = "/v1/chat/completions"
EMBEDDINGS_PATH = "/v1/embeddings"
RESPONSES_PATH = "/v1/responses"
RERANK_PATH = "/cohere/v2/rerank"
MODELS_PATH = "/v1/models"
ANTHROPIC_VERSION = "2023-06-01"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)


@dataclass(frozen=True, slots=True)
class Health:
    """``GET /health`` of the admin port: ``ok`` when it answered 2xx."""

    ok: bool
    status: int
    detail: dict[str, Any] | str

    def __str__(self) -> str:
        return f"{'healthy' if self.ok else 'unhealthy'} ({self.status})"


@dataclass(frozen=True, slots=True)
class Call:
    """One HTTP call to make: method, absolute URL, JSON body, headers."""

    method: str
    url: str
    body: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


class ClientCore:
    """URLs, headers, request bodies and response parsing; no I/O."""

    def __init__(self, base_url: str, admin_url: str | None, api_key: str | None) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url: expected an http(s) URL, got {base_url!r}")
        if admin_url is not None and not admin_url.startswith(("http://", "https://")):
            raise ValueError(f"admin_url: expected an http(s) URL, got {admin_url!r}")
        self.base_url = base_url.rstrip("/")
        self.admin_url = admin_url.rstrip("/") if admin_url else None
        self._api_key = api_key

    def __repr__(self) -> str:
        key = ", api_key='***'" if self._api_key else ""
        admin = f", admin_url={self.admin_url!r}" if self.admin_url else ""
        return f"(base_url={self.base_url!r}{admin}{key})"

    @property
    def api_key(self) -> str | None:
        """The key sent to the gateway (never shown in reprs)."""
        return self._api_key

    def official_kwargs(self, path: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Constructor arguments of an official SDK client pointed at ``{base_url}{path}``."""
        return {"base_url": self.base_url + path, "api_key": self._api_key or "unused", **kwargs}

    def _auth(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self._api_key}"} if self._api_key else {}

    def messages(
        self,
        model: str,
        messages: list[dict[str, Any]],
        max_tokens: int | None,
        stream: bool,
        extra: dict[str, Any],
        extra_headers: Mapping[str, str] | None = None,
    ) -> Call:
        """``POST /anthropic/v1/messages``; ``max_tokens=None`` omits the field."""
        body: dict[str, Any] = {"model": model, "messages": messages}
        if max_tokens is not None:
            body["max_tokens"] = max_tokens
        if stream:
            body["stream"] = True
        body.update(extra)
        headers = {"anthropic-version": ANTHROPIC_VERSION, **self._auth(), **(extra_headers or {})}
        return Call("POST", self.base_url + MESSAGES_PATH, body, headers)

    def chat(
        self,
        model: str,
        messages: list[dict[str, Any]],
        stream: bool,
        extra: dict[str, Any],
        extra_headers: Mapping[str, str] | None = None,
    ) -> Call:
        """``POST /v1/chat/completions``; streams ask for the usage chunk."""
        body: dict[str, Any] = {"model": model, "messages": messages}
        if stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        body.update(extra)
        return Call(
            "POST", self.base_url + CHAT_PATH, body, {**self._auth(), **(extra_headers or {})}
        )

    def embeddings(
        self,
        model: str,
        inputs: str | list[str],
        extra: dict[str, Any],
        extra_headers: Mapping[str, str] | None = None,
    ) -> Call:
        """``POST /v1/embeddings`` (float vectors)."""
        body: dict[str, Any] = {"model": model, "input": inputs, "encoding_format": "float"}
        body.update(extra)
        return self._post(EMBEDDINGS_PATH, body, extra_headers)

    def responses(
        self,
        model: str,
        inputs: str | list[dict[str, Any]],
        stream: bool,
        extra: dict[str, Any],
        extra_headers: Mapping[str, str] | None = None,
    ) -> Call:
        """``POST /v1/responses``."""
        body: dict[str, Any] = {"model": model, "input": inputs}
        if stream:
            body["stream"] = True
        body.update(extra)
        return self._post(RESPONSES_PATH, body, extra_headers)

    def rerank(
        self,
        model: str,
        query: str,
        documents: list[str],
        top_n: int | None,
        extra: dict[str, Any],
        extra_headers: Mapping[str, str] | None = None,
    ) -> Call:
        """``POST /cohere/v2/rerank``."""
        body: dict[str, Any] = {"model": model, "query": query, "documents": documents}
        if top_n is not None:
            body["top_n"] = top_n
        body.update(extra)
        return self._post(RERANK_PATH, body, extra_headers)

    def _post(
        self, path: str, body: dict[str, Any], extra_headers: Mapping[str, str] | None
    ) -> Call:
        return Call("POST", self.base_url + path, body, {**self._auth(), **(extra_headers or {})})

    def models(self) -> Call:
        """``GET /v1/models``."""
        return Call("GET", self.base_url + MODELS_PATH, None, self._auth())

    def admin(self, path: str) -> Call:
        """``GET`` on the admin port (``/health``, ``/metrics``)."""
        if self.admin_url is None:
            raise ValueError(
                "admin_url: not set; pass GatewayClient(..., admin_url=gateway.admin_url)"
            )
        return Call("GET", self.admin_url + path)

    def build(self, http: httpx.Client | httpx.AsyncClient, call: Call) -> httpx.Request:
        """The httpx request for ``call``."""
        return http.build_request(call.method, call.url, json=call.body, headers=call.headers)


def connection_error(call: Call, exc: httpx.TransportError) -> GatewayConnectionError:
    """The error for a request that never got an answer (no headers, so no key, in it)."""
    return GatewayConnectionError(f"{call.method} {call.url}: {exc}")


def raise_for_status(response: httpx.Response) -> None:
    """Raise the typed :class:`GatewayError` for a non-2xx response whose body was read."""
    if response.status_code >= 400:
        raise error_for_status(response.status_code, response.content, dict(response.headers))


def json_body(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of a 2xx response."""
    raise_for_status(response)
    try:
        data = response.json()
    except ValueError as exc:
        raise GatewayError(
            f"expected a JSON body from {response.request.url.path}, got {response.text[:200]!r}",
            status=response.status_code,
        ) from exc
    if not isinstance(data, dict):
        raise GatewayError(
            f"expected a JSON object from {response.request.url.path}", status=response.status_code
        )
    return data


def parse_message(response: httpx.Response, started: float) -> Message:
    """A non-streamed Messages response, timed from ``started`` (``time.perf_counter()``)."""
    body = json_body(response)
    output = Usage.from_anthropic(body.get("usage")).output_tokens
    return Message.from_dict(body, Timings(time.perf_counter() - started, output_tokens=output))


def parse_chat(response: httpx.Response, started: float) -> ChatCompletion:
    """A non-streamed chat completion, timed from ``started`` (``time.perf_counter()``)."""
    body = json_body(response)
    output = Usage.from_openai(body.get("usage")).output_tokens
    return ChatCompletion.from_dict(
        body, Timings(time.perf_counter() - started, output_tokens=output)
    )


def parse_response(response: httpx.Response, started: float) -> Response:
    """A non-streamed Responses API response, timed from ``started``."""
    body = json_body(response)
    output = Usage.from_responses(body.get("usage")).output_tokens
    return Response.from_dict(body, Timings(time.perf_counter() - started, output_tokens=output))


def parse_embeddings(response: httpx.Response) -> Embeddings:
    """An embeddings list."""
    return Embeddings.from_dict(json_body(response))


def parse_rerank(response: httpx.Response) -> Rerank:
    """A rerank response."""
    return Rerank.from_dict(json_body(response))


def parse_metrics(response: httpx.Response) -> GatewayMetrics:
    """The admin ``/metrics`` answer, parsed."""
    raise_for_status(response)
    return GatewayMetrics.parse(response.text)


def parse_models(response: httpx.Response) -> list[Model]:
    """The ``data`` list of ``/v1/models``."""
    entries = json_body(response).get("data")
    models: list[Model] = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            created = entry.get("created")
            models.append(
                Model(
                    id=entry["id"],
                    owned_by=str(entry.get("owned_by", "")),
                    created=created if isinstance(created, int) else 0,
                )
            )
    return models


def parse_health(response: httpx.Response) -> Health:
    """The admin ``/health`` answer: JSON when it is JSON, else the text."""
    detail: dict[str, Any] | str
    try:
        data = json.loads(response.content)
        detail = data if isinstance(data, dict) else response.text
    except ValueError:
        detail = response.text.strip()
    return Health(ok=200 <= response.status_code < 300, status=response.status_code, detail=detail)
