"""Anthropic Messages API: request validation, prompt extraction, responses and stream events."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from gateway.simulator.cache import CacheUsage, Segment
from gateway.simulator.errors import SimError
from gateway.simulator.reply import (
    DEFAULT_FILLER_WORDS,
    Prompt,
    Reply,
    ToolChoice,
    ToolSpec,
    json_chunks,
    text_chunks,
    thinking_signature,
)
from gateway.simulator.sse import named_event
from gateway.simulator.tokens import compact_json, count_tokens
from gateway.simulator.wire import content_text, is_int

MAX_BREAKPOINTS: Final = 4
MIN_THINKING_BUDGET: Final = 1024
_BLOCK_TYPES: Final = frozenset(
    {
        "text",
        "image",
        "document",
        "search_result",
        "tool_use",
        "tool_result",
        "thinking",
        "redacted_thinking",
        "server_tool_use",
        "web_search_tool_result",
        "container_upload",
    }
)


@dataclass(frozen=True)
class MessagesRequest:
    """A validated Messages request."""

    body: dict[str, Any]
    model: str
    stream: bool
    prompt: Prompt
    breakpoints: int


def _invalid(message: str) -> SimError:
    return SimError(400, message)


def _breakpoint(block: Any) -> str | None:
    """'5m' / '1h' when `block` carries an ephemeral cache_control, else None."""
    if not isinstance(block, dict):
        return None
    control = block.get("cache_control")
    if not isinstance(control, dict) or control.get("type") != "ephemeral":
        return None
    return "1h" if control.get("ttl") == "1h" else "5m"


def parse_request(
    body: Any, *, count_only: bool = False, filler_words: int | None = None
) -> MessagesRequest:
    """Validate like the real API (400 `invalid_request_error` naming the field)."""
    if not isinstance(body, dict):
        raise _invalid("Request body must be a JSON object")
    model = body.get("model")
    if model is None:
        raise _invalid("model: Field required")
    if not isinstance(model, str) or not model:
        raise _invalid("model: Input should be a valid string")
    if not count_only:
        _check_max_tokens(body)
    messages = body.get("messages")
    if messages is None:
        raise _invalid("messages: Field required")
    if not isinstance(messages, list):
        raise _invalid("messages: Input should be a valid list")
    if not messages:
        raise _invalid("messages: at least one message is required")
    breakpoints = _check_messages(messages)
    system = _system_text(body.get("system"))
    breakpoints += _count_system_breakpoints(body.get("system"))
    tools = _tools(body.get("tools"))
    breakpoints += sum(1 for tool in body.get("tools") or () if _breakpoint(tool))
    if _breakpoint(body) is not None:
        breakpoints += 1
    if breakpoints > MAX_BREAKPOINTS:
        raise _invalid(
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. "
            f"Found {breakpoints}."
        )
    choice, tool_name = _tool_choice(body.get("tool_choice"), tools)
    thinking = _thinking(body.get("thinking"), body.get("max_tokens"), count_only)
    stops = _stop_sequences(body.get("stop_sequences"))
    _check_sampling(body)
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise _invalid("stream: Input should be a valid boolean")
    user_text, tool_result = _last_user(messages)
    prompt = Prompt(
        user_text=user_text,
        system=system,
        tool_result=tool_result,
        tools=tools,
        tool_choice=choice,
        tool_name=tool_name,
        max_tokens=body.get("max_tokens") if not count_only else None,
        stop_sequences=stops,
        thinking=thinking,
        filler_words=DEFAULT_FILLER_WORDS if filler_words is None else filler_words,
    )
    return MessagesRequest(body, model, stream, prompt, breakpoints)


def _check_max_tokens(body: dict[str, Any]) -> None:
    max_tokens = body.get("max_tokens")
    if max_tokens is None:
        raise _invalid("max_tokens: Field required")
    if not is_int(max_tokens):
        raise _invalid("max_tokens: Input should be a valid integer")
    if max_tokens < 1:
        raise _invalid("max_tokens: Value must be greater than or equal to 1")


def _check_messages(messages: list[Any]) -> int:
    """Check roles, blocks and tool_use/tool_result pairing; return the breakpoint count."""
    breakpoints = 0
    pending: set[str] = set()
    pending_index = -1
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise _invalid(f"messages.{i}: Input should be a valid dictionary")
        role = message.get("role")
        if role is None:
            raise _invalid(f"messages.{i}.role: Field required")
        if role not in ("user", "assistant"):
            raise _invalid(f"messages.{i}.role: Input should be 'user' or 'assistant'")
        if "content" not in message:
            raise _invalid(f"messages.{i}.content: Field required")
        content = message["content"]
        if isinstance(content, str):
            if not content and not (role == "assistant" and i == len(messages) - 1):
                raise _invalid("messages: text content blocks must be non-empty")
            answered: set[str] = set()
            tool_uses: set[str] = set()
        elif isinstance(content, list):
            answered, tool_uses, count = _check_blocks(i, role, content, pending)
            breakpoints += count
        else:
            raise _invalid(f"messages.{i}.content: Input should be a valid list")
        if pending and pending - answered:
            missing = ", ".join(sorted(pending - answered))
            raise _invalid(
                f"messages.{pending_index}: `tool_use` ids were found without `tool_result` "
                f"blocks immediately after: {missing}. Each `tool_use` block must have a "
                "corresponding `tool_result` block in the next message."
            )
        pending, pending_index = tool_uses, i
    return breakpoints


def _check_blocks(
    i: int, role: str, content: list[Any], previous_tool_uses: set[str]
) -> tuple[set[str], set[str], int]:
    answered: set[str] = set()
    tool_uses: set[str] = set()
    breakpoints = 0
    for j, block in enumerate(content):
        where = f"messages.{i}.content.{j}"
        if not isinstance(block, dict):
            raise _invalid(f"{where}: Input should be a valid dictionary")
        kind = block.get("type")
        if kind is None:
            raise _invalid(f"{where}.type: Field required")
        if kind not in _BLOCK_TYPES:
            raise _invalid(
                f"{where}: Input tag '{kind}' found using 'type' does not match any of the "
                f"expected tags: {', '.join(sorted(_BLOCK_TYPES))}"
            )
        if _breakpoint(block):
            breakpoints += 1
        if kind == "text":
            text = block.get("text")
            if not isinstance(text, str):
                raise _invalid(f"{where}.text: Field required")
            if not text:
                raise _invalid("messages: text content blocks must be non-empty")
        elif kind == "tool_use":
            if role != "assistant":
                raise _invalid(f"{where}: `tool_use` blocks are only allowed in assistant turns")
            for field in ("id", "name", "input"):
                if field not in block:
                    raise _invalid(f"{where}.{field}: Field required")
            tool_uses.add(str(block["id"]))
        elif kind == "tool_result":
            tool_use_id = block.get("tool_use_id")
            if tool_use_id is None:
                raise _invalid(f"{where}.tool_use_id: Field required")
            if not isinstance(tool_use_id, str):
                raise _invalid(f"{where}.tool_use_id: Input should be a valid string")
            if tool_use_id not in previous_tool_uses:
                raise _invalid(
                    f"{where}: unexpected `tool_use_id` found in `tool_result` blocks: "
                    f"{tool_use_id}. Each `tool_result` block must have a corresponding "
                    "`tool_use` block in the previous message."
                )
            _check_tool_result_content(f"{where}.content", block.get("content"))
            answered.add(tool_use_id)
        elif kind == "thinking":
            thinking, signature = block.get("thinking"), block.get("signature")
            if not isinstance(thinking, str) or signature != thinking_signature(thinking):
                raise _invalid(f"{where}: Invalid `signature` in `thinking` block")
    return answered, tool_uses, breakpoints


def _check_tool_result_content(where: str, content: Any) -> None:
    if content is None or isinstance(content, str):
        return
    if not isinstance(content, list):
        raise _invalid(f"{where}: Input should be a valid list")
    for k, part in enumerate(content):
        if not isinstance(part, dict):
            raise _invalid(f"{where}.{k}: Input should be a valid dictionary")
        if part.get("type") == "text" and not isinstance(part.get("text"), str):
            raise _invalid(f"{where}.{k}.text: Field required")


def _system_text(system: Any) -> str:
    if system is None:
        return ""
    if isinstance(system, str):
        return system
    if not isinstance(system, list):
        raise _invalid("system: Input should be a valid string or a list of text blocks")
    texts = []
    for j, block in enumerate(system):
        if not isinstance(block, dict) or block.get("type") != "text":
            raise _invalid(f"system.{j}.type: Input should be 'text'")
        text = block.get("text")
        if not isinstance(text, str) or not text:
            raise _invalid("system: text content blocks must be non-empty")
        texts.append(text)
    return "\n".join(texts)


def _count_system_breakpoints(system: Any) -> int:
    return sum(1 for block in system if _breakpoint(block)) if isinstance(system, list) else 0


def _tools(tools: Any) -> list[ToolSpec]:
    if tools is None:
        return []
    if not isinstance(tools, list):
        raise _invalid("tools: Input should be a valid list")
    specs = []
    for j, tool in enumerate(tools):
        if not isinstance(tool, dict):
            raise _invalid(f"tools.{j}: Input should be a valid dictionary")
        name = tool.get("name")
        if not isinstance(name, str) or not name:
            raise _invalid(f"tools.{j}.name: Field required")
        if "type" in tool and tool["type"] != "custom":
            continue  # server tools (web_search, bash, …) are accepted but never called
        schema = tool.get("input_schema")
        if schema is None:
            raise _invalid(f"tools.{j}.custom.input_schema: Field required")
        if not isinstance(schema, dict):
            raise _invalid(f"tools.{j}.custom.input_schema: Input should be a valid dictionary")
        specs.append(ToolSpec(name, schema))
    return specs


def _tool_choice(choice: Any, tools: list[ToolSpec]) -> tuple[ToolChoice, str | None]:
    if choice is None:
        return "auto", None
    if not isinstance(choice, dict):
        raise _invalid("tool_choice: Input should be a valid dictionary")
    kind = choice.get("type")
    if kind in ("auto", "none"):
        return kind, None
    if kind == "any":
        if not tools:
            raise _invalid("tool_choice: `any` requires at least one tool in `tools`")
        return "any", None
    if kind == "tool":
        name = choice.get("name")
        if not isinstance(name, str):
            raise _invalid("tool_choice.tool.name: Field required")
        if all(tool.name != name for tool in tools):
            raise _invalid(f"tool_choice.tool.name: Tool '{name}' not found in `tools`")
        return "tool", name
    raise _invalid(
        f"tool_choice: Input tag '{kind}' found using 'type' does not match any of the "
        "expected tags: 'auto', 'any', 'tool', 'none'"
    )


def _thinking(thinking: Any, max_tokens: Any, count_only: bool) -> bool:
    if thinking is None:
        return False
    if not isinstance(thinking, dict):
        raise _invalid("thinking: Input should be a valid dictionary")
    kind = thinking.get("type")
    if kind == "disabled":
        return False
    if kind == "adaptive":
        return True
    if kind != "enabled":
        raise _invalid(
            f"thinking: Input tag '{kind}' found using 'type' does not match any of the "
            "expected tags: 'adaptive', 'disabled', 'enabled'"
        )
    budget = thinking.get("budget_tokens")
    if budget is None:
        raise _invalid("thinking.enabled.budget_tokens: Field required")
    if not is_int(budget):
        raise _invalid("thinking.enabled.budget_tokens: Input should be a valid integer")
    if budget < MIN_THINKING_BUDGET:
        raise _invalid(
            "thinking.enabled.budget_tokens: Input should be greater than or equal to "
            f"{MIN_THINKING_BUDGET}"
        )
    if not count_only and budget >= max_tokens:
        raise _invalid("`max_tokens` must be greater than `thinking.budget_tokens`")
    return True


def _stop_sequences(stops: Any) -> list[str]:
    if stops is None:
        return []
    if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
        raise _invalid("stop_sequences: Input should be a valid list of strings")
    for stop in stops:
        if not stop.strip():
            raise _invalid("stop_sequences: each stop sequence must contain non-whitespace")
    return stops


def _check_sampling(body: dict[str, Any]) -> None:
    for name, high in (("temperature", 1), ("top_p", 1)):
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _invalid(f"{name}: Input should be a valid number")
        if not 0 <= value <= high:
            raise _invalid(f"{name}: Input should be between 0 and {high}")


def _last_user(messages: list[dict[str, Any]]) -> tuple[str, str | None]:
    """(text of the last user turn, its tool_result content if it answers a tool call)."""
    for message in reversed(messages):
        if message["role"] != "user":
            continue
        content = message["content"]
        if isinstance(content, str):
            return content, None
        results = [
            content_text(b.get("content", ""))
            for b in content
            if isinstance(b, dict) and b.get("type") == "tool_result"
        ]
        return content_text(content), (" ".join(results) if results else None)
    return "", None


def segments(request: MessagesRequest, *, with_data: bool) -> Iterator[Segment]:
    """The prompt in cache order (tools, system, messages), one segment per block.

    Text is counted as text; every other block (and each tool definition) as its compact JSON
    without `cache_control`. A top-level `cache_control` marks the last block.
    """
    body = request.body
    items: list[tuple[str, Any]] = [("tool", t) for t in body.get("tools") or ()]
    system = body.get("system")
    if isinstance(system, str):
        if system:
            items.append(("system", system))
    elif isinstance(system, list):
        items.extend(("system", block) for block in system)
    for message in body["messages"]:
        content = message["content"]
        role = message["role"]
        if isinstance(content, str):
            items.append((role, content))
        else:
            items.extend((role, block) for block in content)
    automatic = _breakpoint(body)
    last = len(items) - 1
    for index, (label, item) in enumerate(items):
        if isinstance(item, str):
            text, mark = item, None
        elif item.get("type") == "text" and label != "tool":
            text, mark = item["text"], _breakpoint(item)
        else:
            mark = _breakpoint(item)
            text = compact_json({k: v for k, v in item.items() if k != "cache_control"})
        if index == last and automatic is not None:
            mark = automatic
        data = f"{label}\0{text}".encode() if with_data else b""
        yield Segment(count_tokens(text), data, mark)


def usage(input_tokens: int, cache: CacheUsage, output_tokens: int) -> dict[str, Any]:
    """Anthropic `usage`; `input_tokens` is the uncached remainder."""
    return {
        "input_tokens": input_tokens,
        "cache_creation_input_tokens": cache.creation,
        "cache_read_input_tokens": cache.read,
        "cache_creation": {
            "ephemeral_5m_input_tokens": cache.creation_5m,
            "ephemeral_1h_input_tokens": cache.creation_1h,
        },
        "output_tokens": output_tokens,
        "service_tier": "standard",
    }


def content_blocks(reply: Reply, tool_id: str) -> list[dict[str, Any]]:
    """The `content` array of a non-streaming response."""
    blocks: list[dict[str, Any]] = []
    if reply.thinking is not None:
        blocks.append(
            {"type": "thinking", "thinking": reply.thinking, "signature": reply.signature}
        )
    if reply.text:
        blocks.append({"type": "text", "text": reply.text})
    if reply.tool is not None:
        blocks.append(
            {"type": "tool_use", "id": tool_id, "name": reply.tool.name, "input": reply.tool.input}
        )
    return blocks


@dataclass(frozen=True)
class Answer:
    """A composed reply with its ids and usage, ready to render as a message or a stream."""

    model: str
    stream: bool
    msg_id: str
    reply: Reply
    tool_id: str
    usage: dict[str, Any]

    def message(self) -> dict[str, Any]:
        """The non-streaming `message` response."""
        return message(self.msg_id, self.model, self.reply, self.tool_id, self.usage)

    def events(self) -> list[bytes]:
        """The SSE events of the streaming response."""
        return stream_events(self.msg_id, self.model, self.reply, self.tool_id, self.usage)


def message(
    msg_id: str, model: str, reply: Reply, tool_id: str, usage_: dict[str, Any]
) -> dict[str, Any]:
    """A complete non-streaming `message` response."""
    return {
        "id": msg_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content_blocks(reply, tool_id),
        "stop_reason": reply.stop_reason,
        "stop_sequence": reply.stop_sequence,
        "usage": usage_,
    }


def stream_events(
    msg_id: str, model: str, reply: Reply, tool_id: str, usage_: dict[str, Any]
) -> list[bytes]:
    """The full SSE event sequence of a streaming response."""
    start_usage = {**usage_, "output_tokens": 1}
    events = [
        named_event(
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": msg_id,
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": start_usage,
                },
            },
        )
    ]
    for index, block in enumerate(content_blocks(reply, tool_id)):
        kind = block["type"]
        start: dict[str, Any]
        if kind == "thinking":
            start = {"type": "thinking", "thinking": "", "signature": ""}
            deltas = [{"type": "thinking_delta", "thinking": c} for c in text_chunks(block[kind])]
            deltas.append({"type": "signature_delta", "signature": block["signature"]})
        elif kind == "text":
            start = {"type": "text", "text": ""}
            deltas = [{"type": "text_delta", "text": c} for c in text_chunks(block[kind])]
        else:
            start = {**block, "input": {}}
            deltas = [
                {"type": "input_json_delta", "partial_json": c}
                for c in json_chunks(compact_json(block["input"]))
            ]
        events.append(
            named_event(
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": start},
            )
        )
        if index == 0:
            events.append(named_event("ping", {"type": "ping"}))
        events.extend(
            named_event(
                "content_block_delta", {"type": "content_block_delta", "index": index, "delta": d}
            )
            for d in deltas
        )
        events.append(
            named_event("content_block_stop", {"type": "content_block_stop", "index": index})
        )
    final_usage = {k: v for k, v in usage_.items() if k not in ("cache_creation", "service_tier")}
    events.append(
        named_event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": reply.stop_reason, "stop_sequence": reply.stop_sequence},
                "usage": final_usage,
            },
        )
    )
    events.append(named_event("message_stop", {"type": "message_stop"}))
    return events


def error_event(request_id: str) -> bytes:
    """The mid-stream `event: error` used by `x-sim-fail-mode: error`."""
    return named_event(
        "error",
        {
            "type": "error",
            "error": {"type": "overloaded_error", "message": "Overloaded"},
            "request_id": request_id,
        },
    )
