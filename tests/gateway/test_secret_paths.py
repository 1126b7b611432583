"""No secret on any path: echoed credentials are masked, `/config` masks every credential header,
a Secret's validation error does not quote its values."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from aigw_sdk.models import Secret
from gateway.redaction import Redactor, is_credential_header
from gateway.serving import ServerThread
from tests.gateway.gw_helpers import ANTHROPIC_HEADERS, Stack, anthropic_body, provider, route, rule

CANARY = "sk-canary-0123456789abcdef"


class EchoingUpstream:
    """Answers with the credential it received quoted in a header and in the body (or stream)."""

    def __init__(self, status: int, stream: bool = False) -> None:
        self.status = status
        self.stream = stream

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        headers = dict(scope["headers"])
        key = headers.get(b"x-api-key") or headers.get(b"authorization", b"").split(b" ")[-1]
        content_type = b"text/event-stream" if self.stream else b"application/json"
        await send(
            {"type": "http.response.start", "status": self.status,
             "headers": [(b"content-type", content_type), (b"x-echo", b"got " + key)]}
        )  # fmt: skip
        if not self.stream:
            body = b'{"type":"error","error":{"type":"authentication_error","message":"bad key '
            await send({"type": "http.response.body", "body": body + key + b'"}}'})
            return
        half = len(key) // 2
        parts = [
            b'event: message_start\ndata: {"type":"message_start","message":{"id":"' + key[:half],
            key[half:] + b'","model":"m","usage":{"input_tokens":1,"output_tokens":0}}}\n\n',
            b'event: message_stop\ndata: {"type":"message_stop"}\n\n',
        ]
        for part in parts:
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b""})


@pytest.mark.parametrize("schema", ["Anthropic", "OpenAI"])
def test_an_echoed_key_never_reaches_the_client(stack: Stack, schema: str) -> None:
    with ServerThread([(EchoingUpstream(401), "127.0.0.1", 0)]) as server:
        stack.serve(
            provider("up", schema, server.ports[0], key=CANARY),
            route("r", [rule("m", ["up"])]),
        )
        url = f"{stack.url}/anthropic/v1/messages"
        response = httpx.post(url, json=anthropic_body("m"), headers=ANTHROPIC_HEADERS)
    assert response.status_code == 401
    assert CANARY not in response.text and "***" in response.text
    assert response.headers["x-echo"] == "got ***"


def test_a_key_split_across_stream_chunks_is_masked(stack: Stack) -> None:
    with ServerThread([(EchoingUpstream(200, stream=True), "127.0.0.1", 0)]) as server:
        stack.serve(
            provider("up", "Anthropic", server.ports[0], key=CANARY),
            route("r", [rule("m", ["up"])]),
        )
        with httpx.stream(
            "POST",
            f"{stack.url}/anthropic/v1/messages",
            json=anthropic_body("m", stream=True),
            headers=ANTHROPIC_HEADERS,
        ) as response:
            raw = b"".join(response.iter_raw())
    assert CANARY.encode() not in raw
    assert b'"id":"***"' in raw and raw.endswith(b'data: {"type":"message_stop"}\n\n')


def test_redactor_holds_back_only_a_possible_secret_start() -> None:
    redactor = Redactor(["Bearer " + CANARY, "abc"])
    assert redactor.feed(b"data: x\n\n") == b"data: x\n\n"
    assert redactor.feed(b"id: sk-can") == b"id: "
    assert redactor.feed(b"ary-0123456789abcdef and sk") == b"*** and "
    assert redactor.flush() == b"sk"
    assert not Redactor(["ab"])  # too short to mask without mangling text


def test_config_masks_every_credential_header(stack: Stack) -> None:
    secret_headers = {
        "authorization": "Bearer a-secret-1",
        "proxy-authorization": "Basic a-secret-2",
        "x-goog-api-key": "a-secret-3",
        "x-custom-token": "a-secret-4",
        "x-client-secret": "a-secret-5",
        "x-my-key": "a-secret-6",
    }
    stack.serve(
        provider(
            "up", "Anthropic", stack.sim_port, header_set={**secret_headers, "x-team": "blue"}
        ),
        route("r", [rule("m", ["up"])]),
    )
    with stack.admin() as admin:
        text = admin.get("/config").text
    assert "a-secret-" not in text and "sim-test-key" not in text
    assert '"x-team","value":"blue"' in text.replace(" ", "")
    assert all(is_credential_header(name) for name in secret_headers)
    assert not is_credential_header("x-team") and not is_credential_header("content-type")


def test_a_secrets_validation_error_does_not_quote_its_values() -> None:
    with pytest.raises(ValidationError) as info:
        Secret.model_validate(
            {"metadata": {"name": "s"}, "stringData": {"k": [CANARY]}, "bogus": CANARY}
        )
    assert CANARY not in str(info.value) and CANARY not in repr(info.value)
