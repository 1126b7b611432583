"""Upstream HTTP transport (aiohttp) with upstream's retry and priority fallback (§4.3).

One `UpstreamClient` per process holds one keep-alive `ClientSession`. `open_response` runs the
attempts of one request: each attempt picks a backend, builds its request, and is retried on the
triggers of the rule's BackendTrafficPolicy — only before any response byte reached the client,
since it returns as soon as an acceptable response's headers arrived.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Final, Generic, Literal, TypeVar

import aiohttp

from gateway.routing import AttemptPlan
from gateway.runtime import BackendRef, BackendTarget, Rule

__all__ = [
    "OpenResponse",
    "PreparedRequest",
    "UpstreamBodyTooLarge",
    "UpstreamClient",
    "UpstreamFailure",
    "open_response",
    "read_limited",
]

T = TypeVar("T")
FailureKind = Literal["connect", "reset", "timeout", "no_backend"]
# Envoy's local-reply texts for the same failures.
_RESET_BEFORE_HEADERS: Final = "upstream connect error or disconnect/reset before headers."
_FAILURE_REPLY: Final[dict[FailureKind, tuple[int, str]]] = {
    "connect": (503, f"{_RESET_BEFORE_HEADERS} reset reason: connection failure"),
    "reset": (503, f"{_RESET_BEFORE_HEADERS} reset reason: connection termination"),
    "timeout": (504, "upstream request timeout"),
    "no_backend": (503, "no healthy upstream"),
}


class UpstreamFailure(Exception):
    """No upstream response could be obtained; `status`/`text` are Envoy's local reply."""

    def __init__(self, kind: FailureKind, detail: str = "") -> None:
        status, text = _FAILURE_REPLY[kind]
        super().__init__(f"{text} ({detail})" if detail else text)
        self.kind = kind
        self.status = status
        self.text = text
        self.detail = detail


class UpstreamBodyTooLarge(Exception):
    """A buffered upstream response is larger than the gateway may hold."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"upstream response body exceeds {limit} bytes (max upstream body)")
        self.limit = limit


async def read_limited(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The whole response body; `UpstreamBodyTooLarge` as soon as it passes `limit` bytes."""
    if response.content_length is not None and response.content_length > limit:
        raise UpstreamBodyTooLarge(limit)
    parts: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_any():
        size += len(chunk)
        if size > limit:
            raise UpstreamBodyTooLarge(limit)
        parts.append(chunk)
    return b"".join(parts)


@dataclass(frozen=True, slots=True, repr=False)
class PreparedRequest:
    """What one attempt sends: path under the backend's base URL, headers, body.

    The headers carry the injected credential, so the repr shows header names only.
    """

    path: str
    headers: Mapping[str, str]
    body: bytes

    def __repr__(self) -> str:
        return f"PreparedRequest({self.path!r}, headers={sorted(self.headers)}, {len(self.body)} B)"


@dataclass(slots=True)
class OpenResponse(Generic[T]):
    """An upstream response whose headers arrived; the body is still to be read.

    `attempt` is what `build` returned alongside the request of the accepted attempt (the
    attempt's own state, e.g. its translator).
    """

    response: aiohttp.ClientResponse
    ref: BackendRef
    attempt: T
    attempts: int
    deadline: float | None  # loop time when the attempt (and the request) must be done


class UpstreamClient:
    """The process's upstream session; create it inside the serving event loop."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=0, ttl_dns_cache=300, keepalive_timeout=60)
        self._session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
            timeout=aiohttp.ClientTimeout(total=None),
        )
        return self._session

    async def request(
        self,
        target: BackendTarget,
        prepared: PreparedRequest,
        *,
        total: float | None,
        idle: float | None,
    ) -> aiohttp.ClientResponse:
        """Send one request; return once the response headers arrived."""
        session = self._session or self._open()
        timeout = aiohttp.ClientTimeout(total=total, sock_read=idle)
        path, headers = prepared.path, prepared.headers
        if target.authorizer is not None:  # cloud credentials: signed / authorised per attempt
            headers = dict(headers)
            path = await target.authorizer.authorize(target.base_url, path, headers, prepared.body)
        return await session.request(
            "POST",
            target.base_url + path,
            headers=headers,
            data=prepared.body,
            ssl=target.ssl,
            server_hostname=target.server_hostname,
            timeout=timeout,
            allow_redirects=False,
        )

    async def close(self) -> None:
        """Close pooled connections."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()


def _classify(exc: BaseException) -> FailureKind | None:
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ClientSSLError):
        return "connect"
    if isinstance(exc, asyncio.TimeoutError):
        return "timeout"
    if isinstance(exc, aiohttp.ClientError | OSError):
        return "reset"
    return None


def _attempt_budget(rule: Rule, deadline: float | None, now: float) -> float | None:
    budget = deadline - now if deadline is not None else None
    for limit in (rule.retry.per_try_timeout, rule.backend_request_timeout):
        if limit is not None and (budget is None or limit < budget):
            budget = limit
    return budget


async def open_response(
    client: UpstreamClient,
    rule: Rule,
    build: Callable[[BackendRef], Awaitable[tuple[PreparedRequest, T]]],
) -> OpenResponse[T]:
    """Run attempts until a response is accepted; raise `UpstreamFailure` when none is.

    `build` prepares the request for a chosen backend and returns it with the attempt's state
    (async, so that a credential can be fetched or a request signed); exceptions it raises (e.g.
    a request that cannot be translated) propagate without retrying.
    """
    loop = asyncio.get_running_loop()
    start = loop.time()
    deadline = start + rule.request_timeout if rule.request_timeout is not None else None
    plan = AttemptPlan(rule)
    retry = rule.retry
    while True:
        ref = plan.next_backend()
        if ref is None:
            raise UpstreamFailure("no_backend")
        prepared, attempt = await build(ref)
        now = loop.time()
        budget = _attempt_budget(rule, deadline, now)
        if budget is not None and budget <= 0:
            raise UpstreamFailure("timeout")
        try:
            response = await client.request(
                ref.target, prepared, total=budget, idle=rule.stream_idle_timeout
            )
        except Exception as exc:
            kind = _classify(exc)
            if kind is None:
                raise
            retriable = (
                retry.retries_connect_failure() if kind == "connect" else retry.retries_reset()
            )
            if kind == "timeout" and deadline is not None and loop.time() >= deadline:
                retriable = False  # the whole request timed out, not just this attempt
            if not (retriable and plan.can_retry()):
                raise UpstreamFailure(kind, f"{ref.target.name}: {type(exc).__name__}") from exc
        else:
            if response.status < 400 or not (
                retry.retries_status(response.status) and plan.can_retry()
            ):
                attempt_deadline = None if budget is None else now + budget
                return OpenResponse(response, ref, attempt, plan.attempts, attempt_deadline)
            response.release()
        await _backoff(retry.backoff_base, retry.backoff_max, plan.attempts, deadline, loop.time())


async def _backoff(
    base: float, cap: float, retries: int, deadline: float | None, now: float
) -> None:
    """Envoy's fully jittered exponential back-off, never past the request deadline."""
    delay = random.uniform(0, min(cap, base * (2 ** (retries - 1))))
    if deadline is not None:
        delay = min(delay, max(deadline - now, 0))
    if delay > 0:
        await asyncio.sleep(delay)
