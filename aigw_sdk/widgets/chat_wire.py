"""The chat playground's wire work, free of widgets: the conversation kept in Anthropic's
content-block form and turned into either API's request, stream events turned into display
parts, final answers into display blocks, and the last request as Python or curl.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pprint import pformat
from typing import Any, Literal

from aigw_sdk.client.types import ChatChunk, ChatCompletion, Message, MessageEvent

Api = Literal["native", "openai"]
MESSAGES_PATH = "/anthropic/v1/messages"
CHAT_PATH = "/v1/chat/completions"


@dataclass(frozen=True, slots=True)
class Image:
    """An image the user attached (base64, as both APIs take it)."""

    media_type: str
    data: str


def user_message(text: str, images: Sequence[Image] = ()) -> dict[str, Any]:
    """A user turn in content-block form."""
    content: list[dict[str, Any]] = [
        {"type": "image", "source": {"type": "base64", "media_type": i.media_type, "data": i.data}}
        for i in images
    ]
    if text:
        content.append({"type": "text", "text": text})
    return {"role": "user", "content": content}


def tool_results(results: Sequence[tuple[str, str, bool]]) -> dict[str, Any]:
    """The user turn answering tool calls: ``(tool_use_id, text, is_error)`` each."""
    return {
        "role": "user",
        "content": [
            {
                "type": "tool_result",
                "tool_use_id": i,
                "content": t,
                **({"is_error": True} if e else {}),
            }
            for i, t, e in results
        ],
    }


def openai_messages(history: Sequence[dict[str, Any]], system: str) -> list[dict[str, Any]]:
    """The history as Chat Completions messages (thinking blocks are not carried over)."""
    out: list[dict[str, Any]] = [{"role": "system", "content": system}] if system else []
    for message in history:
        blocks = message["content"]
        if message["role"] == "assistant":
            text = "".join(b.get("text", "") for b in blocks if b.get("type") == "text")
            turn: dict[str, Any] = {"role": "assistant", "content": text or None}
            calls = [
                {
                    "id": b["id"],
                    "type": "function",
                    "function": {"name": b["name"], "arguments": json.dumps(b.get("input", {}))},
                }
                for b in blocks
                if b.get("type") == "tool_use"
            ]
            if calls:
                turn["tool_calls"] = calls
            out.append(turn)
            continue
        results = [b for b in blocks if b.get("type") == "tool_result"]
        out += [
            {"role": "tool", "tool_call_id": b["tool_use_id"], "content": b["content"]}
            for b in results
        ]
        parts = [_openai_part(b) for b in blocks if b.get("type") in ("text", "image")]
        if parts:
            only_text = all(p["type"] == "text" for p in parts)
            content = "".join(p["text"] for p in parts) if only_text else parts
            out.append({"role": "user", "content": content})
    return out


def _openai_part(block: dict[str, Any]) -> dict[str, Any]:
    if block["type"] == "text":
        return {"type": "text", "text": block["text"]}
    source = block["source"]
    url = f"data:{source['media_type']};base64,{source['data']}"
    return {"type": "image_url", "image_url": {"url": url}}


def openai_tools(tools: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Anthropic tool definitions as OpenAI function tools."""
    return [
        {
            "type": "function",
            "function": {
                "name": t["name"],
                "description": t.get("description", ""),
                "parameters": t.get("input_schema", {"type": "object"}),
            },
        }
        for t in tools
    ]


@dataclass
class PartCollector:
    """Turns stream events into display parts ``{index, kind, text[, name]}`` and keeps what
    arrived, so a stopped stream still has its partial answer (and OpenAI tool calls, which the
    client's completion does not carry, are assembled here)."""

    kinds: dict[int, str] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    ids: dict[int, str] = field(default_factory=dict)

    def native(self, event: MessageEvent) -> Iterator[dict[str, Any]]:
        data = event.data
        index = int(data.get("index", 0))
        if event.type == "content_block_start":
            block = data.get("content_block") or {}
            kind = str(block.get("type", "text"))
            if kind in ("text", "thinking", "tool_use"):
                self.kinds[index] = kind
                self.names[index] = str(block.get("name", ""))
                self.ids[index] = str(block.get("id", ""))
                start = str(block.get("text", "") or block.get("thinking", ""))
                yield from self._part(index, start, force=kind == "tool_use")
        elif event.type == "content_block_delta":
            delta = data.get("delta") or {}
            text = {
                "text_delta": delta.get("text"),
                "thinking_delta": delta.get("thinking"),
                "input_json_delta": delta.get("partial_json"),
            }.get(str(delta.get("type")))
            if isinstance(text, str) and text:
                self.kinds.setdefault(index, "text")
                yield from self._part(index, text)

    def openai(self, chunk: ChatChunk) -> Iterator[dict[str, Any]]:
        choices = chunk.data.get("choices") or []
        delta = choices[0].get("delta") if choices and isinstance(choices[0], dict) else None
        if not isinstance(delta, dict):
            return
        content = delta.get("content")
        if isinstance(content, str) and content:
            self.kinds.setdefault(0, "text")
            yield from self._part(0, content)
        for call in delta.get("tool_calls") or []:
            index = 1 + int(call.get("index", 0))
            function = call.get("function") or {}
            new = index not in self.kinds
            self.kinds.setdefault(index, "tool_use")
            if call.get("id"):
                self.ids[index] = str(call["id"])
            if function.get("name"):
                self.names[index] = self.names.get(index, "") + str(function["name"])
            yield from self._part(index, str(function.get("arguments") or ""), force=new)

    def _part(self, index: int, text: str, *, force: bool = False) -> Iterator[dict[str, Any]]:
        self.texts[index] = self.texts.get(index, "") + text
        if text or force:
            part = {"index": index, "kind": self.kinds[index], "text": text}
            if self.kinds[index] == "tool_use":
                part["name"] = self.names.get(index, "")
            yield part

    def partial_blocks(self) -> list[dict[str, Any]]:
        """What arrived so far, as display blocks (for a stopped or failed stream)."""
        blocks = []
        for index in sorted(self.kinds):
            kind, text = self.kinds[index], self.texts.get(index, "")
            if kind == "tool_use":
                blocks.append(
                    {
                        "type": "tool_use",
                        "id": self.ids.get(index, ""),
                        "name": self.names.get(index, ""),
                        "input": text,
                    }
                )
            elif text:
                blocks.append({"type": kind, "text": text})
        return blocks

    def openai_tool_calls(self) -> list[dict[str, Any]]:
        """The tool calls of an OpenAI stream, as ``tool_use`` content blocks."""
        return [
            {
                "type": "tool_use",
                "id": self.ids.get(i, f"call_{i}"),
                "name": self.names.get(i, ""),
                "input": _json_or_text(self.texts.get(i, "")),
            }
            for i in sorted(self.kinds)
            if self.kinds[i] == "tool_use"
        ]


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text) if text else {}
    except json.JSONDecodeError:
        return text


