"""HTTP requests to the API server through the official client's ``ApiClient``.

The 37.x client has no server-side-apply helper, so every call is built with
``param_serialize`` and sent with ``call_api``; bodies come back as plain JSON dicts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import urllib3
from kubernetes import client

from aigw_sdk.apply.errors import APIError, ClusterError

JSON = dict[str, Any]
Query = Sequence[tuple[str, str]]
APPLY_PATCH = "application/apply-patch+yaml"
MERGE_PATCH = "application/merge-patch+json"
REQUEST_TIMEOUT = 30.0


class Transport:
    """Sends requests to one API server and turns error ``Status`` bodies into :class:`APIError`."""

    def __init__(self, configuration: client.Configuration) -> None:
        self._api = client.ApiClient(configuration)
        self.host = str(configuration.host)

    def close(self) -> None:
        """Release the connection pool."""
        self._api.close()  # type: ignore[no-untyped-call]

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Query = (),
        body: JSON | None = None,
        content_type: str = "application/json",
    ) -> JSON:
        """Send one request and return the decoded JSON body."""
        response = self._send(method, path, query, body, content_type, REQUEST_TIMEOUT)
        data = response.read()
        if not 200 <= response.status <= 299:
            raise _api_error(response.status, data)
        decoded = json.loads(data) if data else {}
        return decoded if isinstance(decoded, dict) else {"items": decoded}

    def watch(self, path: str, query: Query, timeout_seconds: int) -> Iterator[JSON]:
        """Stream watch events until the server closes the watch (``timeoutSeconds``)."""
        params = [*query, ("watch", "true"), ("timeoutSeconds", str(timeout_seconds))]
        response = self._send("GET", path, params, None, None, (10.0, timeout_seconds + 10.0))
        raw = response.response
        try:
            if not 200 <= response.status <= 299:
                raise _api_error(response.status, response.read())
            buffer = b""
            for chunk in raw.stream(4096, decode_content=True):
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    if line.strip():
                        yield json.loads(line)
            if buffer.strip():
                yield json.loads(buffer)
        finally:
            # A watch left early still streams: drop its connection rather than reuse it.
            raw.close()
            raw.release_conn()

    def _send(
        self,
        method: str,
        path: str,
        query: Query,
        body: JSON | None,
        content_type: str | None,
        timeout: float | tuple[float, float],
    ) -> Any:
        headers = {"Accept": "application/json"}
        if content_type is not None and body is not None:
            headers["Content-Type"] = content_type
        request = self._api.param_serialize(
            method,
            path,
            query_params=list(query) or None,
            header_params=headers,
            body=body,
            auth_settings=["BearerToken"],
        )
        try:
            return self._api.call_api(*request, _request_timeout=timeout)
        except urllib3.exceptions.HTTPError as exc:
            raise ClusterError(f"cannot reach the API server at {self.host}: {exc}") from exc


def _api_error(status: int, data: bytes | None) -> APIError:
    try:
        body = json.loads(data or b"{}")
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    details = body.get("details") or {}
    causes = details.get("causes") or [] if isinstance(details, dict) else []
    message = body.get("message") or (data or b"").decode(errors="replace").strip()
    return APIError(status, str(body.get("reason") or ""), str(message), causes)
