"""HTTP routing for the test API server (``http.server``, HTTP/1.1, JSON bodies)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import discovery
from .errors import ApiError, bad_request
from .operations import ObjectAPI, Target, WriteOptions
from .resources import Registry, ResourceType
from .selectors import field_matcher, label_matcher
from .store import Store

JSON = dict[str, Any]


@dataclass
class ServerState:
    """What every request handler needs."""

    registry: Registry
    store: Store
    api: ObjectAPI
    token: str | None
    stopping: threading.Event


@dataclass(frozen=True)
class Route:
    """A resource request: the type, namespace (None = all / cluster), name and subresource."""

    rtype: ResourceType
    namespace: str | None
    name: str | None
    subresource: str


def _not_found_path() -> ApiError:
    return ApiError(404, "NotFound", "the server could not find the requested resource")


class Handler(BaseHTTPRequestHandler):
    """Serves discovery and resource requests against ``state``."""

    protocol_version = "HTTP/1.1"
    # Without this each response waits for the client's delayed ACK (Nagle): ~45 ms a request.
    disable_nagle_algorithm = True
    state: ServerState

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read Status bodies, not access logs."""

    # -- plumbing ------------------------------------------------------------------------
    def _query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query)

    def _param(self, name: str, default: str = "") -> str:
        values = self._query().get(name)
        return values[-1] if values else default

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, code: int, body: JSON, warnings: list[str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for warning in warnings or []:
            self.send_header("Warning", f'299 - "{warning.replace(chr(34), chr(92) + chr(34))}"')
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        token = self.state.token
        if token is None or self.headers.get("Authorization") == f"Bearer {token}":
            return True
        self._send(401, ApiError(401, "Unauthorized", "Unauthorized").status())
        return False

    def _dispatch(self, method: str) -> None:
        body = self._body()
        if not self._authorised():
            return
        try:
            self._handle(method, body)
        except ApiError as exc:
            self._send(exc.code, exc.status())
        except Exception as exc:  # an internal bug: answer like the API server would
            error = ApiError(500, "InternalError", f"Internal error occurred: {exc!r}")
            self._send(500, error.status())

    def do_GET(self) -> None:
        """GET / LIST / WATCH and discovery."""
        self._dispatch("GET")

    def do_POST(self) -> None:
        """Create."""
        self._dispatch("POST")

    def do_PUT(self) -> None:
        """Replace (main resource or status)."""
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        """Merge / JSON / apply patches."""
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        """Delete one object or a collection."""
        self._dispatch("DELETE")

    # -- routing -------------------------------------------------------------------------
    def _handle(self, method: str, body: bytes) -> None:
        segments = [s for s in urlsplit(self.path).path.split("/") if s]
        doc = self._discovery(segments) if method == "GET" else None
        if doc is not None:
            self._send(200, doc)
            return
        route = self._route(segments)
        if route is None:
            raise _not_found_path()
        self._resource(method, route, body)

    def _discovery(self, segments: list[str]) -> JSON | None:
        registry = self.state.registry
        if segments == ["version"]:
            return discovery.VERSION_INFO
        if segments == ["api"]:
            return discovery.core_versions()
        if segments == ["api", "v1"]:
            return discovery.resource_list(registry, "", "v1")
        if segments == ["apis"]:
            return discovery.group_list(registry)
        if len(segments) == 2 and segments[0] == "apis":
            return discovery.group(registry, segments[1]) or _raise(_not_found_path())
        if len(segments) == 3 and segments[0] == "apis":
            found = discovery.resource_list(registry, segments[1], segments[2])
            return found or _raise(_not_found_path())
        return None

    def _route(self, segments: list[str]) -> Route | None:
        if segments[:2] == ["api", "v1"]:
            group, version, rest = "", "v1", segments[2:]
        elif len(segments) > 3 and segments[0] == "apis":
            group, version, rest = segments[1], segments[2], segments[3:]
        else:
            return None
        registry = self.state.registry
        namespace: str | None = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            candidate = registry.lookup(group, version, rest[2])
            if candidate is not None and candidate.namespaced:
                namespace, rest = rest[1], rest[2:]
        rtype = registry.lookup(group, version, rest[0])
        if rtype is None or len(rest) > 3:
            return None
        name = rest[1] if len(rest) > 1 else None
        sub = rest[2] if len(rest) > 2 else ""
        if sub and (sub != "status" or not rtype.has_status):
            return None
        if rtype.namespaced and name is not None and namespace is None:
            return None
        return Route(rtype, namespace if rtype.namespaced else None, name, sub)

    def _options(self, body: JSON | None = None) -> WriteOptions:
        query = self._query()
        dry_run = query.get("dryRun", []) + list((body or {}).get("dryRun") or [])
        if any(d != "All" for d in dry_run):
            raise bad_request(f'Unsupported dryRun value: supported values: "All" ({dry_run})')
        agent = (self.headers.get("User-Agent") or "unknown").split("/")[0][:128]
        validation = self._param("fieldValidation", "Warn")
        if validation not in ("Strict", "Warn", "Ignore"):
            raise bad_request(
                f'fieldValidation: Unsupported value: "{validation}": supported values: '
                '"Ignore", "Strict", "Warn"'
            )
        apply = self.command == "PATCH" and self._is_apply()
        manager = self._param("fieldManager")
        return WriteOptions(
            manager=manager if apply else manager or agent,
            dry_run=bool(dry_run),
            field_validation=validation,
            force=apply and self._param("force").lower() in ("true", "1"),
        )

    def _is_apply(self) -> bool:
        return (self.headers.get("Content-Type") or "").split(";")[
            0
        ] == "application/apply-patch+yaml"

    def _resource(self, method: str, route: Route, body: bytes) -> None:
        api = self.state.api
        rtype = route.rtype
        target = Target(rtype, route.namespace or "", route.name or "")
        if route.name is None:
            if method == "GET":
                if self._param("watch") in ("true", "1"):
                    self._watch(route)
                else:
                    self._send(200, api.list(rtype, route.namespace, self._matcher()))
            elif method == "POST":
                if rtype.namespaced and route.namespace is None:
                    raise _not_found_path()
                opts = self._options()
                created = api.create(rtype, route.namespace or "", _parse_json(body), opts)
                self._send(201, created, opts.warnings)
            elif method == "DELETE":
                self._delete_collection(route, body)
            else:
                raise ApiError(
                    405,
                    "MethodNotAllowed",
                    "the server does not allow this method on the requested resource",
                )
            return
        if method == "GET":
            self._send(200, api.get(target))
        elif method == "PUT":
            opts = self._options()
            self._send(
                200, api.replace(target, _parse_json(body), opts, route.subresource), opts.warnings
            )
        elif method == "PATCH":
            opts = self._options()
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            existed = api.store.get(target.key) is not None
            result = api.patch(target, content_type, body, opts, route.subresource)
            code = 201 if self._is_apply() and not existed and not opts.dry_run else 200
            self._send(code, result, opts.warnings)
        elif method == "DELETE":
            options = _parse_json(body) if body else {}
            self._send(200, api.delete(target, self._options(options)))
        else:
            raise ApiError(
                405,
                "MethodNotAllowed",
                "the server does not allow this method on the requested resource",
            )

    def _matcher(self) -> Any:
        labels = label_matcher(self._param("labelSelector"))
        fields = field_matcher(self._param("fieldSelector"))
        return lambda obj: labels(obj) and fields(obj)

    def _delete_collection(self, route: Route, body: bytes) -> None:
        api = self.state.api
        opts = self._options(_parse_json(body) if body else {})
        listed = api.list(route.rtype, route.namespace, self._matcher())
        for item in listed["items"]:
            meta = item["metadata"]
            api.delete(Target(route.rtype, meta.get("namespace", ""), meta["name"]), opts)
        self._send(200, listed)

    # -- watch ---------------------------------------------------------------------------
    def _watch(self, route: Route) -> None:
        store, rtype = self.state.store, route.rtype
        match = self._matcher()
        timeout = float(self._param("timeoutSeconds") or 1800)
        deadline = time.monotonic() + timeout
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        start = self._param("resourceVersion")
        with store.lock:
            if start in ("", "0"):
                since = store.resource_version
                listed = self.state.api.list(rtype, route.namespace, match)["items"]
                initial = [{"type": "ADDED", "object": o} for o in listed]
            else:
                since, initial = int(start), []
        try:
            for initial_event in initial:
                self._chunk(initial_event)
            while not self.state.stopping.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                with store.changed:
                    events = [*store.events_after(since, (rtype.group, rtype.plural))]
                    if not events:
                        store.changed.wait(min(remaining, 0.25))
                        continue
                for event in events:
                    since = event.rv
                    if route.namespace is not None and event.namespace != route.namespace:
                        continue
                    obj = dict(event.obj, apiVersion=rtype.api_version, kind=rtype.kind)
                    if match(obj):
                        self._chunk({"type": event.type, "object": obj})
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _chunk(self, event: JSON) -> None:
        data = json.dumps(event).encode() + b"\n"
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


def _raise(error: ApiError) -> JSON:
    raise error


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except ValueError as exc:
        raise bad_request(f"couldn't get version/kind; json parse error: {exc}") from exc
