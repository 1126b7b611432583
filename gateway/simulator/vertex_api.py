"""Vertex AI wire formats: Gemini generateContent / streamGenerateContent, text-embedding predict.

As for Bedrock, a Gemini request is read back into the Messages body the simulated model
answers (Google's validation messages for what Vertex checks), and the answer is written out as
a `GenerateContentResponse` or its SSE stream (`data: {...}\\r\\n\\r\\n`, one whole response
object per event, the last with `finishReason` and `usageMetadata`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

import orjson

from gateway.simulator.bedrock_api import deterministic_vector
from gateway.simulator.errors import SimError
from gateway.simulator.reply import text_chunks
from gateway.simulator.tokens import count_tokens

__all__ = [
    "GOOGLE_STATUS",
    "VERTEX_ANTHROPIC_VERSION",
    "gemini_response",
    "gemini_stream",
    "gemini_to_messages",
    "google_error",
    "predict_embeddings",
]

VERTEX_ANTHROPIC_VERSION: Final = "vertex-2023-10-16"
GOOGLE_STATUS: Final = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_FINISH: Final = {"max_tokens": "MAX_TOKENS", "refusal": "SAFETY"}


def google_error(status: int, message: str) -> bytes:
    """Google's error envelope."""
    name = GOOGLE_STATUS.get(status, "INTERNAL" if status >= 500 else "INVALID_ARGUMENT")
    return orjson.dumps({"error": {"code": status, "message": message, "status": name}})


def _invalid(message: str) -> SimError:
    return SimError(400, message)


def _lower_types(schema: Any) -> Any:
    """An OpenAPI-subset `Schema` (upper-case types, `nullable`) as JSON Schema."""
    if isinstance(schema, list):
        return [_lower_types(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _lower_types(v) for k, v in schema.items() if k != "nullable"}
    if isinstance(out.get("type"), str):
        out["type"] = out["type"].lower()
    return out


def _parts(
    parts: Any, where: str, pending: list[tuple[str, str]], counter: list[int]
) -> list[dict[str, Any]]:
    if not isinstance(parts, list) or not parts:
        raise _invalid(f"* GenerateContentRequest.{where}.parts: contents.parts must not be empty.")
    blocks: list[dict[str, Any]] = []
    for part in parts:
        if not isinstance(part, dict):
            raise _invalid(f"* GenerateContentRequest.{where}.parts: must be objects")
        if isinstance(part.get("text"), str):
            if part.get("thought") is not True:
                blocks.append({"type": "text", "text": part["text"]})
        elif isinstance(part.get("functionCall"), dict):
            call = part["functionCall"]
            counter[0] += 1
            call_id = f"toolu_gemini_{counter[0]}"
            pending.append((str(call.get("name", "")), call_id))
            args = call.get("args") if isinstance(call.get("args"), dict) else {}
            blocks.append(
                {
                    "type": "tool_use",
                    "id": call_id,
                    "name": str(call.get("name", "")),
                    "input": args,
                }
            )
        elif isinstance(part.get("functionResponse"), dict):
            response = part["functionResponse"]
            name = str(response.get("name", ""))
            match = next((p for p in pending if p[0] == name), None)
            if match is None:
                raise _invalid(
                    f"* GenerateContentRequest.{where}: function response {name!r} does not "
                    "match a function call in the previous turn."
                )
            pending.remove(match)
            blocks.append(
                {
                    "type": "tool_result",
                    "tool_use_id": match[1],
                    "content": orjson.dumps(response.get("response", {})).decode(),
                }
            )
        elif isinstance(part.get("inlineData"), dict):
            data = part["inlineData"]
            mime = str(data.get("mimeType", ""))
            if mime in ("image/png", "image/jpeg", "image/gif", "image/webp"):
                source = {"type": "base64", "media_type": mime, "data": str(data.get("data", ""))}
                blocks.append({"type": "image", "source": source})
            else:
                blocks.append({"type": "text", "text": f"[{mime} data]"})
        elif isinstance(part.get("fileData"), dict):
            blocks.append({"type": "text", "text": f"[file {part['fileData'].get('fileUri', '')}]"})
        else:
            raise _invalid(f"* GenerateContentRequest.{where}.parts: a part must have data")
    return blocks


def gemini_to_messages(body: Any, model: str, stream: bool) -> dict[str, Any]:
    """The Messages body the simulated model answers for a generateContent request."""
    if not isinstance(body, dict):
        raise _invalid("Invalid JSON payload received.")
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        raise _invalid("* GenerateContentRequest.contents: contents is not specified")
    messages = []
    pending: list[tuple[str, str]] = []
    counter = [0]
    for i, content in enumerate(contents):
        role = content.get("role", "user") if isinstance(content, dict) else None
        if role not in ("user", "model"):
            raise _invalid(
                f"* GenerateContentRequest.contents[{i}].role: "
                "Please use a valid role: user, model."
            )
        blocks = _parts(content.get("parts"), f"contents[{i}]", pending, counter)
        if role == "model":
            pending = [(b["name"], b["id"]) for b in blocks if b["type"] == "tool_use"]
        if blocks:
            messages.append({"role": "user" if role == "user" else "assistant", "content": blocks})
    config = body.get("generationConfig") or {}
    out: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "max_tokens": config.get("maxOutputTokens", 8192),
        "stream": stream,
    }
    system = body.get("systemInstruction")
    if isinstance(system, dict):
        texts = [p.get("text", "") for p in system.get("parts") or [] if isinstance(p, dict)]
        if any(texts):
            out["system"] = " ".join(t for t in texts if t)
    if config.get("stopSequences"):
        out["stop_sequences"] = config["stopSequences"]
    thinking = config.get("thinkingConfig")
    if isinstance(thinking, dict) and thinking.get("includeThoughts") is True:
        out["thinking"] = {"type": "adaptive"}
    declarations = [
        d
        for tool in body.get("tools") or []
        if isinstance(tool, dict)
        for d in tool.get("functionDeclarations") or []
    ]
    if declarations:
        out["tools"] = [
            {
                "name": d.get("name"),
                "description": d.get("description", ""),
                "input_schema": d.get("parametersJsonSchema")
                or _lower_types(d.get("parameters"))
                or {"type": "object"},
            }
            for d in declarations
        ]
        calling = (body.get("toolConfig") or {}).get("functionCallingConfig") or {}
        mode = calling.get("mode", "AUTO")
        allowed = calling.get("allowedFunctionNames") or []
        if mode == "ANY" and len(allowed) == 1:
            out["tool_choice"] = {"type": "tool", "name": allowed[0]}
        elif mode == "ANY":
            out["tool_choice"] = {"type": "any"}
        elif mode == "NONE":
            out["tool_choice"] = {"type": "none"}
    return out


