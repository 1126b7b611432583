"""Test helpers for the local gateway: a simulator + gateway stack and bundle builders."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import anthropic
import httpx
import openai

from aigw_sdk.bundle import Bundle
from aigw_sdk.models import AIGatewayRoute, BackendTrafficPolicy, ObjectMeta, Resource
from aigw_sdk.presets import Provider
from gateway.app import BackgroundLoop, GatewayService
from gateway.config import compile_config

SIM_KEY = "sim-test-key-0123"
MODEL_HEADER = "x-ai-eg-model"


def provider(
    name: str,
    schema: str,
    port: int,
    *,
    key: str = SIM_KEY,
    header_set: dict[str, str] | None = None,
    header_remove: Sequence[str] = (),
    body_set: dict[str, str] | None = None,
    namespace: str = "default",
    version: str | None = None,
) -> list[Resource]:
    """AIServiceBackend, policy, Backend and Secret for a plain-HTTP upstream on 127.0.0.1:port."""
    upstream = Provider(name, schema, "127.0.0.1", key, port=port, tls=False, version=version)  # type: ignore[arg-type]
    resources: list[Resource] = list(upstream.resources(namespace))
    service = resources[0]
    data = service.spec.to_dict()  # type: ignore[attr-defined]
    if header_set or header_remove:
        data["headerMutation"] = {
            "set": [{"name": k, "value": v} for k, v in (header_set or {}).items()],
            "remove": list(header_remove),
        }
    if body_set:
        data["bodyMutation"] = {"set": [{"path": k, "value": v} for k, v in body_set.items()]}
    service.spec = type(service.spec).model_validate(data)  # type: ignore[attr-defined]
    return resources


def rule(
    model: str | None,
    refs: Iterable[dict[str, Any] | str],
    *,
    headers: dict[str, str] | None = None,
    regex: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """A rule matching `x-ai-eg-model` (Exact, or RegularExpression) plus extra exact headers."""
    matches: list[dict[str, str]] = []
    if model is not None:
        kind = "RegularExpression" if regex else "Exact"
        matches.append({"type": kind, "name": MODEL_HEADER, "value": model})
    for name, value in (headers or {}).items():
        matches.append({"name": name, "value": value})
    out: dict[str, Any] = {
        "backendRefs": [{"name": r} if isinstance(r, str) else r for r in refs],
        **extra,
    }
    if matches:
        out["matches"] = [{"headers": matches}]
    return out


def route(
    name: str,
    rules: list[dict[str, Any]],
    *,
    namespace: str = "default",
    created: str | None = None,
    **spec: Any,
) -> AIGatewayRoute:
    """An AIGatewayRoute with these rules."""
    meta = ObjectMeta(name=name, namespace=namespace, creation_timestamp=created)
    return AIGatewayRoute(metadata=meta, spec={"rules": rules, **spec})


def retry_policy(route_name: str, **retry: Any) -> BackendTrafficPolicy:
    """A BackendTrafficPolicy `retry` targeting the route's HTTPRoute."""
    return BackendTrafficPolicy(
        metadata=ObjectMeta(name=route_name, namespace="default"),
        spec={
            "targetRefs": [
                {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": route_name}
            ],
            "retry": retry,
        },
    )


@dataclass
class Stack:
    """The simulator and (once `serve` is called) a gateway, in one background loop."""

    loop: BackgroundLoop
    sim_port: int
    service: GatewayService | None = None
    url: str = ""
    admin_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sim_url(self) -> str:
        return f"http://127.0.0.1:{self.sim_port}"

    def serve(self, *resources: Resource | Iterable[Resource], **kwargs: Any) -> Stack:
        """Start a gateway serving these resources (flattened)."""
        config = compile_config(_flatten(resources))
        self.service = GatewayService(config, admin_token="admin-token", **kwargs)
        port, admin = self.loop.start_gateway(self.service)
        self.url = f"http://127.0.0.1:{port}"
        self.admin_url = f"http://127.0.0.1:{admin}"
        return self

    def reload(self, *resources: Resource | Iterable[Resource]) -> None:
        """Swap the served configuration in place."""
        assert self.service is not None
        self.service.plane.config = compile_config(_flatten(resources))

    def sim_stats(self) -> dict[str, Any]:
        data: dict[str, Any] = httpx.get(f"{self.sim_url}/_sim/stats").json()
        return data

    def sim_reset(self) -> None:
        httpx.post(f"{self.sim_url}/_sim/reset")

    def admin(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.admin_url, headers={"authorization": "Bearer admin-token"}
        )


def _flatten(items: Iterable[Resource | Iterable[Resource]]) -> Bundle:
    bundle = Bundle()
    for item in items:
        if isinstance(item, Resource):
            bundle.add(item)
        else:
            bundle.add(*item)
    return bundle


def anthropic_body(
    model: str = "claude-sonnet-4-5", text: str = "hello", **extra: Any
) -> dict[str, Any]:
    """A minimal Messages request."""
    return {
        "model": model,
        "max_tokens": 64,
        "messages": [{"role": "user", "content": text}],
        **extra,
    }


ANTHROPIC_HEADERS = {"anthropic-version": "2023-06-01", "x-api-key": "client-key-never-forwarded"}


class RecordingUpstream:
    """A raw ASGI upstream: records each request and answers with fixed bytes, in given chunks."""

    def __init__(
        self,
        chunks: Sequence[bytes],
        *,
        status: int = 200,
        content_type: bytes = b"application/json",
        hold: bool = False,
    ) -> None:
        self.chunks = list(chunks)
        self.status = status
        self.content_type = content_type
        self.hold = hold  # after the chunks, wait for the client to go away
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.disconnects = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.requests.append((scope["path"], headers, body))
        await send(
            {"type": "http.response.start", "status": self.status,
             "headers": [(b"content-type", self.content_type), (b"x-upstream", b"recording")]}
        )  # fmt: skip
        for chunk in self.chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if self.hold:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.disconnects += 1
            return
        await send({"type": "http.response.body", "body": b""})


def access_lines(stack: Stack) -> list[dict[str, Any]]:
    """Every access-log entry the stack's gateway kept (oldest first)."""
    assert stack.service is not None
    return [record.to_dict() for record in stack.service.telemetry.recent.latest()]


def access_line(stack: Stack) -> dict[str, Any]:
    """The last access-log entry (complete once the client has its last byte)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = access_lines(stack)
        if lines:
            return lines[-1]
        time.sleep(0.01)
    raise AssertionError("no access-log line was written")


# Official SDK clients made by tests; the autouse fixture in conftest.py closes them.
SDK_CLIENTS: list[anthropic.Anthropic | openai.OpenAI] = []


def sdk_anthropic(stack: Stack) -> anthropic.Anthropic:
    """The official anthropic client aimed at the gateway (closed after the test)."""
    client = anthropic.Anthropic(
        base_url=f"{stack.url}/anthropic", api_key="client-key", max_retries=0
    )
    SDK_CLIENTS.append(client)
    return client


def sdk_openai(stack: Stack) -> openai.OpenAI:
    """The official openai client aimed at the gateway (closed after the test)."""
    client = openai.OpenAI(base_url=f"{stack.url}/v1", api_key="client-key", max_retries=0)
    SDK_CLIENTS.append(client)
    return client
