"""Bedrock runtime wire formats: Converse <-> the simulated Claude, event streams, Titan embeddings.

The simulated model answers Messages bodies, so a Converse request is read back into one
(`converse_to_messages`, Bedrock's own validation messages for what Bedrock checks), and the
answer is written out as a Converse response or a ConverseStream event sequence. InvokeModel
bodies for Claude are already Messages bodies (with `anthropic_version`, without `model`);
their stream wraps each Anthropic event as `{"bytes": base64(json)}` in a `chunk` event.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from typing import Any, Final

import orjson

from gateway.simulator.errors import SimError
from gateway.simulator.reply import json_chunks, text_chunks
from gateway.simulator.tokens import compact_json, count_tokens
from gateway.translation.eventstream import event, exception

__all__ = [
    "BEDROCK_ANTHROPIC_VERSION",
    "EXCEPTIONS",
    "converse_response",
    "converse_stream",
    "converse_to_messages",
    "invoke_stream",
    "titan_embedding",
]

BEDROCK_ANTHROPIC_VERSION: Final = "bedrock-2023-05-31"
#: status -> Bedrock exception name (the `x-amzn-ErrorType` of an error response).
EXCEPTIONS: Final = {
    400: "ValidationException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    408: "ModelTimeoutException",
    424: "ModelErrorException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}
_MEDIA = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
_STOP = {"refusal": "content_filtered"}


def exception_name(status: int) -> str:
    """The Bedrock exception for a status (by class when not listed)."""
    return EXCEPTIONS.get(
        status, "InternalServerException" if status >= 500 else "ValidationException"
    )


def _invalid(message: str) -> SimError:
    return SimError(400, message)


def _cache_control(block: dict[str, Any]) -> None:
    block["cache_control"] = {"type": "ephemeral"}


def _blocks(content: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(content, list) or not content:
        raise _invalid(f"{where}.content: The content field must be a non-empty list.")
    out: list[dict[str, Any]] = []
    for i, block in enumerate(content):
        if not isinstance(block, dict) or len(block) != 1:
            raise _invalid(f"{where}.content.{i}: exactly one member of ContentBlock must be set")
        ((kind, value),) = block.items()
        if kind == "cachePoint":
            if not out:
                raise _invalid(f"{where}.content.{i}: a cachePoint must follow another block")
            _cache_control(out[-1])
        elif kind == "text":
            out.append({"type": "text", "text": str(value)})
        elif kind == "image" and isinstance(value, dict):
            media = _MEDIA.get(str(value.get("format")))
            data = (
                value.get("source", {}).get("bytes")
                if isinstance(value.get("source"), dict)
                else None
            )
            if media is None or not isinstance(data, str):
                raise _invalid(f"{where}.content.{i}.image: format and source.bytes are required")
            out.append(
                {"type": "image", "source": {"type": "base64", "media_type": media, "data": data}}
            )
        elif kind == "document" and isinstance(value, dict):
            out.append({"type": "text", "text": f"[document {value.get('name', '')}]"})
        elif kind == "toolUse" and isinstance(value, dict):
            out.append(
                {
                    "type": "tool_use",
                    "id": str(value.get("toolUseId", "")),
                    "name": str(value.get("name", "")),
                    "input": value.get("input") if isinstance(value.get("input"), dict) else {},
                }
            )
        elif kind == "toolResult" and isinstance(value, dict):
            parts = value.get("content") or []
            text = " ".join(
                str(p.get("text")) if "text" in p else compact_json(p.get("json"))
                for p in parts
                if isinstance(p, dict) and ("text" in p or "json" in p)
            )
            result: dict[str, Any] = {
                "type": "tool_result",
                "tool_use_id": str(value.get("toolUseId", "")),
                "content": text,
            }
            if value.get("status") == "error":
                result["is_error"] = True
            out.append(result)
        elif kind == "reasoningContent" and isinstance(value, dict):
            reasoning = value.get("reasoningText")
            if isinstance(reasoning, dict):
                out.append(
                    {
                        "type": "thinking",
                        "thinking": str(reasoning.get("text", "")),
                        "signature": str(reasoning.get("signature", "")),
                    }
                )
            else:
                out.append(
                    {"type": "redacted_thinking", "data": str(value.get("redactedContent", ""))}
                )
        else:
            raise _invalid(f"{where}.content.{i}: unsupported content block {kind!r}")
    return out


def converse_to_messages(body: Any, model: str, stream: bool) -> dict[str, Any]:
    """The Messages body the simulated model answers for a Converse request."""
    if not isinstance(body, dict):
        raise _invalid("Request body must be a JSON object")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _invalid("The messages field is required and must not be empty.")
    converted = []
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            raise _invalid(
                f"messages.{i}.role: Member must satisfy enum value set: [user, assistant]"
            )
        converted.append(
            {"role": message["role"], "content": _blocks(message.get("content"), f"messages.{i}")}
        )
    if converted[0]["role"] != "user":
        raise _invalid(
            "A conversation must start with a user message. Try again with a conversation that "
            "starts with a user message."
        )
    inference = body.get("inferenceConfig") or {}
    if not isinstance(inference, dict):
        raise _invalid("inferenceConfig must be an object")
    out: dict[str, Any] = {
        "model": model,
        "messages": converted,
        "max_tokens": inference.get("maxTokens", 4096),
        "stream": stream,
    }
    system = body.get("system")
    if system:
        out["system"] = _blocks(system, "system")
    for src, dst in (
        ("temperature", "temperature"),
        ("topP", "top_p"),
        ("stopSequences", "stop_sequences"),
    ):
        if inference.get(src) is not None:
            out[dst] = inference[src]
    extra = body.get("additionalModelRequestFields") or {}
    if isinstance(extra, dict):
        for key in ("thinking", "top_k"):
            if key in extra:
                out[key] = extra[key]
    tool_config = body.get("toolConfig")
    if isinstance(tool_config, dict):
        tools: list[dict[str, Any]] = []
        for i, entry in enumerate(tool_config.get("tools") or []):
            if isinstance(entry, dict) and "cachePoint" in entry and tools:
                _cache_control(tools[-1])
                continue
            spec = entry.get("toolSpec") if isinstance(entry, dict) else None
            schema = spec.get("inputSchema", {}).get("json") if isinstance(spec, dict) else None
            if not isinstance(spec, dict) or not isinstance(schema, dict):
                raise _invalid(f"toolConfig.tools.{i}: toolSpec with inputSchema.json is required")
            tools.append(
                {
                    "name": spec.get("name"),
                    "input_schema": schema,
                    "description": spec.get("description", ""),
                }
            )
        out["tools"] = tools
        choice = tool_config.get("toolChoice")
        if isinstance(choice, dict) and "any" in choice:
            out["tool_choice"] = {"type": "any"}
        elif isinstance(choice, dict) and isinstance(choice.get("tool"), dict):
            out["tool_choice"] = {"type": "tool", "name": choice["tool"].get("name")}
    elif any(b["type"] in ("tool_use", "tool_result") for m in converted for b in m["content"]):
        raise _invalid(
            "The toolConfig field must be defined when using toolUse and toolResult content blocks."
        )
    return out


def _converse_block(block: dict[str, Any]) -> dict[str, Any]:
    kind = block["type"]
    if kind == "text":
        return {"text": block["text"]}
    if kind == "thinking":
        return {
            "reasoningContent": {
                "reasoningText": {"text": block["thinking"], "signature": block["signature"]}
            }
        }
    return {"toolUse": {"toolUseId": block["id"], "name": block["name"], "input": block["input"]}}


def _usage(message: dict[str, Any]) -> dict[str, int]:
    usage = message["usage"]
    read, write = usage["cache_read_input_tokens"], usage["cache_creation_input_tokens"]
    out = {
        "inputTokens": usage["input_tokens"],
        "outputTokens": usage["output_tokens"],
        "totalTokens": usage["input_tokens"] + read + write + usage["output_tokens"],
    }
    if read or write:
        out.update(cacheReadInputTokens=read, cacheWriteInputTokens=write)
    return out


def converse_response(message: dict[str, Any]) -> dict[str, Any]:
    """A Converse response for a simulated Anthropic message."""
    return {
        "output": {
            "message": {
                "role": "assistant",
                "content": [_converse_block(b) for b in message["content"]],
            }
        },
        "stopReason": _STOP.get(message["stop_reason"], message["stop_reason"]),
        "usage": _usage(message),
        "metrics": {"latencyMs": 0},
    }


def _json_event(name: str, payload: dict[str, Any]) -> bytes:
    return event(name, orjson.dumps(payload))


def converse_stream(message: dict[str, Any]) -> list[bytes]:
    """The ConverseStream event-stream frames of a simulated message."""
    frames = [_json_event("messageStart", {"role": "assistant"})]
    for index, block in enumerate(message["content"]):
        kind = block["type"]
        deltas: list[dict[str, Any]]
        if kind == "tool_use":
            start = {"toolUse": {"toolUseId": block["id"], "name": block["name"]}}
            frames.append(
                _json_event("contentBlockStart", {"contentBlockIndex": index, "start": start})
            )
            deltas = [{"toolUse": {"input": c}} for c in json_chunks(compact_json(block["input"]))]
        elif kind == "thinking":
            deltas = [{"reasoningContent": {"text": c}} for c in text_chunks(block["thinking"])]
            deltas.append({"reasoningContent": {"signature": block["signature"]}})
        else:
            deltas = [{"text": c} for c in text_chunks(block["text"])]
        frames += [
            _json_event("contentBlockDelta", {"contentBlockIndex": index, "delta": d})
            for d in deltas
        ]
        frames.append(_json_event("contentBlockStop", {"contentBlockIndex": index}))
    stop = _STOP.get(message["stop_reason"], message["stop_reason"])
    frames.append(_json_event("messageStop", {"stopReason": stop}))
    frames.append(_json_event("metadata", {"usage": _usage(message), "metrics": {"latencyMs": 0}}))
    return frames


def invoke_stream(sse_events: list[bytes], message_usage: dict[str, Any]) -> list[bytes]:
    """InvokeModelWithResponseStream `chunk` frames wrapping each Anthropic SSE event."""
    frames = []
    for raw in sse_events:
        data = next(line[6:] for line in raw.split(b"\n") if line.startswith(b"data: "))
        payload = orjson.loads(data)
        if payload.get("type") == "ping":
            continue
        if payload.get("type") == "message_stop":
            payload["amazon-bedrock-invocationMetrics"] = {
                "inputTokenCount": message_usage["input_tokens"],
                "outputTokenCount": message_usage["output_tokens"],
                "invocationLatency": 0,
                "firstByteLatency": 0,
            }
        wrapped = {"bytes": base64.b64encode(orjson.dumps(payload)).decode()}
        frames.append(_json_event("chunk", wrapped))
    return frames


def stream_exception(status: int = 500, message: str = "Simulated stream failure") -> bytes:
    """A mid-stream exception frame (`x-sim-fail-mode: error`)."""
    name = exception_name(status)
    return exception(name[0].lower() + name[1:], orjson.dumps({"message": message}))


def titan_embedding(body: Any) -> dict[str, Any]:
    """A deterministic Titan text embedding (unit length; `dimensions` 256, 512 or 1024)."""
    if not isinstance(body, dict) or not isinstance(body.get("inputText"), str):
        raise _invalid("Malformed input request: required key [inputText] not found")
    dims = body.get("dimensions", 1024)
    if dims not in (256, 512, 1024):
        raise _invalid("Malformed input request: dimensions must be one of 256, 512, 1024")
    result: dict[str, Any] = {
        "embedding": deterministic_vector(body["inputText"], dims),
        "inputTextTokenCount": count_tokens(body["inputText"]),
    }
    return result


def deterministic_vector(text: str, dims: int) -> list[float]:
    """A unit vector derived from SHA-256 of the text (the same text, the same vector)."""
    raw = b""
    counter = 0
    while len(raw) < dims * 4:
        raw += hashlib.sha256(f"{counter}:{text}".encode()).digest()
        counter += 1
    values = [v / 2**31 for v in struct.unpack(f">{dims}i", raw[: dims * 4])]
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return [round(v / norm, 6) for v in values]