def _parts_out(message: dict[str, Any]) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    for block in message["content"]:
        if block["type"] == "thinking":
            parts.append({"text": block["thinking"], "thought": True})
        elif block["type"] == "text":
            if block["text"]:
                parts.append({"text": block["text"]})
        else:
            parts.append({"functionCall": {"name": block["name"], "args": block["input"]}})
    return parts


def _usage(message: dict[str, Any]) -> dict[str, int]:
    usage = message["usage"]
    prompt = (
        usage["input_tokens"]
        + usage["cache_read_input_tokens"]
        + usage["cache_creation_input_tokens"]
    )
    thoughts = sum(
        count_tokens(b["thinking"]) for b in message["content"] if b["type"] == "thinking"
    )
    candidates = usage["output_tokens"] - thoughts
    out = {
        "promptTokenCount": prompt,
        "candidatesTokenCount": candidates,
        "totalTokenCount": prompt + usage["output_tokens"],
    }
    if thoughts:
        out["thoughtsTokenCount"] = thoughts
    return out


def _envelope(response_id: str, model: str, candidates: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "candidates": candidates,
        "modelVersion": model,
        "createTime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "responseId": response_id,
    }


def gemini_response(message: dict[str, Any], model: str, response_id: str) -> dict[str, Any]:
    """A `GenerateContentResponse` for a simulated message."""
    candidate = {
        "content": {"role": "model", "parts": _parts_out(message)},
        "finishReason": _FINISH.get(message["stop_reason"], "STOP"),
        "index": 0,
    }
    return {**_envelope(response_id, model, [candidate]), "usageMetadata": _usage(message)}


def gemini_stream(message: dict[str, Any], model: str, response_id: str) -> list[bytes]:
    """The `alt=sse` events of a simulated message (three words of text per event)."""
    pieces: list[dict[str, Any]] = []
    for part in _parts_out(message):
        if "functionCall" in part:
            pieces.append(part)
        else:
            pieces += [{**part, "text": chunk} for chunk in text_chunks(part["text"])]
    if not pieces:
        pieces.append({"text": ""})
    events = []
    for index, piece in enumerate(pieces):
        candidate: dict[str, Any] = {"content": {"role": "model", "parts": [piece]}}
        payload = _envelope(response_id, model, [candidate])
        if index == len(pieces) - 1:
            candidate["finishReason"] = _FINISH.get(message["stop_reason"], "STOP")
            payload["usageMetadata"] = _usage(message)
        events.append(b"data: " + orjson.dumps(payload) + b"\r\n\r\n")
    return events


def predict_embeddings(body: Any) -> dict[str, Any]:
    """Text-embedding `predict`: one deterministic unit vector per instance."""
    instances = body.get("instances") if isinstance(body, dict) else None
    if not isinstance(instances, list) or not instances:
        raise _invalid("instances: at least one instance is required")
    parameters = body.get("parameters") or {}
    dims = parameters.get("outputDimensionality", 768)
    if not isinstance(dims, int) or not 1 <= dims <= 3072:
        raise _invalid("parameters.outputDimensionality must be between 1 and 3072")
    predictions = []
    for i, instance in enumerate(instances):
        content = instance.get("content") if isinstance(instance, dict) else None
        if not isinstance(content, str):
            raise _invalid(f"instances[{i}].content: a string is required")
        stats = {"token_count": count_tokens(content), "truncated": False}
        predictions.append(
            {"embeddings": {"values": deterministic_vector(content, dims), "statistics": stats}}
        )
    return {
        "predictions": predictions,
        "metadata": {"billableCharacterCount": sum(len(i["content"]) for i in instances)},
    }
