"""A raw-socket upstream that misbehaves on purpose: refuse, reset, hang, garbage, enormous, cut
stream, and a stream event that never ends.

Plain blocking sockets in threads, so nothing an HTTP library would normalise hides the fault.
Each connection reads one request (headers and a Content-Length body), then acts out `mode`.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from typing import Literal

Mode = Literal[
    "refuse", "reset", "hang", "garbage", "enormous", "enormous-chunked", "cut", "endless-event"
]
ENORMOUS = 8 * 1024 * 1024


class FaultUpstream:
    """`with FaultUpstream("reset") as up: ... up.port ...`; `mode` may change between requests."""

    def __init__(self, mode: Mode) -> None:
        self.mode: Mode = mode
        self.requests = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._connections: list[socket.socket] = []
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> FaultUpstream:
        if self.mode == "refuse":
            self._listener.close()  # nothing listens on the port any more
            return self
        self._listener.listen(64)
        self._start(self._accept)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        _close(self._listener)
        for conn in list(self._connections):
            _close(conn)
        for thread in self._threads:
            thread.join(5)

    def _start(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._connections.append(conn)
            self._start(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        try:
            if not _read_request(conn):
                return
            self.requests += 1
            mode = self.mode
            if mode == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif mode == "hang":
                self._stop.wait()
            elif mode == "garbage":
                conn.sendall(b"\x00\xffthis is not HTTP at all\r\n\r\n")
            elif mode in ("enormous", "enormous-chunked"):
                self._send_enormous(conn, chunked=mode == "enormous-chunked")
            elif mode == "cut":
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                    b"transfer-encoding: chunked\r\n\r\n"
                )
                event = b'event: message_start\ndata: {"type":"message_st'
                conn.sendall(b"%x\r\n%s\r\n" % (len(event), event))
            elif mode == "endless-event":
                self._send_endless_event(conn)
        except OSError:
            pass
        finally:
            _close(conn)

    def _send_enormous(self, conn: socket.socket, *, chunked: bool) -> None:
        head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        head += b"transfer-encoding: chunked\r\n\r\n" if chunked else b"content-length: %d\r\n\r\n"
        if not chunked:
            head = head % ENORMOUS
        conn.sendall(head)
        block = b"x" * 65536
        for _ in range(ENORMOUS // len(block)):
            if self._stop.is_set():
                return
            conn.sendall(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
        if chunked:
            conn.sendall(b"0\r\n\r\n")

    def _send_endless_event(self, conn: socket.socket) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"transfer-encoding: chunked\r\n\r\n"
        )
        first = b"event: message_start\ndata: "
        conn.sendall(b"%x\r\n%s\r\n" % (len(first), first))
        block = b"x" * 65536  # one line that never ends
        for _ in range(ENORMOUS // len(block)):
            if self._stop.is_set():
                return
            conn.sendall(b"%x\r\n%s\r\n" % (len(block), block))


def _read_request(conn: socket.socket) -> bool:
    """Read one request's headers and Content-Length body; False if the peer went away."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        body += chunk
    return True


def _close(sock: socket.socket) -> None:
    """Close `sock`, waking a thread blocked on it (close alone does not, on Linux)."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
