"""OpenAI embeddings -> AWS Bedrock Titan (`InvokeModel`) and Vertex AI text embeddings (`predict`).

* Bedrock Titan takes one text per call (`{"inputText", "dimensions"}`) and answers
  `{"embedding": [...], "inputTextTokenCount": n}`; a batch of several inputs is a 400, as upstream.
* Vertex `predict` takes a batch: `{"instances": [{"content", "task_type"?, "title"?}],
  "parameters": {"outputDimensionality"?, "autoTruncate"?}}` and answers
  `{"predictions": [{"embeddings": {"values", "statistics": {"token_count"}}}]}`.
  `task_type`, `title` and `auto_truncate` are accepted as vendor fields of the request.
* `encoding_format: base64` is honoured on the way back (little-endian float32, as OpenAI).
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from gateway.translation.cloud_anthropic import gcp_model_path
from gateway.translation.errors import TranslationError
from gateway.translation.errors import bad_request as _bad
from gateway.translation.usage import TokenUsage

__all__ = [
    "EmbeddingsRequest",
    "openai_to_titan_request",
    "openai_to_vertex_embeddings_request",
    "titan_to_openai_response",
    "vertex_to_openai_embeddings_response",
]


@dataclass(frozen=True, slots=True)
class EmbeddingsRequest:
    """A translated embeddings request and what the response needs."""

    body: dict[str, Any]
    path: str
    model: str
    base64: bool = False


def _inputs(body: dict[str, Any]) -> list[str]:
    value = body.get("input")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise _bad("input must be a string or a non-empty array of strings", "input")


def _dimensions(body: dict[str, Any]) -> int | None:
    value = body.get("dimensions")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _bad("dimensions must be an integer >= 1", "dimensions")
    return value


def _wants_base64(body: dict[str, Any]) -> bool:
    fmt = body.get("encoding_format")
    if fmt not in (None, "float", "base64"):
        raise _bad("encoding_format must be 'float' or 'base64'", "encoding_format")
    return fmt == "base64"


def _vector(values: list[float], as_base64: bool) -> list[float] | str:
    if not as_base64:
        return values
    return base64.b64encode(struct.pack(f"<{len(values)}f", *values)).decode()


def _openai_list(
    vectors: list[list[float]], model: str, tokens: int, as_base64: bool
) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {"object": "embedding", "index": i, "embedding": _vector(v, as_base64)}
            for i, v in enumerate(vectors)
        ],
        "model": model,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


def _floats(value: object) -> list[float] | None:
    if isinstance(value, list) and all(isinstance(v, int | float) for v in value):
        return [float(v) for v in value]
    return None


def openai_to_titan_request(body: dict[str, Any], *, model: str) -> EmbeddingsRequest:
    """Bedrock InvokeModel body for a Titan text embeddings model."""
    texts = _inputs(body)
    if len(texts) != 1:
        raise _bad(
            f"AWS Bedrock Titan does not support batch embeddings (got {len(texts)} inputs)",
            "input",
        )
    out: dict[str, Any] = {"inputText": texts[0]}
    if (dims := _dimensions(body)) is not None:
        out["dimensions"] = dims
    return EmbeddingsRequest(
        out, f"/model/{quote(model, safe='')}/invoke", model, _wants_base64(body)
    )


def titan_to_openai_response(
    resp: object, ctx: EmbeddingsRequest
) -> tuple[dict[str, Any], TokenUsage]:
    """OpenAI embeddings response and usage for a Titan response."""
    vector = _floats(resp.get("embedding")) if isinstance(resp, dict) else None
    if vector is None or not isinstance(resp, dict):
        raise TranslationError(502, "upstream returned a malformed Titan response", "embedding")
    tokens = resp.get("inputTextTokenCount")
    count = tokens if isinstance(tokens, int) else 0
    return _openai_list([vector], ctx.model, count, ctx.base64), TokenUsage(input_tokens=count)


def openai_to_vertex_embeddings_request(body: dict[str, Any], *, model: str) -> EmbeddingsRequest:
    """Vertex `predict` body for a text embeddings model (relative path)."""
    instance_extra: dict[str, Any] = {}
    for key in ("task_type", "title"):
        if body.get(key) is not None:
            if not isinstance(body[key], str):
                raise _bad(f"{key} must be a string", key)
            instance_extra[key] = body[key]
    instances = [{"content": text, **instance_extra} for text in _inputs(body)]
    parameters: dict[str, Any] = {}
    if (dims := _dimensions(body)) is not None:
        parameters["outputDimensionality"] = dims
    if body.get("auto_truncate") is not None:
        parameters["autoTruncate"] = bool(body["auto_truncate"])
    out: dict[str, Any] = {"instances": instances}
    if parameters:
        out["parameters"] = parameters
    return EmbeddingsRequest(
        out, gcp_model_path("google", model, "predict"), model, _wants_base64(body)
    )


def vertex_to_openai_embeddings_response(
    resp: object, ctx: EmbeddingsRequest
) -> tuple[dict[str, Any], TokenUsage]:
    """OpenAI embeddings response and usage for a Vertex `predict` response."""
    predictions = resp.get("predictions") if isinstance(resp, dict) else None
    if not isinstance(predictions, list):
        raise TranslationError(502, "upstream returned a malformed Vertex response", "predictions")
    vectors: list[list[float]] = []
    tokens = 0
    for prediction in predictions:
        embeddings = prediction.get("embeddings") if isinstance(prediction, dict) else None
        values = _floats(embeddings.get("values")) if isinstance(embeddings, dict) else None
        if values is None or not isinstance(embeddings, dict):
            raise TranslationError(502, "upstream returned a malformed Vertex embedding", "values")
        vectors.append(values)
        stats = embeddings.get("statistics")
        count = stats.get("token_count") if isinstance(stats, dict) else None
        tokens += int(count) if isinstance(count, int | float) else 0
    return _openai_list(vectors, ctx.model, tokens, ctx.base64), TokenUsage(input_tokens=tokens)
