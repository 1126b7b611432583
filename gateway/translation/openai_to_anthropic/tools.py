"""OpenAI `tools` / `tool_choice` / `parallel_tool_calls` -> Anthropic equivalents."""

from __future__ import annotations

from typing import Any

from gateway.translation.errors import bad_request as _bad
from gateway.translation.ids import NameMap

__all__ = ["STUB_TOOL_DESCRIPTION", "convert_tool_choice", "convert_tools", "stub_tools"]

STUB_TOOL_DESCRIPTION = "Used earlier in this conversation; not available now."


def _input_schema(parameters: object, param: str) -> dict[str, Any]:
    if parameters is None:
        return {"type": "object", "properties": {}}
    if not isinstance(parameters, dict):
        raise _bad("parameters must be a JSON schema object", param)
    schema = dict(parameters)
    schema.setdefault("type", "object")
    if schema["type"] != "object":
        raise _bad("Anthropic tool input schemas must have type 'object'", f"{param}.type")
    return schema


def convert_tools(tools: object, names: NameMap) -> list[dict[str, Any]]:
    """Function tools -> Anthropic tools (names sanitised, `strict` and `cache_control` kept)."""
    if not isinstance(tools, list):
        raise _bad("tools must be an array", "tools")
    out: list[dict[str, Any]] = []
    for i, tool in enumerate(tools):
        param = f"tools[{i}]"
        if not isinstance(tool, dict) or tool.get("type") != "function":
            raise _bad("only tools of type 'function' are supported", f"{param}.type")
        function = tool.get("function")
        name = function.get("name") if isinstance(function, dict) else None
        if not isinstance(function, dict) or not isinstance(name, str) or not name:
            raise _bad("tools need a function with a non-empty name", f"{param}.function.name")
        converted: dict[str, Any] = {"name": names.to_backend(name)}
        description = function.get("description")
        if description is not None:
            if not isinstance(description, str):
                raise _bad("description must be a string", f"{param}.function.description")
            if description:
                converted["description"] = description
        converted["input_schema"] = _input_schema(
            function.get("parameters"), f"{param}.function.parameters"
        )
        if function.get("strict") is not None:
            converted["strict"] = function["strict"]
        cache_control = tool.get("cache_control", function.get("cache_control"))
        if cache_control is not None:
            converted["cache_control"] = cache_control
        out.append(converted)
    return out


def stub_tools(history_names: list[str], names: NameMap) -> list[dict[str, Any]]:
    """Placeholder definitions for tools the history used but the request did not declare.

    Anthropic rejects `tool_use` blocks whose tools are not defined; these stubs keep the
    history valid and are paired with `tool_choice: none` so they are never called.
    """
    unique = dict.fromkeys(names.to_backend(name) for name in history_names)
    return [
        {
            "name": name,
            "description": STUB_TOOL_DESCRIPTION,
            "input_schema": {"type": "object", "properties": {}},
        }
        for name in unique
    ]


def convert_tool_choice(
    choice: object, parallel: object, tools: list[dict[str, Any]], names: NameMap
) -> dict[str, Any] | None:
    """The Anthropic `tool_choice`, or None to omit it.

    Without tools, `auto`/`none` are no-ops and omitted; `required` or a named tool cannot be
    honoured and are a 400. `parallel_tool_calls: false` becomes `disable_parallel_tool_use`
    (synthesising `{type: auto}` when no choice was given), never on `none`.
    """
    if parallel is not None and not isinstance(parallel, bool):
        raise _bad("parallel_tool_calls must be a boolean", "parallel_tool_calls")
    result: dict[str, Any] | None
    if choice is None:
        result = {"type": "auto"} if tools and parallel is False else None
    elif choice in ("auto", "none"):
        result = {"type": choice} if tools else None
    elif choice == "required":
        result = {"type": "any"}
    elif isinstance(choice, dict) and choice.get("type") == "function":
        function = choice.get("function")
        name = function.get("name") if isinstance(function, dict) else None
        if not isinstance(name, str) or not name:
            raise _bad("a named tool_choice needs function.name", "tool_choice.function.name")
        result = {"type": "tool", "name": names.to_backend(name)}
        if not any(tool["name"] == result["name"] for tool in tools):
            raise _bad(f"tool_choice names unknown tool {name!r}", "tool_choice.function.name")
    else:
        raise _bad("tool_choice must be auto, none, required or a function", "tool_choice")
    if result is not None and not tools:
        raise _bad("tool_choice requires tools", "tool_choice")
    if result is not None and parallel is False and result["type"] != "none":
        result["disable_parallel_tool_use"] = True
    return result
