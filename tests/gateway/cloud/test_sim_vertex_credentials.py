"""Vertex routes through google-genai and anthropic[vertex]; credentials minted by the simulator."""

from __future__ import annotations

import json
from typing import Any

import anthropic
import anyio
import httpx
import pytest
from google import genai
from google.genai import errors as genai_errors
from google.genai import types
from google.oauth2.credentials import Credentials as GoogleCredentials
from pydantic import SecretStr

from gateway.credentials import (
    AWSSigner,
    CredentialError,
    Expiring,
    GCPAuth,
    GCPEndpoints,
    OIDCClient,
    RefreshingCache,
)
from tests.gateway.cloud.conftest import AUTH

PROJECT = "aigw-sim-project"
REGION = "us-central1"


def _oidc(url: str, secret: str = AUTH.oidc_client_secret) -> OIDCClient:
    return OIDCClient(
        issuer=f"{url}/_sim/oidc", client_id=AUTH.oidc_client_id, client_secret=SecretStr(secret)
    )


def _service_account_token(url: str) -> str:
    key = httpx.get(f"{url}/_sim/gcp/service-account-key").text
    auth = GCPAuth.from_service_account_key(key, PROJECT, REGION)
    return anyio.run(auth.authorization)[len("Bearer ") :]


def _genai(url: str, token: str) -> genai.Client:
    return genai.Client(
        vertexai=True,
        project=PROJECT,
        location=REGION,
        credentials=GoogleCredentials(token),
        http_options=types.HttpOptions(base_url=url, api_version="v1"),
    )


def test_google_genai_generate_and_stream(sim_url: str) -> None:
    client = _genai(sim_url, _service_account_token(sim_url))
    answer = client.models.generate_content(
        model="gemini-2.5-flash",
        contents="Hello there",
        config=types.GenerateContentConfig(system_instruction="Be kind.", max_output_tokens=200),
    )
    assert answer.text is not None and answer.text.startswith(
        "[system: Be kind.] Simulated reply to: Hello there."
    )
    assert answer.candidates and answer.candidates[0].finish_reason == types.FinishReason.STOP
    assert answer.usage_metadata and answer.usage_metadata.prompt_token_count
    chunks = list(
        client.models.generate_content_stream(model="gemini-2.5-flash", contents="Hello there")
    )
    assert len(chunks) > 2 and "".join(
        c.text or "" for c in chunks
    ) == "Simulated reply to: Hello there. " + (
        "this reply is generated deterministically by the aigw sdk simulator so that notebooks and "
        "tests can assert on every word"
    )


def test_google_genai_function_calling(sim_url: str) -> None:
    client = _genai(sim_url, _service_account_token(sim_url))
    tool = types.Tool(
        function_declarations=[
            types.FunctionDeclaration(
                name="get_weather",
                parameters=types.Schema(
                    type=types.Type.OBJECT,
                    properties={"city": types.Schema(type=types.Type.STRING)},
                ),
            )
        ]
    )
    answer = client.models.generate_content(
        model="gemini-1.5-pro",
        contents="what does get_weather say",
        config=types.GenerateContentConfig(
            tools=[tool],
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        ),
    )
    assert answer.function_calls and answer.function_calls[0].name == "get_weather"
    assert answer.function_calls[0].args == {"city": "sample city"}


def test_invalid_token_gets_googles_401(sim_url: str) -> None:
    client = _genai(sim_url, "ya29.forged")
    with pytest.raises(genai_errors.ClientError) as info:
        client.models.generate_content(model="gemini-2.5-flash", contents="x")
    assert info.value.code == 401 and info.value.status == "UNAUTHENTICATED"


def test_anthropic_vertex_client(sim_url: str) -> None:
    token = _service_account_token(sim_url)
    with anthropic.AnthropicVertex(
        project_id=PROJECT,
        region=REGION,
        access_token=token,
        base_url=f"{sim_url}/v1",
        max_retries=0,
    ) as client:
        message = client.messages.create(
            model="claude-sonnet-4@20250514",
            max_tokens=64,
            messages=[{"role": "user", "content": "Hello"}],
        )
        assert message.content[0].type == "text" and message.content[0].text.startswith(
            "Simulated reply to: Hello."
        )
        with client.messages.stream(
            model="claude-sonnet-4@20250514",
            max_tokens=64,
            messages=[{"role": "user", "content": "Hello"}],
        ) as stream:
            assert "".join(stream.text_stream) == message.content[0].text


def test_workload_identity_federation_with_impersonation(sim_url: str) -> None:
    endpoints = GCPEndpoints(sts=f"{sim_url}/_sim/gcp/sts", iam=f"{sim_url}/_sim/gcp/iam")
    auth = GCPAuth.from_workload_identity(
        _oidc(sim_url),
        project_id="123456",
        pool="pool",
        provider="provider",
        service_account="aigw-sim",
        project=PROJECT,
        region=REGION,
        endpoints=endpoints,
    )
    assert auth.path_prefix == f"/v1/projects/{PROJECT}/locations/{REGION}/"
    token = anyio.run(auth.authorization)[len("Bearer ") :]
    client = _genai(sim_url, token)
    answer = client.models.generate_content(model="gemini-2.5-flash", contents="hi")
    assert answer.text is not None and "hi" in answer.text
    assert "ya29" not in repr(auth)


