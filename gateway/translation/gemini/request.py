"""OpenAI Chat Completions request -> Vertex AI Gemini `generateContent` request.

Choices made here (upstream's, unless noted):

* `system`/`developer` messages -> `systemInstruction`; consecutive user and tool messages
  are merged into one `user` content; assistant messages are `model` contents.
* Tool results -> `functionResponse {name, response: {"output": text}}`, the name found from
  the assistant `tool_calls` entry with that id (Gemini matches by name, not id).
* Images: `data:` URLs -> `inlineData`; `https://` and `gs://` URLs -> `fileData` with the
  MIME type guessed from the extension (`image/jpeg` when unknown).
* Tools -> `functionDeclarations`: models that take JSON Schema natively (Gemini 2.5 and 3)
  get `parametersJsonSchema`, others the converted OpenAPI subset in `parameters`; the same
  rule picks `responseJsonSchema` or `responseSchema` for `response_format: json_schema`.
* `tool_choice` -> `toolConfig.functionCallingConfig` (`AUTO`, `NONE`, `ANY`, and `ANY` with
  `allowedFunctionNames` for a named function).
* `reasoning_effort` -> `thinkingConfig` (`thinkingLevel` on Gemini 3, a `thinkingBudget`
  otherwise; ours), with `includeThoughts` so the reasoning comes back as thought parts.
* Streaming uses `streamGenerateContent?alt=sse`; the path is relative to the location
  (`/v1/projects/{project}/locations/{region}/` is added by the GCP credential).
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from dataclasses import dataclass
from typing import Any

from gateway.translation._json import dumps_str, loads
from gateway.translation.cloud_anthropic import gcp_model_path
from gateway.translation.errors import bad_request as _bad
from gateway.translation.gemini.schema import json_schema_to_gemini

__all__ = ["GeminiRequest", "openai_to_gemini_request"]

_BUDGETS = {"minimal": 512, "low": 1024, "medium": 8192, "high": 24576}
_LEVELS = {"minimal": "low", "low": "low", "medium": "high", "high": "high"}
_REJECTED = ("logit_bias", "functions", "function_call", "audio", "prediction")


@dataclass(frozen=True, slots=True)
class GeminiRequest:
    """A translated request and what the response translators need."""

    body: dict[str, Any]
    path: str
    model: str
    stream: bool = False
    include_usage: bool = False


def json_schema_native(model: str) -> bool:
    """Whether the model takes JSON Schema as is (`parametersJsonSchema`/`responseJsonSchema`)."""
    return "gemini" in model and ("2.5" in model or "gemini-3" in model)


def _text(content: object, param: str) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for i, part in enumerate(content):
            if not isinstance(part, dict) or part.get("type") != "text":
                raise _bad("only text parts are allowed here", f"{param}[{i}]")
            texts.append(str(part.get("text", "")))
        return "".join(texts)
    if content is None:
        return ""
    raise _bad("content must be a string or an array of parts", param)


def _data_url(url: str, param: str) -> dict[str, Any]:
    header, sep, data = url[5:].partition(",")
    mime, _, encoding = header.partition(";")
    if not sep or encoding != "base64" or not mime:
        raise _bad("data URLs must have the form data:<media type>;base64,<data>", param)
    try:
        base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise _bad("data URL payload is not valid base64", param) from None
    return {"inlineData": {"mimeType": mime, "data": data}}


def _url_part(url: object, param: str) -> dict[str, Any]:
    if not isinstance(url, str) or not url:
        raise _bad("a non-empty URL string is required", param)
    if url.startswith("data:"):
        return _data_url(url, param)
    if not url.startswith(("https://", "gs://")):
        raise _bad("only https://, gs:// and data: URLs are supported", param)
    mime = mimetypes.guess_type(url.split("?", 1)[0])[0] or "image/jpeg"
    return {"fileData": {"mimeType": mime, "fileUri": url}}


def _user_parts(content: object, param: str) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"text": content}]
    if not isinstance(content, list):
        raise _bad("content must be a string or an array of parts", param)
    parts: list[dict[str, Any]] = []
    for i, part in enumerate(content):
        where = f"{param}[{i}]"
        if not isinstance(part, dict):
            raise _bad("content parts must be objects", where)
        kind = part.get("type")
        if kind == "text":
            parts.append({"text": str(part.get("text", ""))})
        elif kind == "image_url":
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, dict) else image
            parts.append(_url_part(url, f"{where}.image_url"))
        elif kind == "input_audio":
            audio = part.get("input_audio")
            if not isinstance(audio, dict) or not isinstance(audio.get("data"), str):
                raise _bad("input_audio needs base64 data", f"{where}.input_audio")
            mime = f"audio/{audio.get('format', 'wav')}"
            parts.append({"inlineData": {"mimeType": mime, "data": audio["data"]}})
        elif kind == "file":
            file = part.get("file")
            data = file.get("file_data") if isinstance(file, dict) else None
            if not isinstance(data, str) or not data.startswith("data:"):
                raise _bad("file parts need file_data as a data: URL", f"{where}.file")
            parts.append(_data_url(data, f"{where}.file"))
        else:
            raise _bad(f"unsupported content part type {kind!r}", where)
    return parts


def _arguments(raw: object, param: str) -> dict[str, Any]:
    if raw in (None, ""):
        return {}
    try:
        value = loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise _bad("tool call arguments must be a JSON object", param) from None
    if not isinstance(value, dict):
        raise _bad("tool call arguments must be a JSON object", param)
    return value


def _assistant_parts(
    message: dict[str, Any], param: str, names: dict[str, str]
) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    content = message.get("content")
    if isinstance(content, list):
        content = "".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict) and "text" in p
        )
    if isinstance(content, str) and content:
        parts.append({"text": content})
    calls = message.get("tool_calls") or []
    if not isinstance(calls, list):
        raise _bad("tool_calls must be an array", f"{param}.tool_calls")
    for i, call in enumerate(calls):
        where = f"{param}.tool_calls[{i}]"
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            raise _bad("tool calls need a function name", where)
        names[str(call.get("id", ""))] = function["name"]
        args = _arguments(function.get("arguments"), f"{where}.function.arguments")
        parts.append({"functionCall": {"name": function["name"], "args": args}})
    return parts


def _contents(messages: object) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if not isinstance(messages, list) or not messages:
        raise _bad("messages must be a non-empty array", "messages")
    contents: list[dict[str, Any]] = []
    system: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    names: dict[str, str] = {}
    for i, message in enumerate(messages):
        param = f"messages[{i}]"
        if not isinstance(message, dict):
            raise _bad("messages must be objects", param)
        role = message.get("role")
        if role in ("system", "developer"):
            if text := _text(message.get("content"), f"{param}.content"):
                system.append({"text": text})
        elif role == "user":
            pending += _user_parts(message.get("content"), f"{param}.content")
        elif role == "tool":
            call_id = str(message.get("tool_call_id", ""))
            if call_id not in names:
                raise _bad("tool_call_id does not match an earlier tool call", param)
            output = _text(message.get("content"), f"{param}.content")
            pending.append(
                {"functionResponse": {"name": names[call_id], "response": {"output": output}}}
            )
        elif role == "assistant":
            if pending:
                contents.append({"role": "user", "parts": pending})
                pending = []
            if parts := _assistant_parts(message, param, names):
                contents.append({"role": "model", "parts": parts})
        else:
            raise _bad(f"invalid role {role!r}", f"{param}.role")
    if pending:
        contents.append({"role": "user", "parts": pending})
    return contents, system


def _tools(tools: object, model: str) -> list[dict[str, Any]]:
    if not isinstance(tools, list):
        raise _bad("tools must be an array", "tools")
    declarations = []
    for i, tool in enumerate(tools):
        where = f"tools[{i}]"
        if not isinstance(tool, dict) or tool.get("type") != "function":
            raise _bad("only function tools are supported by Gemini backends", where)
        function = tool.get("function")
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            raise _bad("function tools need a name", f"{where}.function")
        decl: dict[str, Any] = {"name": function["name"]}
        if isinstance(function.get("description"), str):
            decl["description"] = function["description"]
        params = function.get("parameters")
        if isinstance(params, dict) and params:
            if json_schema_native(model):
                decl["parametersJsonSchema"] = params
            else:
                decl["parameters"] = json_schema_to_gemini(params, f"{where}.function.parameters")
        declarations.append(decl)
    return [{"functionDeclarations": declarations}] if declarations else []


def _tool_config(choice: object) -> dict[str, Any] | None:
    if choice is None:
        return None
    modes = {"auto": "AUTO", "none": "NONE", "required": "ANY"}
    if isinstance(choice, str) and choice in modes:
        return {"functionCallingConfig": {"mode": modes[choice]}}
    function = choice.get("function") if isinstance(choice, dict) else None
    if isinstance(function, dict) and isinstance(function.get("name"), str):
        return {
            "functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": [function["name"]]}
        }
    raise _bad("tool_choice must be auto, none, required or a named function", "tool_choice")


def _response_format(value: object, model: str, config: dict[str, Any]) -> None:
    if not isinstance(value, dict):
        raise _bad("response_format must be an object", "response_format")
    kind = value.get("type")
    if kind == "text":
        config["responseMimeType"] = "text/plain"
    elif kind == "json_object":
        config["responseMimeType"] = "application/json"
    elif kind == "json_schema":
        spec = value.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        if not isinstance(schema, dict):
            raise _bad("json_schema.schema must be an object", "response_format.json_schema")
        config["responseMimeType"] = "application/json"
        if json_schema_native(model):
            config["responseJsonSchema"] = schema
        else:
            config["responseSchema"] = json_schema_to_gemini(
                schema, "response_format.json_schema.schema"
            )
    else:
        raise _bad(f"response_format type {kind!r} is not supported", "response_format")


def _generation_config(body: dict[str, Any], model: str) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for src, dst in (
        ("temperature", "temperature"),
        ("top_p", "topP"),
        ("seed", "seed"),
        ("presence_penalty", "presencePenalty"),
        ("frequency_penalty", "frequencyPenalty"),
        ("n", "candidateCount"),
        ("top_logprobs", "logprobs"),
        ("logprobs", "responseLogprobs"),
    ):
        if body.get(src) is not None:
            config[dst] = body[src]
    for key in ("max_completion_tokens", "max_tokens"):
        value = body.get(key)
        if value is not None:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise _bad("must be an integer >= 1", key)
            config["maxOutputTokens"] = value
            break
    stop = body.get("stop")
    if stop is not None:
        stops = [stop] if isinstance(stop, str) else stop
        if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
            raise _bad("stop must be a string or an array of strings", "stop")
        config["stopSequences"] = stops
    if body.get("response_format") is not None:
        _response_format(body["response_format"], model, config)
    effort = body.get("reasoning_effort")
    if effort is not None:
        if effort not in _BUDGETS:
            raise _bad("reasoning_effort must be minimal, low, medium or high", "reasoning_effort")
        thinking: dict[str, Any] = {"includeThoughts": True}
        if "gemini-3" in model:
            thinking["thinkingLevel"] = _LEVELS[effort]
        else:
            thinking["thinkingBudget"] = _BUDGETS[effort]
        config["thinkingConfig"] = thinking
    return config


def openai_to_gemini_request(body: dict[str, Any], *, model: str) -> GeminiRequest:
    """Translate a Chat Completions body for the Gemini `model` on Vertex AI."""
    if not isinstance(body, dict):
        raise _bad("the request body must be a JSON object", "body")
    for key in _REJECTED:
        if body.get(key) not in (None, {}, False):
            raise _bad(f"{key} is not supported by Gemini backends", key)
    contents, system = _contents(body.get("messages"))
    out: dict[str, Any] = {"contents": contents}
    if system:
        out["systemInstruction"] = {"parts": system}
    if body.get("tools"):
        out["tools"] = _tools(body["tools"], model)
    if (tool_config := _tool_config(body.get("tool_choice"))) is not None and out.get("tools"):
        out["toolConfig"] = tool_config
    if config := _generation_config(body, model):
        out["generationConfig"] = config
    stream = body.get("stream") is True
    options = body.get("stream_options")
    include_usage = stream and isinstance(options, dict) and options.get("include_usage") is True
    path = (
        gcp_model_path("google", model, "streamGenerateContent", "alt=sse")
        if stream
        else gcp_model_path("google", model, "generateContent")
    )
    return GeminiRequest(
        body=out, path=path, model=model, stream=stream, include_usage=include_usage
    )


def tool_arguments(args: object) -> str:
    """The OpenAI `arguments` string for a Gemini `functionCall.args` object."""
    return dumps_str(args if isinstance(args, dict) else {})
