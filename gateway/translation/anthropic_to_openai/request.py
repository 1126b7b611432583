"""Anthropic Messages request -> OpenAI Chat Completions request.

Mapping: `system` -> one leading system message (text blocks joined with "\\n"); user
`tool_result` blocks -> `role: tool` messages placed before the rest of that user turn;
assistant `tool_use` -> `tool_calls` with JSON-string arguments; images and PDFs -> data
URLs / `image_url` / `file` parts; `max_tokens` -> `max_completion_tokens`; `stop_sequences`
-> `stop`; `metadata.user_id` -> `user`; `thinking` (enabled) / `output_config.effort` ->
`reasoning_effort`; `output_config.format` -> `response_format: json_schema`. Streaming always
asks for `include_usage` (the usage is needed for `message_delta`). `cache_control` and
thinking blocks in the history are dropped (OpenAI has no equivalent; its caching is implicit).
`is_error` on a tool result has no OpenAI field and is dropped too. Server tools, `top_k`,
`container` and `mcp_servers` cannot be translated and are a 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.translation._json import dumps_str
from gateway.translation.errors import bad_request as _bad

__all__ = ["OpenAIRequest", "anthropic_to_openai_request"]

_MAX_STOP = 4
_UNSUPPORTED = ("top_k", "container", "mcp_servers")
_EFFORT_BY_BUDGET = ((2048, "low"), (8192, "medium"))
_EFFORTS = {"low": "low", "medium": "medium", "high": "high", "max": "high"}


@dataclass(frozen=True, slots=True)
class OpenAIRequest:
    """A translated request: the OpenAI body, the upstream `model`, and whether it streams."""

    body: dict[str, Any]
    model: str
    stream: bool = False


def _texts(value: object, param: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise _bad("must be a string or an array of text blocks", param)
    texts: list[str] = []
    for i, block in enumerate(value):
        if not isinstance(block, dict) or block.get("type") != "text":
            raise _bad("only text blocks are supported here", f"{param}[{i}]")
        texts.append(str(block.get("text", "")))
    return texts


def _media_part(block: dict[str, Any], param: str) -> dict[str, Any]:
    source = block.get("source")
    if not isinstance(source, dict):
        raise _bad("a source object is required", f"{param}.source")
    kind = source.get("type")
    if block["type"] == "document" and kind == "text":
        return {"type": "text", "text": str(source.get("data", ""))}
    if kind == "base64":
        url = f"data:{source.get('media_type', '')};base64,{source.get('data', '')}"
    elif kind == "url":
        url = str(source.get("url", ""))
    else:
        raise _bad(f"source type {kind!r} is not supported", f"{param}.source.type")
    if block["type"] == "image":
        return {"type": "image_url", "image_url": {"url": url}}
    if kind != "base64":
        raise _bad("documents must be inline base64 for OpenAI backends", f"{param}.source")
    return {"type": "file", "file": {"filename": "document.pdf", "file_data": url}}


def _user_messages(content: object, param: str) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"role": "user", "content": content}]
    if not isinstance(content, list):
        raise _bad("content must be a string or an array of blocks", param)
    tool_messages: list[dict[str, Any]] = []
    parts: list[dict[str, Any]] = []
    for i, block in enumerate(content):
        where = f"{param}[{i}]"
        if not isinstance(block, dict):
            raise _bad("content blocks must be objects", where)
        kind = block.get("type")
        if kind == "text":
            parts.append({"type": "text", "text": str(block.get("text", ""))})
        elif kind in ("image", "document"):
            parts.append(_media_part(block, where))
        elif kind == "tool_result":
            result = block.get("content", "")
            text = "".join(_texts(result, f"{where}.content"))
            tool_messages.append(
                {"role": "tool", "tool_call_id": str(block.get("tool_use_id", "")), "content": text}
            )
        else:
            raise _bad(f"content block type {kind!r} is not supported", where)
    if len(parts) == 1 and parts[0]["type"] == "text":
        return [*tool_messages, {"role": "user", "content": parts[0]["text"]}]
    return tool_messages + ([{"role": "user", "content": parts}] if parts else [])


def _assistant_message(content: object, param: str) -> dict[str, Any]:
    if isinstance(content, str):
        return {"role": "assistant", "content": content}
    if not isinstance(content, list):
        raise _bad("content must be a string or an array of blocks", param)
    texts: list[str] = []
    calls: list[dict[str, Any]] = []
    for i, block in enumerate(content):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "text":
            texts.append(str(block.get("text", "")))
        elif kind == "tool_use":
            arguments = dumps_str(block.get("input") or {})
            function = {"name": str(block.get("name", "")), "arguments": arguments}
            calls.append({"id": str(block.get("id", "")), "type": "function", "function": function})
        elif kind not in ("thinking", "redacted_thinking"):
            raise _bad(f"content block type {kind!r} is not supported", f"{param}[{i}]")
    message: dict[str, Any] = {"role": "assistant", "content": "".join(texts) if texts else None}
    if calls:
        message["tool_calls"] = calls
    return message


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _bad("messages must be a non-empty array", "messages")
    out: list[dict[str, Any]] = []
    system = body.get("system")
    if system is not None and (text := "\n".join(_texts(system, "system"))):
        out.append({"role": "system", "content": text})
    for i, message in enumerate(messages):
        param = f"messages[{i}]"
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ("user", "assistant"):
            raise _bad("role must be user or assistant", f"{param}.role")
        if role == "user":
            out += _user_messages(message.get("content"), f"{param}.content")
        else:
            out.append(_assistant_message(message.get("content"), f"{param}.content"))
    return out


def _tools(tools: object) -> list[dict[str, Any]]:
    if not isinstance(tools, list):
        raise _bad("tools must be an array", "tools")
    out: list[dict[str, Any]] = []
    for i, tool in enumerate(tools):
        if not isinstance(tool, dict) or tool.get("type", "custom") != "custom":
            raise _bad("only custom (client) tools are supported", f"tools[{i}].type")
        if not isinstance(tool.get("name"), str) or not tool["name"]:
            raise _bad("tools need a non-empty name", f"tools[{i}].name")
        function: dict[str, Any] = {"name": tool["name"]}
        if tool.get("description"):
            function["description"] = tool["description"]
        function["parameters"] = tool.get("input_schema") or {"type": "object", "properties": {}}
        if tool.get("strict") is not None:
            function["strict"] = tool["strict"]
        out.append({"type": "function", "function": function})
    return out


def _tool_choice(choice: object, out: dict[str, Any]) -> None:
    if not isinstance(choice, dict):
        raise _bad("tool_choice must be an object", "tool_choice")
    kind = choice.get("type")
    if kind == "tool":
        out["tool_choice"] = {"type": "function", "function": {"name": choice.get("name")}}
    elif kind in ("auto", "any", "none"):
        out["tool_choice"] = "required" if kind == "any" else kind
    else:
        raise _bad(f"unsupported tool_choice type {kind!r}", "tool_choice.type")
    if choice.get("disable_parallel_tool_use") is True and kind != "none":
        out["parallel_tool_calls"] = False


def _reasoning(body: dict[str, Any], out: dict[str, Any]) -> None:
    thinking = body.get("thinking")
    config = body.get("output_config")
    effort = config.get("effort") if isinstance(config, dict) else None
    if effort is not None:
        if not isinstance(effort, str) or effort not in _EFFORTS:
            raise _bad(f"unsupported effort {effort!r}", "output_config.effort")
        out["reasoning_effort"] = _EFFORTS[effort]
    elif isinstance(thinking, dict) and thinking.get("type") == "enabled":
        budget = thinking.get("budget_tokens")
        budget = budget if isinstance(budget, int) else 0
        out["reasoning_effort"] = next((e for b, e in _EFFORT_BY_BUDGET if budget <= b), "high")
    elif isinstance(thinking, dict) and thinking.get("type") == "adaptive":
        out["reasoning_effort"] = "medium"
    fmt = config.get("format") if isinstance(config, dict) else None
    if fmt is not None:
        if not isinstance(fmt, dict) or fmt.get("type") != "json_schema":
            raise _bad("only json_schema output formats are supported", "output_config.format")
        schema = {"name": "output", "schema": fmt.get("schema", {}), "strict": True}
        out["response_format"] = {"type": "json_schema", "json_schema": schema}


def anthropic_to_openai_request(body: dict[str, Any], *, model: str) -> OpenAIRequest:
    """Translate a Messages body for the OpenAI `model` (the upstream model id)."""
    if not isinstance(body, dict):
        raise _bad("the request body must be a JSON object", "body")
    for key in _UNSUPPORTED:
        if body.get(key) is not None:
            raise _bad(f"{key} is not supported by OpenAI backends", key)
    max_tokens = body.get("max_tokens")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        raise _bad("max_tokens is required and must be an integer >= 1", "max_tokens")
    out: dict[str, Any] = {"model": model, "messages": _messages(body)}
    out["max_completion_tokens"] = max_tokens
    for key in ("temperature", "top_p"):
        if body.get(key) is not None:
            out[key] = body[key]
    stops = body.get("stop_sequences")
    if stops:
        if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
            raise _bad("stop_sequences must be an array of strings", "stop_sequences")
        if len(stops) > _MAX_STOP:
            raise _bad(
                f"OpenAI backends accept at most {_MAX_STOP} stop sequences", "stop_sequences"
            )
        out["stop"] = stops
    if body.get("tools"):
        out["tools"] = _tools(body["tools"])
        if body.get("tool_choice") is not None:
            _tool_choice(body["tool_choice"], out)
    elif isinstance(body.get("tool_choice"), dict) and body["tool_choice"].get("type") in (
        "any",
        "tool",
    ):
        raise _bad("tool_choice requires tools", "tool_choice")
    metadata = body.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("user_id"), str):
        out["user"] = metadata["user_id"]
    _reasoning(body, out)
    stream = body.get("stream") is True
    if stream:
        out["stream"] = True
        out["stream_options"] = {"include_usage": True}
    return OpenAIRequest(body=out, model=model, stream=stream)
