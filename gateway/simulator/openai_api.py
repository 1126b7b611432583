"""OpenAI Chat Completions: request validation, prompt extraction, responses and stream chunks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from aigw_sdk.sse import DONE_FRAME
from gateway.simulator.cache import Segment
from gateway.simulator.errors import SimError
from gateway.simulator.reply import (
    DEFAULT_FILLER_WORDS,
    Prompt,
    Reply,
    ToolChoice,
    ToolSpec,
    json_chunks,
    text_chunks,
)
from gateway.simulator.tokens import compact_json, count_tokens
from gateway.simulator.wire import content_text, is_int
from gateway.translation._stream import data_frame

_ROLES: Final = ("system", "developer", "user", "assistant", "tool", "function")
_FINISH: Final = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
}
FINGERPRINT: Final = "fp_simulator"


@dataclass(frozen=True)
class ChatRequest:
    """A validated chat completions request."""

    body: dict[str, Any]
    model: str
    stream: bool
    include_usage: bool
    prompt: Prompt


def _invalid(message: str, param: str | None = None, code: str | None = None) -> SimError:
    return SimError(400, message, param=param, code=code)


def parse_request(body: Any, *, filler_words: int | None = None) -> ChatRequest:
    """Validate like the real API (400 `invalid_request_error` with `param` and `code`)."""
    if not isinstance(body, dict):
        raise _invalid("The request body must be a JSON object.")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise _invalid("you must provide a model parameter")
    messages = body.get("messages")
    if messages is None:
        raise _invalid(
            "Missing required parameter: 'messages'.", "messages", "missing_required_parameter"
        )
    if not isinstance(messages, list):
        raise _invalid(
            "Invalid type for 'messages': expected an array.", "messages", "invalid_type"
        )
    if not messages:
        raise _invalid(
            "Invalid 'messages': empty array. Expected an array with minimum length 1, but got "
            "an empty array instead.",
            "messages",
            "empty_array",
        )
    _check_messages(messages)
    max_tokens = _max_tokens(body)
    tools = _tools(body.get("tools"))
    choice, tool_name = _tool_choice(body.get("tool_choice"), tools)
    stops = _stop(body.get("stop"))
    stream = body.get("stream") is True
    options = body.get("stream_options")
    include_usage = stream and isinstance(options, dict) and options.get("include_usage") is True
    user_text, tool_result = _last_user(messages)
    system = "\n".join(
        content_text(m.get("content")) for m in messages if m["role"] in ("system", "developer")
    )
    prompt = Prompt(
        user_text=user_text,
        system=system,
        tool_result=tool_result,
        tools=tools,
        tool_choice=choice,
        tool_name=tool_name,
        max_tokens=max_tokens,
        stop_sequences=stops,
        filler_words=DEFAULT_FILLER_WORDS if filler_words is None else filler_words,
    )
    return ChatRequest(body, model, stream, include_usage, prompt)


def _check_messages(messages: list[Any]) -> None:
    pending: set[str] = set()
    pending_index = -1
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise _invalid(
                f"Invalid type for 'messages[{i}]': expected an object.",
                f"messages[{i}]",
                "invalid_type",
            )
        role = message.get("role")
        if role not in _ROLES:
            raise _invalid(
                f"Invalid value: '{role}'. Supported values are: 'system', 'assistant', 'user', "
                "'function', 'tool', and 'developer'.",
                f"messages[{i}].role",
                "invalid_value",
            )
        if role == "tool":
            call_id = message.get("tool_call_id")
            if not isinstance(call_id, str) or call_id not in pending:
                raise _invalid(
                    "Invalid parameter: messages with role 'tool' must be a response to a "
                    "preceeding message with 'tool_calls'.",
                    f"messages.[{i}].role",
                )
            pending.discard(call_id)
            continue
        if pending:
            raise _invalid(
                "An assistant message with 'tool_calls' must be followed by tool messages "
                "responding to each 'tool_call_id'. The following tool_call_ids did not have "
                f"response messages: {', '.join(sorted(pending))}",
                f"messages.[{pending_index}].role",
            )
        content = message.get("content")
        if role == "assistant":
            calls = message.get("tool_calls") or []
            if not isinstance(calls, list):
                raise _invalid(
                    f"Invalid type for 'messages[{i}].tool_calls': expected an array.",
                    f"messages[{i}].tool_calls",
                    "invalid_type",
                )
            pending = {str(c.get("id")) for c in calls if isinstance(c, dict)}
            pending_index = i
        elif content is None:
            raise _invalid(
                f"Missing required parameter: 'messages[{i}].content'.",
                f"messages[{i}].content",
                "missing_required_parameter",
            )
        if content is not None and not isinstance(content, str | list):
            raise _invalid(
                f"Invalid type for 'messages[{i}].content': expected one of a string or "
                "array of objects.",
                f"messages[{i}].content",
                "invalid_type",
            )


def _max_tokens(body: dict[str, Any]) -> int | None:
    for name in ("max_completion_tokens", "max_tokens"):
        value = body.get(name)
        if value is None:
            continue
        if not is_int(value):
            raise _invalid(f"Invalid type for '{name}': expected an integer.", name, "invalid_type")
        if value < 1:
            raise _invalid(
                f"Invalid '{name}': integer below minimum value. Expected a value >= 1, but got "
                f"{value} instead.",
                name,
                "integer_below_min_value",
            )
        return int(value)
    return None


def _tools(tools: Any) -> list[ToolSpec]:
    if tools is None:
        return []
    if not isinstance(tools, list):
        raise _invalid("Invalid type for 'tools': expected an array.", "tools", "invalid_type")
    specs = []
    for j, tool in enumerate(tools):
        function = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(function, dict):
            raise _invalid(
                f"Missing required parameter: 'tools[{j}].function'.",
                f"tools[{j}].function",
                "missing_required_parameter",
            )
        name = function.get("name")
        if not isinstance(name, str) or not name:
            raise _invalid(
                f"Missing required parameter: 'tools[{j}].function.name'.",
                f"tools[{j}].function.name",
                "missing_required_parameter",
            )
        schema = function.get("parameters") or {"type": "object", "properties": {}}
        specs.append(ToolSpec(name, schema if isinstance(schema, dict) else {}))
    return specs


def _tool_choice(choice: Any, tools: list[ToolSpec]) -> tuple[ToolChoice, str | None]:
    if choice is None or choice == "auto":
        return "auto", None
    if choice == "none":
        return "none", None
    if choice == "required":
        if not tools:
            raise _invalid(
                "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' "
                "are specified.",
                "tool_choice",
            )
        return "any", None
    if isinstance(choice, dict) and isinstance(choice.get("function"), dict):
        name = choice["function"].get("name")
        if all(tool.name != name for tool in tools):
            raise _invalid(
                f"Invalid value for 'tool_choice': function '{name}' is not in 'tools'.",
                "tool_choice",
            )
        return "tool", str(name)
    raise _invalid(
        "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named function.",
        "tool_choice",
        "invalid_value",
    )


def _stop(stop: Any) -> list[str]:
    if stop is None:
        return []
    stops = [stop] if isinstance(stop, str) else stop
    if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
        raise _invalid("Invalid type for 'stop': expected a string or an array.", "stop")
    if len(stops) > 4:
        raise _invalid(
            f"Invalid 'stop': array too long. Expected an array with maximum length 4, but got "
            f"an array with length {len(stops)} instead.",
            "stop",
            "array_above_max_length",
        )
    return [s for s in stops if s]


def _last_user(messages: list[dict[str, Any]]) -> tuple[str, str | None]:
    """(text of the last user message, trailing tool-message contents if the turn ends so)."""
    results: list[str] = []
    for message in reversed(messages):
        if message["role"] != "tool":
            break
        results.insert(0, content_text(message.get("content")))
    user_text = next(
        (content_text(m.get("content")) for m in reversed(messages) if m["role"] == "user"), ""
    )
    return user_text, (" ".join(results) if results else None)


def segments(request: ChatRequest, *, with_data: bool) -> Iterator[Segment]:
    """The prompt in order: each tool definition, then one segment per message.

    Text (string content, text parts) counts as text; other parts and `tool_calls` as compact JSON.
    """
    for tool in request.body.get("tools") or ():
        text = compact_json(tool)
        yield Segment(count_tokens(text), f"tool\0{text}".encode() if with_data else b"")
    for message in request.body["messages"]:
        content = message.get("content")
        tokens = 0
        parts: list[str] = []
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            for part in content:
                is_text = isinstance(part, dict) and part.get("type") == "text"
                parts.append(str(part.get("text", "")) if is_text else compact_json(part))
        if message.get("tool_calls"):
            parts.append(compact_json(message["tool_calls"]))
        tokens = sum(count_tokens(p) for p in parts)
        data = "\0".join([message["role"], *parts]).encode() if with_data else b""
        yield Segment(tokens, data)


def usage(prompt_tokens: int, cached: int, completion_tokens: int) -> dict[str, Any]:
    """OpenAI `usage`; `prompt_tokens` includes the cached ones."""
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def completion(
    chat_id: str, created: int, model: str, reply: Reply, call_id: str, usage_: dict[str, Any]
) -> dict[str, Any]:
    """A complete non-streaming `chat.completion`."""
    message: dict[str, Any] = {
        "role": "assistant",
        "content": reply.text or None,
        "refusal": None,
        "annotations": [],
    }
    if reply.tool is not None:
        message["tool_calls"] = [
            {
                "id": call_id,
                "type": "function",
                "function": {"name": reply.tool.name, "arguments": reply.tool.arguments},
            }
        ]
    return {
        "id": chat_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": _FINISH[reply.stop_reason],
            }
        ],
        "usage": usage_,
        "service_tier": "default",
        "system_fingerprint": FINGERPRINT,
    }


def stream_chunks(
    chat_id: str,
    created: int,
    model: str,
    reply: Reply,
    call_id: str,
    usage_: dict[str, Any] | None,
) -> list[bytes]:
    """The SSE `data:` frames of a streaming response, ending with `data: [DONE]`."""
    head = {
        "id": chat_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "service_tier": "default",
        "system_fingerprint": FINGERPRINT,
    }
    tail = {"usage": None} if usage_ is not None else {}

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return data_frame({**head, "choices": [choice], **tail})

    frames = [chunk({"role": "assistant", "content": "", "refusal": None})]
    frames.extend(chunk({"content": piece}) for piece in text_chunks(reply.text))
    if reply.tool is not None:
        first = {
            "index": 0,
            "id": call_id,
            "type": "function",
            "function": {"name": reply.tool.name, "arguments": ""},
        }
        frames.append(chunk({"tool_calls": [first]}))
        frames.extend(
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
            for piece in json_chunks(reply.tool.arguments)
        )
    frames.append(chunk({}, _FINISH[reply.stop_reason]))
    if usage_ is not None:
        frames.append(data_frame({**head, "choices": [], "usage": usage_}))
    frames.append(DONE_FRAME)
    return frames


def error_chunk() -> bytes:
    """The mid-stream error frame used by `x-sim-fail-mode: error`."""
    return data_frame(
        {
            "error": {
                "message": "The server had an error while processing your request.",
                "type": "server_error",
                "param": None,
                "code": None,
            }
        }
    )
