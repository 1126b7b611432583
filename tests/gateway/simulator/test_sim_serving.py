"""gateway.serving: `serve()` under anyio, `ServerThread`, and the raw-ASGI helpers."""

from __future__ import annotations

import socket

import anyio
import httpx
import pytest

from gateway.serving import (
    ClientDisconnected,
    Receive,
    RequestBodyTooLarge,
    Scope,
    Send,
    ServerThread,
    get_header,
    read_body,
    send_response,
    serve,
)


async def echo_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Echoes the body; 413 over 16 bytes; the `x-tag` header comes back as `x-tag`."""
    try:
        body = await read_body(receive, limit=16)
    except RequestBodyTooLarge as exc:
        await send_response(send, 413, str(exc).encode(), content_type=b"text/plain")
        return
    except ClientDisconnected:
        return
    tag = get_header(scope, b"x-tag") or b"none"
    await send_response(send, 200, body, content_type=b"text/plain", headers=[(b"x-tag", tag)])


def refused(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.anyio
async def test_serve_until_cancelled() -> None:
    ports: list[int] = []
    async with anyio.create_task_group() as tg:

        async def run() -> None:
            await serve(echo_app, ready=ports.append)

        tg.start_soon(run)
        with anyio.fail_after(10):
            while not ports:
                await anyio.sleep(0.01)
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"http://127.0.0.1:{ports[0]}/", content=b"hello", headers={"x-tag": "t1"}
            )
        assert response.text == "hello" and response.headers["x-tag"] == "t1"
        assert response.headers["content-length"] == "5"
        tg.cancel_scope.cancel()
    assert refused(ports[0])


def test_server_thread_serves_several_apps_and_stops() -> None:
    thread = ServerThread([(echo_app, "127.0.0.1", 0), (echo_app, "127.0.0.1", 0)])
    ports = thread.start()
    try:
        assert len(set(ports)) == 2
        for port in ports:
            response = httpx.post(f"http://127.0.0.1:{port}/", content=b"abc")
            assert response.text == "abc" and response.headers["x-tag"] == "none"
    finally:
        thread.stop()
    thread.stop()
    assert all(refused(port) for port in ports)


def test_body_limit_and_chunked_body() -> None:
    with ServerThread([(echo_app, "127.0.0.1", 0)]) as thread:
        url = f"http://127.0.0.1:{thread.ports[0]}/"

        def chunks(parts: list[bytes]):  # type: ignore[no-untyped-def]
            yield from parts

        joined = httpx.post(url, content=chunks([b"ab", b"cd", b"ef"]))
        assert joined.status_code == 200 and joined.text == "abcdef"
        too_big = httpx.post(url, content=chunks([b"x" * 10, b"y" * 10]))
        assert too_big.status_code == 413 and "16 bytes" in too_big.text


def test_start_raises_when_port_is_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        thread = ServerThread([(echo_app, "127.0.0.1", 0), (echo_app, "127.0.0.1", port)])
        with pytest.raises(OSError):
            thread.start()
        thread.stop()


def test_server_thread_rejects_no_apps() -> None:
    with pytest.raises(ValueError, match="apps"):
        ServerThread([])


@pytest.mark.anyio
async def test_server_thread_inside_a_running_loop() -> None:
    with ServerThread([(echo_app, "127.0.0.1", 0)]) as thread:
        async with httpx.AsyncClient() as client:
            response = await client.post(f"http://127.0.0.1:{thread.ports[0]}/", content=b"in-loop")
    assert response.text == "in-loop"
