"""Anthropic Messages request -> AWS Bedrock Converse / ConverseStream request.

Converse mirrors the Messages API block for block, so this is the one place that knows the
Converse request shape; OpenAI clients reach it through the OpenAI -> Anthropic translation.
Choices made here:

* The model goes into the path (`/model/{id}/converse`, `/converse-stream` when streaming),
  percent-encoded so ARNs and `:` version suffixes survive.
* `cache_control` on a block becomes a `cachePoint` block right after it (tools, system and
  message content alike).
* Images and documents must be base64 (`source.type: base64`); Converse only fetches from S3,
  so a URL source is a 400 naming the block.
* `thinking`, `top_k` and Anthropic-only knobs travel in `additionalModelRequestFields`, as
  Bedrock documents for Claude models.
* `tool_choice: none` drops the tool definitions unless the history has tool blocks (Converse
  has no `none` and requires `toolConfig` whenever tool blocks are present).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from hashlib import sha256
from typing import Any
from urllib.parse import quote

from gateway.translation.errors import bad_request as _bad

__all__ = ["ConverseRequest", "anthropic_to_converse_request", "converse_path"]

_IMAGE_FORMATS = {
    "image/jpeg": "jpeg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
}
_DOC_FORMATS = {"application/pdf": "pdf", "text/plain": "txt", "text/csv": "csv"}
_CACHE_POINT = {"cachePoint": {"type": "default"}}
# Fields with no Converse equivalent that are harmless to drop.
_DROPPED = frozenset({"model", "stream", "metadata", "service_tier", "container", "mcp_servers"})
_HANDLED = frozenset(
    {
        "messages",
        "system",
        "max_tokens",
        "temperature",
        "top_p",
        "top_k",
        "stop_sequences",
        "tools",
        "tool_choice",
        "thinking",
        "anthropic_version",
    }
)


@dataclass(frozen=True, slots=True)
class ConverseRequest:
    """The Converse body, the request path and whether the response streams."""

    body: dict[str, Any]
    path: str
    model: str
    stream: bool


def converse_path(model: str, stream: bool) -> str:
    """`/model/{model}/converse[-stream]` with the model id percent-encoded."""
    return f"/model/{quote(model, safe='')}/{'converse-stream' if stream else 'converse'}"


def _base64_bytes(source: dict[str, Any], param: str) -> str:
    if source.get("type") != "base64":
        raise _bad(
            "AWS Bedrock Converse accepts base64 image and document sources only "
            f"(got source type {source.get('type')!r})",
            param,
        )
    data = source.get("data")
    if not isinstance(data, str):
        raise _bad("source.data must be a base64 string", param)
    try:
        base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise _bad("source.data is not valid base64", param) from None
    return data


def _media(block: dict[str, Any], param: str) -> dict[str, Any]:
    source = block.get("source")
    if not isinstance(source, dict):
        raise _bad("source must be an object", param)
    if block["type"] == "image":
        fmt = _IMAGE_FORMATS.get(str(source.get("media_type")))
        if fmt is None:
            raise _bad("image media_type must be jpeg, png, gif or webp", param)
        return {"image": {"format": fmt, "source": {"bytes": _base64_bytes(source, param)}}}
    if source.get("type") == "text" and isinstance(source.get("data"), str):
        raw = base64.b64encode(source["data"].encode()).decode()
        fmt = "txt"
    else:
        fmt_or_none = _DOC_FORMATS.get(str(source.get("media_type")))
        if fmt_or_none is None:
            raise _bad("document media_type must be application/pdf, text/plain or text/csv", param)
        fmt, raw = fmt_or_none, _base64_bytes(source, param)
    title = block.get("title")
    name = (
        title
        if isinstance(title, str) and title
        else f"document-{sha256(raw.encode()).hexdigest()[:12]}"
    )
    return {"document": {"format": fmt, "name": name, "source": {"bytes": raw}}}


def _tool_result_content(content: object, param: str) -> list[dict[str, Any]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"text": content}] if content else []
    if not isinstance(content, list):
        raise _bad("tool_result content must be a string or an array", param)
    out: list[dict[str, Any]] = []
    for i, part in enumerate(content):
        where = f"{param}.{i}"
        if not isinstance(part, dict):
            raise _bad("content blocks must be objects", where)
        if part.get("type") == "text":
            out.append({"text": str(part.get("text", ""))})
        elif part.get("type") in ("image", "document"):
            out.append(_media(part, where))
        else:
            raise _bad(f"unsupported tool_result block type {part.get('type')!r}", where)
    return out


def _block(block: object, param: str) -> list[dict[str, Any]]:
    if not isinstance(block, dict):
        raise _bad("content blocks must be objects", param)
    kind = block.get("type")
    out: dict[str, Any]
    if kind == "text":
        text = block.get("text")
        if not isinstance(text, str):
            raise _bad("text blocks need a string 'text'", param)
        out = {"text": text}
    elif kind in ("image", "document"):
        out = _media(block, param)
    elif kind == "tool_use":
        tool_input = block.get("input")
        if not isinstance(tool_input, dict):
            raise _bad("tool_use input must be an object", param)
        out = {
            "toolUse": {
                "toolUseId": str(block.get("id", "")),
                "name": str(block.get("name", "")),
                "input": tool_input,
            }
        }
    elif kind == "tool_result":
        result: dict[str, Any] = {
            "toolUseId": str(block.get("tool_use_id", "")),
            "content": _tool_result_content(block.get("content"), f"{param}.content"),
        }
        if block.get("is_error") is True:
            result["status"] = "error"
        out = {"toolResult": result}
    elif kind == "thinking":
        text = {"text": str(block.get("thinking", ""))}
        if isinstance(block.get("signature"), str):
            text["signature"] = block["signature"]
        out = {"reasoningContent": {"reasoningText": text}}
    elif kind == "redacted_thinking":
        out = {"reasoningContent": {"redactedContent": str(block.get("data", ""))}}
    else:
        raise _bad(f"content block type {kind!r} is not supported by AWS Bedrock Converse", param)
    return [out, dict(_CACHE_POINT)] if block.get("cache_control") is not None else [out]


def _content(content: object, param: str) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"text": content}]
    if not isinstance(content, list):
        raise _bad("content must be a string or an array of blocks", param)
    blocks: list[dict[str, Any]] = []
    for i, block in enumerate(content):
        blocks += _block(block, f"{param}.{i}")
    return blocks


def _system(system: object) -> list[dict[str, Any]]:
    if isinstance(system, str):
        return [{"text": system}] if system else []
    if not isinstance(system, list):
        raise _bad("system must be a string or an array of text blocks", "system")
    out: list[dict[str, Any]] = []
    for i, block in enumerate(system):
        if not isinstance(block, dict) or block.get("type") != "text":
            raise _bad("system blocks must be text blocks", f"system.{i}")
        out += _block(block, f"system.{i}")
    return out


def _tools(tools: object) -> list[dict[str, Any]]:
    if not isinstance(tools, list):
        raise _bad("tools must be an array", "tools")
    out: list[dict[str, Any]] = []
    for i, tool in enumerate(tools):
        if not isinstance(tool, dict) or not isinstance(tool.get("name"), str):
            raise _bad("each tool needs a string name", f"tools.{i}")
        if tool.get("type") not in (None, "custom"):
            raise _bad(
                f"server tool {tool.get('type')!r} is not supported by AWS Bedrock Converse",
                f"tools.{i}",
            )
        schema = tool.get("input_schema")
        if not isinstance(schema, dict):
            raise _bad("input_schema must be an object", f"tools.{i}.input_schema")
        spec: dict[str, Any] = {"name": tool["name"], "inputSchema": {"json": schema}}
        if isinstance(tool.get("description"), str) and tool["description"]:
            spec["description"] = tool["description"]
        out.append({"toolSpec": spec})
        if tool.get("cache_control") is not None:
            out.append(dict(_CACHE_POINT))
    return out


def _tool_choice(choice: object) -> dict[str, Any] | None:
    if choice is None:
        return None
    if not isinstance(choice, dict):
        raise _bad("tool_choice must be an object", "tool_choice")
    kind = choice.get("type")
    if kind == "auto":
        return {"auto": {}}
    if kind == "any":
        return {"any": {}}
    if kind == "tool":
        return {"tool": {"name": str(choice.get("name", ""))}}
    if kind == "none":
        return None
    raise _bad(f"unknown tool_choice type {kind!r}", "tool_choice")


def _has_tool_blocks(messages: list[dict[str, Any]]) -> bool:
    return any(
        "toolUse" in block or "toolResult" in block
        for message in messages
        for block in message["content"]
    )


def anthropic_to_converse_request(
    body: dict[str, Any], *, model: str, max_tokens_set: bool = True
) -> ConverseRequest:
    """Translate a Messages body for the Bedrock `model` id.

    `max_tokens_set=False` leaves `maxTokens` to the model's default (for OpenAI clients that
    did not set a limit: the OpenAI -> Anthropic step always fills one in).
    """
    if not isinstance(body, dict):
        raise _bad("the request body must be a JSON object", "body")
    unknown = sorted(set(body) - _HANDLED - _DROPPED)
    if "output_config" in unknown or "output_format" in unknown:
        raise _bad("structured outputs are not supported by AWS Bedrock Converse", unknown[0])
    raw_messages = body.get("messages")
    if not isinstance(raw_messages, list) or not raw_messages:
        raise _bad("messages: at least one message is required", "messages")
    messages: list[dict[str, Any]] = []
    for i, message in enumerate(raw_messages):
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            raise _bad("role must be 'user' or 'assistant'", f"messages.{i}.role")
        content = _content(message.get("content"), f"messages.{i}.content")
        messages.append({"role": message["role"], "content": content})
    out: dict[str, Any] = {"messages": messages}
    if body.get("system") is not None and (system := _system(body["system"])):
        out["system"] = system
    inference: dict[str, Any] = {}
    if max_tokens_set and isinstance(body.get("max_tokens"), int):
        inference["maxTokens"] = body["max_tokens"]
    for src, dst in (("temperature", "temperature"), ("top_p", "topP")):
        if body.get(src) is not None:
            inference[dst] = body[src]
    if body.get("stop_sequences"):
        inference["stopSequences"] = list(body["stop_sequences"])
    if inference:
        out["inferenceConfig"] = inference
    extra: dict[str, Any] = {}
    if body.get("top_k") is not None:
        extra["top_k"] = body["top_k"]
    if body.get("thinking") is not None:
        extra["thinking"] = body["thinking"]
    if extra:
        out["additionalModelRequestFields"] = extra
    choice = _tool_choice(body.get("tool_choice"))
    tools = _tools(body["tools"]) if body.get("tools") else []
    dropping = (
        isinstance(body.get("tool_choice"), dict) and body["tool_choice"].get("type") == "none"
    )
    if tools and not (dropping and not _has_tool_blocks(messages)):
        config: dict[str, Any] = {"tools": tools}
        if choice is not None:
            config["toolChoice"] = choice
        out["toolConfig"] = config
    stream = body.get("stream") is True
    return ConverseRequest(body=out, path=converse_path(model, stream), model=model, stream=stream)