def assistant_content(
    final: Message | ChatCompletion, collector: PartCollector | None
) -> list[dict[str, Any]]:
    """The answer as Anthropic content blocks (what goes back into the history)."""
    if isinstance(final, Message):
        return [dict(b) for b in final.content if isinstance(b, dict)]
    blocks: list[dict[str, Any]] = [{"type": "text", "text": final.text}] if final.text else []
    if collector is not None:
        return blocks + collector.openai_tool_calls()
    message = (final.raw.get("choices") or [{}])[0].get("message") or {}
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        blocks.append(
            {
                "type": "tool_use",
                "id": call.get("id", ""),
                "name": function.get("name", ""),
                "input": _json_or_text(function.get("arguments") or ""),
            }
        )
    return blocks


def display_blocks(content: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Content blocks as the front end draws them."""
    out: list[dict[str, Any]] = []
    for block in content:
        kind = block.get("type")
        if kind == "text":
            out.append({"type": "text", "text": block.get("text", "")})
        elif kind == "thinking":
            out.append({"type": "thinking", "text": block.get("thinking", "")})
        elif kind == "redacted_thinking":
            out.append({"type": "thinking", "text": "(redacted)"})
        elif kind == "tool_use":
            out.append(
                {
                    "type": "tool_use",
                    "id": block.get("id", ""),
                    "name": block.get("name", ""),
                    "input": block.get("input", {}),
                }
            )
        elif kind == "image" and isinstance(block.get("source"), dict):
            source = block["source"]
            out.append(
                {
                    "type": "image",
                    "media_type": source.get("media_type", "image/png"),
                    "data": source.get("data", ""),
                }
            )
    return out


def as_python(api: Api, base_url: str, body: Mapping[str, Any], headers: Mapping[str, str]) -> str:
    """The request as a script for the official SDK (the gateway injects the provider key).
    Fields beyond the basic ones go in ``extra_body``, which every SDK version accepts."""
    basic = ("model", "max_tokens", "messages") if api == "native" else ("model", "messages")
    args = {k: body[k] for k in basic if k in body}
    rest = {k: v for k, v in body.items() if k not in basic and k != "stream"}
    call = "".join(f"    {k}=request[{k!r}],\n" for k in args)
    if rest:
        call += "    extra_body=request_extra,\n"
    if headers:
        call += f"    extra_headers={dict(headers)!r},\n"
    lines = f"request = {pformat(args, sort_dicts=False, width=96)}\n"
    if rest:
        lines += f"request_extra = {pformat(rest, sort_dicts=False, width=96)}\n"
    if api == "native":
        return (
            "import anthropic\n\n"
            f'client = anthropic.Anthropic(base_url="{base_url}/anthropic", api_key="unused")\n'
            f"{lines}message = client.messages.create(\n{call})\nprint(message.content)\n"
        )
    return (
        "import openai\n\n"
        f'client = openai.OpenAI(base_url="{base_url}/v1", api_key="unused")\n'
        f"{lines}completion = client.chat.completions.create(\n{call})\n"
        "print(completion.choices[0].message)\n"
    )


def as_curl(api: Api, base_url: str, body: Mapping[str, Any], headers: Mapping[str, str]) -> str:
    """The request as a curl command."""
    url = base_url + (MESSAGES_PATH if api == "native" else CHAT_PATH)
    lines = [f"curl -sS {shlex.quote(url)}", "-H 'content-type: application/json'"]
    if api == "native":
        lines.append("-H 'anthropic-version: 2023-06-01'")
    lines += [f"-H {shlex.quote(f'{k}: {v}')}" for k, v in headers.items()]
    lines.append(f"-d {shlex.quote(json.dumps(dict(body)))}")
    return " \\\n  ".join(lines) + "\n"
