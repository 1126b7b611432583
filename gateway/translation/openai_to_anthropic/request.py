"""OpenAI Chat Completions request -> Anthropic Messages request.

Strict by default: whatever Anthropic would reject or silently ignore is a `TranslationError`
(400, naming the parameter) raised before any upstream call. Choices made here:

* `max_completion_tokens` wins over `max_tokens`; when both are absent a per-model default is
  used (`models.py`), never 0.
* `reasoning_effort` -> `thinking` with a budget table (capped below `max_tokens`) on
  budget-style models, or `thinking: adaptive` + `output_config.effort` on adaptive ones.
  An explicit vendor `thinking` object takes precedence and is passed through. If thinking is
  on but the last assistant tool-use turn carries no thinking blocks (the client did not
  replay them), thinking is dropped for the request, with a warning, instead of the upstream
  400 "Expected `thinking` … found `tool_use`".
* `response_format: json_schema` -> GA `output_config.format` for every model; a model
  without structured outputs gets Anthropic's own 400 (never a silent drop).
  `json_object` has no Anthropic equivalent and is rejected.
* `user` -> `metadata.user_id`, omitted when it looks like an e-mail address or phone number.
* At most 4 `cache_control` breakpoints (Anthropic's cap): extra ones are removed from the
  front (tools, then system, then the oldest messages), keeping the latest, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gateway.translation.errors import bad_request as _bad
from gateway.translation.ids import NameMap
from gateway.translation.openai_to_anthropic.messages import convert_messages
from gateway.translation.openai_to_anthropic.models import model_family
from gateway.translation.openai_to_anthropic.tools import (
    convert_tool_choice,
    convert_tools,
    stub_tools,
)

__all__ = ["ANTHROPIC_VERSION", "AnthropicRequest", "openai_to_anthropic_request"]

ANTHROPIC_VERSION = "2023-06-01"
MAX_CACHE_BREAKPOINTS = 4
_TOOL_NAME_MAX = 128

_BUDGETS = {"minimal": 1024, "low": 1024, "medium": 2048, "high": 4096, "xhigh": 8192}
_EFFORTS = {"minimal": "low", "low": "low", "medium": "medium", "high": "high", "xhigh": "max"}
_MIN_BUDGET = 1024

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[\d\s().-]{7,}")

# Parameter -> predicate telling that its value is a no-op (anything else is rejected).
_UNSUPPORTED: dict[str, Callable[[Any], bool]] = {
    "logprobs": lambda v: v is False,
    "top_logprobs": lambda v: v == 0,
    "presence_penalty": lambda v: v == 0,
    "frequency_penalty": lambda v: v == 0,
    "logit_bias": lambda v: v == {},
    "seed": lambda v: False,
    "functions": lambda v: False,
    "function_call": lambda v: False,
    "audio": lambda v: False,
    "prediction": lambda v: False,
}


@dataclass(frozen=True, slots=True)
class AnthropicRequest:
    """A translated request plus what the response translators need to map back.

    `tool_names`/`tool_ids` hold the sanitisation maps, `model` the upstream model id,
    `warnings` what was adjusted silently-but-safely (for a response header or log).
    """

    body: dict[str, Any]
    headers: dict[str, str]
    model: str
    stream: bool = False
    include_usage: bool = False
    tool_names: NameMap = field(default_factory=lambda: NameMap(_TOOL_NAME_MAX))
    tool_ids: NameMap = field(default_factory=NameMap)
    warnings: tuple[str, ...] = ()


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_unsupported(body: dict[str, Any]) -> None:
    n = body.get("n")
    if n is not None and n != 1:
        raise _bad("n must be 1: Anthropic returns a single choice", "n")
    for key, is_noop in _UNSUPPORTED.items():
        value = body.get(key)
        if value is not None and not is_noop(value):
            raise _bad(f"{key} is not supported by Anthropic backends", key)


def _max_tokens(body: dict[str, Any]) -> int | None:
    for key in ("max_completion_tokens", "max_tokens"):
        value = body.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise _bad("must be an integer >= 1", key)
        return value
    return None


def _stop_sequences(stop: object) -> list[str]:
    sequences = [stop] if isinstance(stop, str) else stop
    if not isinstance(sequences, list) or not all(isinstance(s, str) for s in sequences):
        raise _bad("stop must be a string or an array of strings", "stop")
    for s in sequences:
        if not s.strip():
            raise _bad("stop sequences must contain non-whitespace characters", "stop")
    return sequences


def _sampling(body: dict[str, Any], out: dict[str, Any]) -> None:
    temperature = body.get("temperature")
    if temperature is not None:
        if not _is_number(temperature) or not 0 <= temperature <= 1:
            raise _bad("temperature must be between 0 and 1 for Anthropic models", "temperature")
        out["temperature"] = temperature
    top_p = body.get("top_p")
    if top_p is not None:
        if not _is_number(top_p) or not 0 <= top_p <= 1:
            raise _bad("top_p must be between 0 and 1", "top_p")
        out["top_p"] = top_p
    if body.get("stop") is not None and (stops := _stop_sequences(body["stop"])):
        out["stop_sequences"] = stops


def _reasoning(body: dict[str, Any], out: dict[str, Any], model: str, requested: int | None) -> int:
    """Sets `thinking`/`output_config.effort`; returns the final `max_tokens`."""
    family = model_family(model)
    max_tokens = requested or family.default_max_tokens
    thinking = body.get("thinking")
    effort = body.get("reasoning_effort")
    if thinking is not None:
        if not isinstance(thinking, dict):
            raise _bad("thinking must be an object", "thinking")
        out["thinking"] = thinking
    elif effort is not None and effort != "none":
        if not isinstance(effort, str) or effort not in _BUDGETS:
            raise _bad(f"unsupported reasoning_effort {effort!r}", "reasoning_effort")
        if family.thinking == "none":
            raise _bad(f"model {model!r} does not support reasoning", "reasoning_effort")
        if family.thinking == "adaptive":
            out["thinking"] = {"type": "adaptive"}
            out.setdefault("output_config", {})["effort"] = _EFFORTS[effort]
        else:
            budget = _BUDGETS[effort]
            if requested is None:
                max_tokens = min(max_tokens + budget, family.max_output_tokens)
            budget = min(budget, max_tokens - 1)
            if budget < _MIN_BUDGET:
                raise _bad(
                    f"reasoning needs max_completion_tokens > {_MIN_BUDGET}", "reasoning_effort"
                )
            out["thinking"] = {"type": "enabled", "budget_tokens": budget}
    if out.get("thinking", {}).get("type") in ("enabled", "adaptive"):
        temperature = out.get("temperature")
        if temperature is not None and temperature != 1:
            raise _bad("temperature must be 1 or unset when reasoning is enabled", "temperature")
    return max_tokens


def _response_format(value: object, out: dict[str, Any]) -> None:
    if not isinstance(value, dict):
        raise _bad("response_format must be an object", "response_format")
    kind = value.get("type")
    if kind == "text":
        return
    if kind == "json_schema":
        spec = value.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        if not isinstance(schema, dict):
            raise _bad("json_schema.schema must be an object", "response_format.json_schema")
        output_config = out.setdefault("output_config", {})
        output_config["format"] = {"type": "json_schema", "schema": schema}
        return
    raise _bad(
        f"response_format type {kind!r} is not supported (use json_schema)", "response_format"
    )


def _user_id(user: object) -> str | None:
    if user is None:
        return None
    if not isinstance(user, str):
        raise _bad("user must be a string", "user")
    if not user or _EMAIL.search(user) or _PHONE.fullmatch(user.strip()):
        return None
    return user


def _missing_thinking_replay(messages: list[dict[str, Any]]) -> bool:
    for turn in reversed(messages):
        if turn["role"] != "assistant":
            continue
        blocks = turn["content"]
        uses_tools = any(block["type"] == "tool_use" for block in blocks)
        return uses_tools and blocks[0]["type"] not in ("thinking", "redacted_thinking")
    return False


def _cache_control_holders(out: dict[str, Any]) -> list[dict[str, Any]]:
    holders = [tool for tool in out.get("tools", ()) if "cache_control" in tool]
    holders += [block for block in out.get("system", ()) if "cache_control" in block]
    for message in out["messages"]:
        for block in message["content"]:
            if "cache_control" in block:
                holders.append(block)
            nested = block.get("content")
            if isinstance(nested, list):
                holders += [part for part in nested if "cache_control" in part]
    return holders


def _cap_cache_breakpoints(out: dict[str, Any]) -> int:
    holders = _cache_control_holders(out)
    excess = holders[: max(len(holders) - MAX_CACHE_BREAKPOINTS, 0)]
    for holder in excess:
        del holder["cache_control"]
    return len(excess)


def openai_to_anthropic_request(body: dict[str, Any], *, model: str) -> AnthropicRequest:
    """Translate a Chat Completions body for the Anthropic `model` (the upstream model id).

    Raises `TranslationError` for anything that cannot be translated faithfully.
    """
    if not isinstance(body, dict):
        raise _bad("the request body must be a JSON object", "body")
    _check_unsupported(body)
    names, ids = NameMap(_TOOL_NAME_MAX), NameMap()
    warnings: list[str] = []
    converted = convert_messages(body.get("messages"), names, ids)
    out: dict[str, Any] = {"model": model, "max_tokens": 0}
    if converted.system:
        out["system"] = converted.system
    out["messages"] = converted.messages
    _sampling(body, out)
    out["max_tokens"] = _reasoning(body, out, model, _max_tokens(body))
    tools = convert_tools(body["tools"], names) if body.get("tools") is not None else []
    choice = convert_tool_choice(
        body.get("tool_choice"), body.get("parallel_tool_calls"), tools, names
    )
    if not tools and converted.history_tool_names:
        tools = stub_tools(converted.history_tool_names, names)
        choice = {"type": "none"}
    if tools:
        out["tools"] = tools
    if choice is not None:
        out["tool_choice"] = choice
    if body.get("response_format") is not None:
        _response_format(body["response_format"], out)
    if (user_id := _user_id(body.get("user"))) is not None:
        out["metadata"] = {"user_id": user_id}
    if out.get("thinking", {}).get("type") in ("enabled", "adaptive") and (
        _missing_thinking_replay(out["messages"])
    ):
        del out["thinking"]
        out.get("output_config", {}).pop("effort", None)
        if out.get("output_config") == {}:
            del out["output_config"]
        warnings.append("thinking disabled: the last tool-use turn has no thinking_blocks")
    if removed := _cap_cache_breakpoints(out):
        warnings.append(
            f"removed the {removed} earliest cache_control breakpoint(s): Anthropic allows 4"
        )
    stream = body.get("stream") is True
    options = body.get("stream_options")
    include_usage = stream and isinstance(options, dict) and options.get("include_usage") is True
    if stream:
        out["stream"] = True
    return AnthropicRequest(
        body=out,
        headers={"anthropic-version": ANTHROPIC_VERSION},
        model=model,
        stream=stream,
        include_usage=include_usage,
        tool_names=names,
        tool_ids=ids,
        warnings=tuple(warnings),
    )
