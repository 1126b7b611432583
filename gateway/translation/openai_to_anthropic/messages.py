"""OpenAI `messages` -> Anthropic `system` + `messages`.

System policy: the *leading run* of `system`/`developer` messages becomes the top-level
`system` blocks, one block per text part, each keeping its `cache_control`. A system or
developer message that appears *later* is not hoisted (hoisting would rewrite the cached
prompt prefix and re-bill the whole history); it becomes user-turn text prefixed with
`LATE_SYSTEM_PREFIX`, merged with the neighbouring user turn.

Other rules: consecutive same-role turns are merged (tool results first in a user turn),
empty text is never sent, tool-call `arguments` of `""` become `{}`, tool ids and names go
through the sanitising maps, `thinking_blocks` on assistant messages are replayed first, and a
final assistant prefill is right-stripped (Anthropic rejects trailing whitespace there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gateway.translation._json import loads
from gateway.translation.errors import bad_request as _bad
from gateway.translation.ids import NameMap
from gateway.translation.openai_to_anthropic.content import text_parts, user_blocks

__all__ = ["LATE_SYSTEM_PREFIX", "ConvertedMessages", "convert_messages"]

LATE_SYSTEM_PREFIX = "[Operator instruction, not written by the user]\n"

Block = dict[str, Any]
_SYSTEM_ROLES = ("system", "developer")


@dataclass(slots=True)
class ConvertedMessages:
    """The translated conversation and the (client) tool names its history uses."""

    system: list[Block]
    messages: list[dict[str, Any]]
    history_tool_names: list[str] = field(default_factory=list)


def _apply_message_cache_control(blocks: list[Block], message: dict[str, Any]) -> None:
    cache_control = message.get("cache_control")
    if cache_control is not None and blocks:
        blocks[-1]["cache_control"] = cache_control


def _tool_input(arguments: object, param: str) -> dict[str, Any]:
    if arguments is None or arguments == "":
        return {}
    if isinstance(arguments, dict):
        return arguments
    if not isinstance(arguments, str):
        raise _bad("arguments must be a JSON string", param)
    try:
        value = loads(arguments)
    except ValueError:
        raise _bad("arguments is not valid JSON", param) from None
    if not isinstance(value, dict):
        raise _bad("arguments must encode a JSON object", param)
    return value


def _thinking_blocks(raw: object, param: str) -> list[Block]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _bad("thinking_blocks must be an array", param)
    blocks: list[Block] = []
    for j, block in enumerate(raw):
        kind = block.get("type") if isinstance(block, dict) else None
        if isinstance(block, dict) and kind == "thinking":
            thinking, signature = block.get("thinking"), block.get("signature")
            if isinstance(thinking, str) and isinstance(signature, str):
                blocks.append({"type": "thinking", "thinking": thinking, "signature": signature})
                continue
        elif isinstance(block, dict) and kind == "redacted_thinking":
            data = block.get("data")
            if isinstance(data, str):
                blocks.append({"type": "redacted_thinking", "data": data})
                continue
        raise _bad(
            "thinking blocks need thinking+signature (or redacted_thinking data)", f"{param}[{j}]"
        )
    return blocks


def _assistant_blocks(
    message: dict[str, Any], param: str, names: NameMap, ids: NameMap, used: list[str]
) -> list[Block]:
    blocks = _thinking_blocks(message.get("thinking_blocks"), f"{param}.thinking_blocks")
    blocks += text_parts(message.get("content"), f"{param}.content", allow_refusal=True)
    calls = message.get("tool_calls") or []
    if not isinstance(calls, list):
        raise _bad("tool_calls must be an array", f"{param}.tool_calls")
    for j, call in enumerate(calls):
        where = f"{param}.tool_calls[{j}]"
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(call, dict) or not isinstance(function, dict):
            raise _bad("tool calls need a 'function' object", where)
        if call.get("type", "function") != "function":
            raise _bad("only function tool calls are supported", f"{where}.type")
        call_id, name = call.get("id"), function.get("name")
        if not isinstance(call_id, str) or not call_id:
            raise _bad("tool calls need a non-empty 'id'", f"{where}.id")
        if not isinstance(name, str) or not name:
            raise _bad("tool calls need a non-empty function name", f"{where}.function.name")
        used.append(name)
        block: Block = {
            "type": "tool_use",
            "id": ids.to_backend(call_id),
            "name": names.to_backend(name),
            "input": _tool_input(function.get("arguments"), f"{where}.function.arguments"),
        }
        if call.get("cache_control") is not None:
            block["cache_control"] = call["cache_control"]
        blocks.append(block)
    return blocks


def _tool_result(message: dict[str, Any], param: str, ids: NameMap) -> Block:
    call_id = message.get("tool_call_id")
    if not isinstance(call_id, str) or not call_id:
        raise _bad("tool messages need a non-empty 'tool_call_id'", f"{param}.tool_call_id")
    block: Block = {"type": "tool_result", "tool_use_id": ids.to_backend(call_id)}
    content = message.get("content")
    if isinstance(content, str):
        if content:
            block["content"] = content
    else:
        parts = text_parts(content, f"{param}.content")
        if parts:
            block["content"] = parts
    if message.get("cache_control") is not None:
        block["cache_control"] = message["cache_control"]
    return block


def _late_system_blocks(message: dict[str, Any], param: str) -> list[Block]:
    blocks = text_parts(message.get("content"), f"{param}.content")
    if blocks:
        blocks[0]["text"] = LATE_SYSTEM_PREFIX + blocks[0]["text"]
    return blocks


def _append(turns: list[dict[str, Any]], role: str, blocks: list[Block]) -> None:
    if not blocks:
        return
    if turns and turns[-1]["role"] == role:
        turns[-1]["content"].extend(blocks)
    else:
        turns.append({"role": role, "content": blocks})


def _strip_prefill(turns: list[dict[str, Any]]) -> None:
    last = turns[-1]
    content = last["content"]
    if last["role"] != "assistant" or content[-1]["type"] != "text":
        return
    stripped = content[-1]["text"].rstrip()
    if stripped:
        content[-1]["text"] = stripped
        return
    content.pop()
    if not content:
        turns.pop()


def convert_messages(messages: object, names: NameMap, ids: NameMap) -> ConvertedMessages:
    """Translate the conversation; raises `TranslationError` (400) naming the bad field."""
    if not isinstance(messages, list) or not messages:
        raise _bad("messages must be a non-empty array", "messages")
    result = ConvertedMessages(system=[], messages=[])
    leading = True
    for i, message in enumerate(messages):
        param = f"messages[{i}]"
        if not isinstance(message, dict):
            raise _bad("messages must be objects", param)
        role = message.get("role")
        if role in _SYSTEM_ROLES and leading:
            blocks = text_parts(message.get("content"), f"{param}.content")
            _apply_message_cache_control(blocks, message)
            result.system.extend(blocks)
            continue
        leading = False
        if role in _SYSTEM_ROLES:
            blocks, target = _late_system_blocks(message, param), "user"
        elif role == "user":
            blocks, target = user_blocks(message.get("content"), f"{param}.content"), "user"
        elif role == "assistant":
            used = result.history_tool_names
            blocks, target = _assistant_blocks(message, param, names, ids, used), "assistant"
            if not blocks:
                raise _bad("assistant messages need content or tool_calls", f"{param}.content")
        elif role == "tool":
            blocks, target = [_tool_result(message, param, ids)], "user"
        else:
            raise _bad(f"unsupported role {role!r}", f"{param}.role")
        if role != "tool":
            _apply_message_cache_control(blocks, message)
        _append(result.messages, target, blocks)
    for turn in result.messages:
        if turn["role"] == "user":
            turn["content"].sort(key=lambda block: block["type"] != "tool_result")
    if result.messages:
        _strip_prefill(result.messages)
    if not result.messages:
        raise _bad("at least one non-system message is required", "messages")
    return result