def test_wrong_oidc_secret_is_a_credential_error_without_the_secret(sim_url: str) -> None:
    with pytest.raises(CredentialError) as info:
        _oidc(sim_url, secret="leaky-wrong-secret").fetch()
    assert "401" in str(info.value) and "invalid_client" in str(info.value)
    assert "leaky" not in str(info.value) and "leaky" not in repr(_oidc(sim_url, "leaky"))


def _converse(url: str, headers: list[tuple[str, str]], body: bytes) -> httpx.Response:
    return httpx.post(
        f"{url}/model/anthropic.claude-3-haiku%3A0/converse",
        content=body,
        headers=[("content-type", "application/json"), *headers],
    )


BODY = json.dumps({"messages": [{"role": "user", "content": [{"text": "hi"}]}]}).encode()


def test_aws_credentials_file_signing(sim_url: str) -> None:
    text = (
        "[default]\naws_access_key_id = nope\naws_secret_access_key = nope\n[sim]\n"
        f"aws_access_key_id = {AUTH.aws_access_key_id}\n"
        f"aws_secret_access_key = {AUTH.aws_secret_access_key}\n"
    )
    signer = AWSSigner.from_credentials_file(text, "sim", "us-east-1")
    url = f"{sim_url}/model/anthropic.claude-3-haiku%3A0/converse"
    headers = anyio.run(signer.sign, "POST", url, BODY)
    assert [h for h, _ in headers] == ["authorization", "x-amz-date"]
    assert _converse(sim_url, headers, BODY).status_code == 200
    tampered = _converse(sim_url, headers, BODY.replace(b"hi", b"ho"))
    assert tampered.status_code == 403 and tampered.headers["x-amzn-errortype"].startswith(
        "InvalidSignatureException"
    )
    bad = AWSSigner.from_credentials_file(text, "default", "us-east-1")
    denied = _converse(sim_url, anyio.run(bad.sign, "POST", url, BODY), BODY)
    assert denied.status_code == 403 and denied.json() == {
        "message": "The security token included in the request is invalid."
    }
    with pytest.raises(CredentialError, match="no profile 'missing'"):
        AWSSigner.from_credentials_file(text, "missing", "us-east-1")
    assert AUTH.aws_secret_access_key not in repr(signer)


def test_aws_oidc_exchange_through_sts(sim_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", f"{sim_url}/_sim/aws/sts")
    signer = AWSSigner.from_web_identity(
        _oidc(sim_url), "arn:aws:iam::123456789012:role/bedrock", "us-west-2"
    )
    url = f"{sim_url}/model/anthropic.claude-3-haiku%3A0/converse"
    headers = anyio.run(signer.sign, "POST", url, BODY)
    assert [h for h, _ in headers] == ["authorization", "x-amz-date", "x-amz-security-token"]
    assert "us-west-2/bedrock/aws4_request" in headers[0][1]
    assert _converse(sim_url, headers, BODY).status_code == 200
    assert signer.signing_region("bedrock-runtime.eu-west-1.amazonaws.com") == "eu-west-1"


def test_refreshing_cache_refreshes_before_expiry() -> None:
    now = [1000.0]
    values = iter(["first", "second"])

    def fetch() -> Expiring[str]:
        return Expiring(next(values), now[0] + 3600)

    cache: RefreshingCache[str] = RefreshingCache(fetch, clock=lambda: now[0])

    async def run() -> list[Any]:
        seen = [await cache.get()]
        now[0] += 3600 - 301
        seen.append(await cache.get())
        now[0] += 2
        seen.append(await cache.get())
        return seen

    assert anyio.run(run) == ["first", "first", "second"]
    assert (
        cache.fetches == 2
        and "first" not in repr(cache)
        and "second" not in repr(Expiring("second", 1.0))
    )


def test_count_tokens_on_both_clouds(sim_url: str) -> None:
    from gateway.translation.cloud import cloud_translator

    body = {"model": "claude", "messages": [{"role": "user", "content": "Hello there"}]}
    aws = cloud_translator("count_tokens", "AWSAnthropic", body, "us.anthropic.claude-3-haiku:0")
    upstream = aws.prepare()
    assert upstream.path == "/model/anthropic.claude-3-haiku%3A0/count-tokens"
    signer = AWSSigner.from_credentials_file(
        f"[default]\naws_access_key_id = {AUTH.aws_access_key_id}\n"
        f"aws_secret_access_key = {AUTH.aws_secret_access_key}\n",
        "default",
        "us-east-1",
    )
    headers = anyio.run(signer.sign, "POST", sim_url + upstream.path, upstream.body)
    answer = httpx.post(sim_url + upstream.path, content=upstream.body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert json.loads(aws.response(answer.content)[0]) == {"input_tokens": 3}
    gcp = cloud_translator("count_tokens", "GCPAnthropic", body, "claude-3-haiku@latest")
    prepared = gcp.prepare()
    assert prepared.path == "publishers/anthropic/models/count-tokens:rawPredict"
    assert json.loads(prepared.body)["model"] == "claude-3-haiku"
    token = _service_account_token(sim_url)
    url = f"{sim_url}/v1/projects/{PROJECT}/locations/{REGION}/{prepared.path}"
    answer = httpx.post(url, content=prepared.body, headers={"authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    assert json.loads(gcp.response(answer.content)[0]) == {"input_tokens": 3}
