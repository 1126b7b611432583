"""The simulator's OpenAI, Azure OpenAI and Cohere endpoints: wire shapes, validation, faults."""

from __future__ import annotations

import io

import httpx
import openai
import pytest

from tests.gateway.simulator.support import API_KEY

BEARER = {"authorization": f"Bearer {API_KEY}"}
AZURE = "?api-version=2025-01-01-preview"


def _post(url: str, path: str, body: object, **headers: str) -> httpx.Response:
    return httpx.post(url + path, json=body, headers={**BEARER, **headers})


def test_openai_sdk_against_the_simulator_directly(gpt: openai.OpenAI) -> None:
    assert gpt.embeddings.create(model="text-embedding-3-large", input="x").data[0].embedding
    assert (
        len(gpt.embeddings.create(model="text-embedding-3-large", input="x").data[0].embedding)
        == 3072
    )
    response = gpt.responses.create(model="gpt-4o-mini", input="plain", max_output_tokens=16)
    assert response.status == "incomplete"
    assert response.incomplete_details is not None
    file = ("a.mp3", io.BytesIO(b"ID3" + bytes(10)), "audio/mpeg")
    assert gpt.audio.transcriptions.create(model="whisper-1", file=file, response_format="text")


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        ("/v1/completions", {"model": "m"}, "prompt"),
        ("/v1/embeddings", {"model": "m", "input": []}, "input"),
        (
            "/v1/embeddings",
            {"model": "m", "input": "x", "encoding_format": "hex"},
            "encoding_format",
        ),
        ("/v1/responses", {"model": "m"}, "input"),
        (
            "/v1/responses",
            {"model": "m", "input": "x", "max_output_tokens": 5},
            "max_output_tokens",
        ),
        ("/v1/images/generations", {"model": "dall-e-3"}, "prompt"),
        ("/v1/images/generations", {"prompt": "p", "size": "7x7"}, "size"),
        ("/v1/images/generations", {"prompt": "p", "n": 11}, "n"),
        ("/v1/audio/speech", {"model": "tts-1", "input": "x", "voice": "bob"}, "voice"),
        ("/v1/audio/speech", {"model": "tts-1", "voice": "alloy"}, "input"),
    ],
)
def test_openai_validation(sim_url: str, path: str, body: object, param: str) -> None:
    response = _post(sim_url, path, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == param and error["type"] == "invalid_request_error"


def test_azure_paths_version_and_key(sim_url: str) -> None:
    body = {"messages": [{"role": "user", "content": "hi"}]}
    path = "/openai/deployments/my-gpt/chat/completions"
    ok = httpx.post(sim_url + path + AZURE, json=body, headers={"api-key": API_KEY})
    assert ok.status_code == 200
    assert ok.json()["model"] == "my-gpt"  # Azure answers with the deployment's model
    missing = httpx.post(sim_url + path, json=body, headers={"api-key": API_KEY})
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Resource not found"
    wrong = httpx.post(sim_url + path + AZURE, json=body, headers={"api-key": "nope"})
    assert wrong.status_code == 401
    assert "invalid subscription key" in wrong.json()["error"]["message"]
    unknown = httpx.post(
        sim_url + "/openai/deployments/x/fine_tunes" + AZURE, json={}, headers={"api-key": API_KEY}
    )
    assert unknown.status_code == 404


def test_cohere_rerank_wire(sim_url: str) -> None:
    body = {"model": "rerank-v3.5", "query": "red fruit", "documents": ["apple red", "sky"]}
    response = _post(sim_url, "/v2/rerank", body)
    assert response.status_code == 200
    data = response.json()
    assert [r["index"] for r in data["results"]] == [0, 1]
    assert data["meta"]["billed_units"] == {"search_units": 1}
    bad = _post(sim_url, "/v2/rerank", {"model": "rerank-v3.5", "query": "q"})
    assert bad.status_code == 400
    assert bad.json()["message"] == "invalid request: documents must be a non-empty list"
    unauthenticated = httpx.post(sim_url + "/v2/rerank", json=body)
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["message"] == "no api key supplied"


def test_faults_apply_to_new_endpoints(sim_url: str) -> None:
    response = _post(
        sim_url, "/v1/embeddings", {"model": "m", "input": "x"}, **{"x-sim-status": "429"}
    )
    assert response.status_code == 429
    assert response.headers["retry-after"]
    stream = _post(
        sim_url,
        "/v1/responses",
        {"model": "m", "input": "x", "stream": True},
        **{"x-sim-fail-after-events": "2"},
    )
    assert stream.status_code == 200
    assert stream.text.count("event: ") == 3
    assert stream.text.rstrip().splitlines()[-2] == "event: error"


def test_deterministic(sim_url: str) -> None:
    body = {"model": "m", "input": "same", "encoding_format": "float", "dimensions": 4}
    first = _post(sim_url, "/v1/embeddings", body).json()
    second = _post(sim_url, "/v1/embeddings", body).json()
    assert first == second
