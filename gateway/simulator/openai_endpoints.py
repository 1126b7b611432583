"""The OpenAI endpoints besides chat: completions, embeddings, Responses, images, audio, tokenize.

Each `parse_*` validates like the real API (400 `invalid_request_error` naming the `param`);
each builder returns the response body (or stream frames) deterministically from the request.
Token counts follow the simulator's one rule (`tokens.count_tokens`).
"""

from __future__ import annotations

import base64
import hashlib
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from aigw_sdk.sse import DONE_FRAME
from gateway.simulator.errors import SimError
from gateway.simulator.reply import DEFAULT_FILLER_WORDS, Prompt, Reply, text_chunks
from gateway.simulator.tokens import compact_json, count_tokens
from gateway.simulator.wire import content_text, is_int
from gateway.translation._stream import data_frame, named_frame

__all__ = [
    "EMBEDDING_DIMENSIONS",
    "completion",
    "completion_chunks",
    "embeddings",
    "image_generation",
    "input_tokens",
    "parse_completion",
    "parse_responses",
    "response_error_event",
    "response_events",
    "response_object",
    "speech",
    "tokenize",
    "transcription",
]

EMBEDDING_DIMENSIONS: Final = {"text-embedding-3-large": 3072, "text-embedding-ada-002": 1536}
_DEFAULT_DIMENSIONS: Final = 1536
_IMAGE_SIZES: Final = frozenset(
    {"auto", "256x256", "512x512", "1024x1024", "1536x1024", "1024x1536", "1792x1024", "1024x1792"}
)
_VOICES: Final = frozenset(
    {"alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse"}
)
_SPEECH_FORMATS: Final = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
# A 1x1 transparent PNG: the simulated image.
_PNG: Final = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _invalid(message: str, param: str | None = None, code: str | None = None) -> SimError:
    return SimError(400, message, param=param, code=code)


def _model(body: Any) -> str:
    if not isinstance(body, dict):
        raise _invalid("The request body must be a JSON object.")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise _invalid("you must provide a model parameter")
    return model


def _positive(body: dict[str, Any], name: str, low: int, high: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if not is_int(value):
        raise _invalid(
            f"Invalid type for '{name}': expected an integer, but got {type(value).__name__} "
            "instead.",
            name,
            "invalid_type",
        )
    if value < low:
        raise _invalid(
            f"Invalid '{name}': integer below minimum value. Expected a value >= {low}, but got "
            f"{value} instead.",
            name,
            "integer_below_min_value",
        )
    if high is not None and value > high:
        raise _invalid(
            f"Invalid '{name}': integer above maximum value. Expected a value <= {high}, but got "
            f"{value} instead.",
            name,
            "integer_above_max_value",
        )
    return int(value)


def _usage(prompt: int, completion: int) -> dict[str, Any]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _typed_usage(prompt: int, output: int) -> dict[str, Any]:
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": output,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt + output,
    }


# -- /v1/completions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionRequest:
    """A validated legacy completions request."""

    model: str
    prompt_text: str
    stream: bool
    include_usage: bool
    prompt: Prompt


def parse_completion(body: Any, *, filler_words: int | None = None) -> CompletionRequest:
    """Validate a `/v1/completions` request."""
    model = _model(body)
    prompt = body.get("prompt")
    if prompt is None:
        raise _invalid(
            "Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter"
        )
    if isinstance(prompt, list) and all(isinstance(p, str) for p in prompt) and prompt:
        text = "\n".join(prompt)
    elif isinstance(prompt, str):
        text = prompt
    else:
        raise _invalid(
            "Invalid type for 'prompt': expected a string or an array of strings.",
            "prompt",
            "invalid_type",
        )
    max_tokens = _positive(body, "max_tokens", 0)
    stream = body.get("stream") is True
    options = body.get("stream_options")
    include_usage = stream and isinstance(options, dict) and options.get("include_usage") is True
    return CompletionRequest(
        model,
        text,
        stream,
        include_usage,
        Prompt(
            user_text=text,
            max_tokens=16 if max_tokens is None else max_tokens,
            filler_words=DEFAULT_FILLER_WORDS if filler_words is None else filler_words,
        ),
    )


def _finish(reply: Reply) -> str:
    return "length" if reply.stop_reason == "max_tokens" else "stop"


def completion(
    cmpl_id: str, created: int, request: CompletionRequest, reply: Reply
) -> dict[str, Any]:
    """A `text_completion` object."""
    return {
        "id": cmpl_id,
        "object": "text_completion",
        "created": created,
        "model": request.model,
        "choices": [
            {"text": reply.text, "index": 0, "logprobs": None, "finish_reason": _finish(reply)}
        ],
        "usage": _usage(count_tokens(request.prompt_text), reply.output_tokens),
        "system_fingerprint": "fp_simulator",
    }


def completion_chunks(
    cmpl_id: str, created: int, request: CompletionRequest, reply: Reply
) -> list[bytes]:
    """The stream of a legacy completion, a usage chunk when asked for, then `[DONE]`."""
    head = {"id": cmpl_id, "object": "text_completion", "created": created, "model": request.model}

    def chunk(text: str, finish: str | None) -> bytes:
        choice = {"text": text, "index": 0, "logprobs": None, "finish_reason": finish}
        return data_frame({**head, "choices": [choice]})

    frames = [chunk(piece, None) for piece in text_chunks(reply.text)]
    frames.append(chunk("", _finish(reply)))
    if request.include_usage:
        usage = _usage(count_tokens(request.prompt_text), reply.output_tokens)
        frames.append(data_frame({**head, "choices": [], "usage": usage}))
    frames.append(DONE_FRAME)
    return frames


# -- /v1/embeddings ------------------------------------------------------------------------------


def _embedding_inputs(value: Any) -> list[str]:
    if isinstance(value, str):
        if not value:
            raise _invalid(
                "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
                "input",
            )
        return [value]
    if isinstance(value, list) and value:
        if all(isinstance(v, str) and v for v in value):
            return list(value)
        if all(is_int(v) for v in value):
            return [" ".join(str(v) for v in value)]
        if all(isinstance(v, list) and v and all(is_int(t) for t in v) for v in value):
            return [" ".join(str(t) for t in v) for v in value]
    raise _invalid(
        "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
        "input",
    )


def _vector(text: str, dimensions: int) -> list[float]:
    """A deterministic unit vector derived from the text."""
    raw = b""
    counter = 0
    while len(raw) < dimensions * 2:
        raw += hashlib.sha256(f"{counter}:{text}".encode()).digest()
        counter += 1
    values = [
        (int.from_bytes(raw[i : i + 2], "big") / 32767.5) - 1.0 for i in range(0, dimensions * 2, 2)
    ]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


def embeddings(body: Any) -> dict[str, Any]:
    """A validated `/v1/embeddings` request's response (floats or base64 float32)."""
    model = _model(body)
    texts = _embedding_inputs(body.get("input"))
    dimensions = _positive(body, "dimensions", 1, 3072) or EMBEDDING_DIMENSIONS.get(
        model, _DEFAULT_DIMENSIONS
    )
    encoding = body.get("encoding_format", "float")
    if encoding not in ("float", "base64"):
        raise _invalid(
            f"Invalid value: '{encoding}'. Supported values are: 'float' and 'base64'.",
            "encoding_format",
            "invalid_value",
        )
    data = []
    for index, text in enumerate(texts):
        vector = _vector(text, dimensions)
        embedding: Any = vector
        if encoding == "base64":
            embedding = base64.b64encode(struct.pack(f"<{dimensions}f", *vector)).decode()
        data.append({"object": "embedding", "index": index, "embedding": embedding})
    tokens = sum(count_tokens(t) for t in texts)
    return {
        "object": "list",
        "data": data,
        "model": model,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


# -- /v1/responses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponsesRequest:
    """A validated Responses API request."""

    body: dict[str, Any]
    model: str
    stream: bool
    input_tokens: int
    prompt: Prompt


def _input_text(value: Any) -> tuple[str, int]:
    """The last user text and the token count of the whole input."""
    if isinstance(value, str):
        return value, count_tokens(value)
    if not isinstance(value, list):
        raise _invalid(
            "Invalid type for 'input': expected a string or an array of input items.",
            "input",
            "invalid_type",
        )
    last = ""
    tokens = 0
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise _invalid(
                f"Invalid type for 'input[{index}]': expected an object.",
                f"input[{index}]",
                "invalid_type",
            )
        content = item.get("content")
        text = content if isinstance(content, str) else _content_parts(content)
        if item.get("type", "message") == "message" and "role" not in item:
            raise _invalid(
                f"Missing required parameter: 'input[{index}].role'.",
                f"input[{index}].role",
                "missing_required_parameter",
            )
        tokens += count_tokens(text) if text else count_tokens(compact_json(item))
        if item.get("role") == "user":
            last = text
    return last, tokens


def _content_parts(content: Any) -> str:
    if not isinstance(content, list):
        return content_text(content)
    return "\n".join(
        part["text"]
        for part in content
        if isinstance(part, dict) and isinstance(part.get("text"), str)
    )


def parse_responses(body: Any, *, filler_words: int | None = None) -> ResponsesRequest:
    """Validate a `/v1/responses` (or `/v1/responses/input_tokens`) request."""
    model = _model(body)
    if "input" not in body and "previous_response_id" not in body:
        raise _invalid(
            "Missing required parameter: 'input'.", "input", "missing_required_parameter"
        )
    text, tokens = _input_text(body.get("input", ""))
    instructions = body.get("instructions")
    if instructions is not None and not isinstance(instructions, str):
        raise _invalid(
            "Invalid type for 'instructions': expected a string.", "instructions", "invalid_type"
        )
    tokens += count_tokens(instructions or "")
    max_tokens = _positive(body, "max_output_tokens", 16)
    return ResponsesRequest(
        body,
        model,
        body.get("stream") is True,
        tokens,
        Prompt(
            user_text=text,
            system=instructions or "",
            max_tokens=max_tokens,
            filler_words=DEFAULT_FILLER_WORDS if filler_words is None else filler_words,
        ),
    )


def input_tokens(request: ResponsesRequest) -> dict[str, Any]:
    """The `/v1/responses/input_tokens` body."""
    return {"object": "response.input_tokens", "input_tokens": request.input_tokens}


def _message(msg_id: str, text: str, status: str) -> dict[str, Any]:
    part = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
    return {
        "type": "message",
        "id": msg_id,
        "status": status,
        "role": "assistant",
        "content": [part],
    }


def response_object(
    resp_id: str,
    msg_id: str,
    created: int,
    request: ResponsesRequest,
    reply: Reply,
    *,
    status: str = "completed",
) -> dict[str, Any]:
    """A `response` object; `status` in_progress leaves output and usage empty."""
    done = status != "in_progress"
    incomplete = done and reply.stop_reason == "max_tokens"
    body = request.body
    return {
        "id": resp_id,
        "object": "response",
        "created_at": created,
        "status": "incomplete" if incomplete else status,
        "error": None,
        "incomplete_details": {"reason": "max_output_tokens"} if incomplete else None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "model": request.model,
        "output": [_message(msg_id, reply.text, "completed")] if done else [],
        "parallel_tool_calls": True,
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": {"effort": None, "summary": None},
        "store": body.get("store", True),
        "temperature": body.get("temperature", 1.0),
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": [],
        "top_p": body.get("top_p", 1.0),
        "truncation": "disabled",
        "usage": _typed_usage(request.input_tokens, reply.output_tokens) if done else None,
        "user": None,
        "metadata": body.get("metadata") or {},
    }


def response_events(
    resp_id: str, msg_id: str, created: int, request: ResponsesRequest, reply: Reply
) -> list[bytes]:
    """The Responses API event stream: created ... output_text deltas ... completed."""
    sequence = iter(range(1_000_000))

    def event(kind: str, **fields: Any) -> bytes:
        return named_frame(kind, {"type": kind, "sequence_number": next(sequence), **fields})

    pending = response_object(resp_id, msg_id, created, request, reply, status="in_progress")
    final = response_object(resp_id, msg_id, created, request, reply)
    empty_part = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
    where = {"item_id": msg_id, "output_index": 0, "content_index": 0}
    frames = [
        event("response.created", response=pending),
        event("response.in_progress", response=pending),
        event(
            "response.output_item.added", output_index=0, item=_message(msg_id, "", "in_progress")
        ),
        event("response.content_part.added", part=empty_part, **where),
    ]
    frames.extend(
        event("response.output_text.delta", delta=piece, logprobs=[], **where)
        for piece in text_chunks(reply.text)
    )
    done_part = {**empty_part, "text": reply.text}
    frames += [
        event("response.output_text.done", text=reply.text, logprobs=[], **where),
        event("response.content_part.done", part=done_part, **where),
        event(
            "response.output_item.done",
            output_index=0,
            item=_message(msg_id, reply.text, "completed"),
        ),
        event(f"response.{final['status']}", response=final),
    ]
    return frames


def response_error_event() -> bytes:
    """The mid-stream error event used by `x-sim-fail-mode: error`."""
    return named_frame(
        "error",
        {
            "type": "error",
            "code": "server_error",
            "message": "The server had an error while processing your request.",
            "param": None,
            "sequence_number": 0,
        },
    )


# -- /v1/images/generations ----------------------------------------------------------------------


def image_generation(body: Any, image_id: Callable[[], str], created: int) -> dict[str, Any]:
    """A `/v1/images/generations` response: `n` tiny PNGs (b64 or URL) and, for gpt-image, usage."""
    model = body.get("model", "dall-e-2") if isinstance(body, dict) else None
    if not isinstance(body, dict) or not isinstance(model, str):
        raise _invalid("The request body must be a JSON object.")
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt:
        raise _invalid(
            "Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter"
        )
    count = _positive(body, "n", 1, 10) or 1
    size = body.get("size", "auto")
    if size not in _IMAGE_SIZES:
        raise _invalid(
            f"Invalid value: '{size}'. Supported values are: {', '.join(sorted(_IMAGE_SIZES))}.",
            "size",
            "invalid_value",
        )
    gpt_image = model.startswith("gpt-image")
    fmt = body.get("response_format", "b64_json" if gpt_image else "url")
    if fmt not in ("url", "b64_json") or (gpt_image and "response_format" in body):
        raise _invalid(
            f"Invalid value: '{fmt}'. Supported values are: 'url' and 'b64_json'.",
            "response_format",
            "invalid_value",
        )
    image = base64.b64encode(_PNG).decode()
    data = [
        {"b64_json": image}
        if fmt == "b64_json"
        else {"url": f"https://images.simulator.invalid/{image_id()}.png"}
        for _ in range(count)
    ]
    out: dict[str, Any] = {"created": created, "data": data}
    if gpt_image:
        prompt_tokens = count_tokens(prompt)
        out["usage"] = {
            "input_tokens": prompt_tokens,
            "input_tokens_details": {"text_tokens": prompt_tokens, "image_tokens": 0},
            "output_tokens": 272 * count,
            "total_tokens": prompt_tokens + 272 * count,
        }
    return out


# -- /v1/audio/* ---------------------------------------------------------------------------------


def speech(body: Any) -> tuple[bytes, str, list[bytes] | None]:
    """`/v1/audio/speech`: (audio bytes, content type, SSE frames when `stream_format` is sse)."""
    _model(body)
    text = body.get("input")
    if not isinstance(text, str) or not text:
        raise _invalid(
            "Missing required parameter: 'input'.", "input", "missing_required_parameter"
        )
    if len(text) > 4096:
        raise _invalid(
            "Invalid 'input': string too long. Expected a string with maximum length 4096.",
            "input",
            "string_above_max_length",
        )
    voice = body.get("voice")
    if voice not in _VOICES:
        raise _invalid(
            f"Invalid value: '{voice}'. Supported values are: {', '.join(sorted(_VOICES))}.",
            "voice",
            "invalid_value",
        )
    fmt = body.get("response_format", "mp3")
    if fmt not in _SPEECH_FORMATS:
        raise _invalid(
            f"Invalid value: '{fmt}'. Supported values are: {', '.join(_SPEECH_FORMATS)}.",
            "response_format",
            "invalid_value",
        )
    audio = b"SIMAUDIO" + hashlib.sha256(f"{voice}:{text}".encode()).digest() * max(
        1, len(text) // 32
    )
    if body.get("stream_format") != "sse":
        return audio, _SPEECH_FORMATS[fmt], None
    tokens = count_tokens(text)
    frames = [
        data_frame(
            {"type": "speech.audio.delta", "audio": base64.b64encode(audio[i : i + 512]).decode()}
        )
        for i in range(0, len(audio), 512)
    ]
    frames.append(
        data_frame(
            {
                "type": "speech.audio.done",
                "usage": {
                    "input_tokens": tokens,
                    "output_tokens": len(audio) // 64,
                    "total_tokens": tokens + len(audio) // 64,
                },
            }
        )
    )
    return audio, "text/event-stream", frames


def transcription(
    fields: dict[str, str], file_name: str, file_size: int, *, translate: bool
) -> tuple[Any, str, list[bytes] | None]:
    """`/v1/audio/transcriptions|translations`: (JSON or text body, content type, SSE frames)."""
    model = fields.get("model")
    if not model:
        raise _invalid("you must provide a model parameter")
    if file_size == 0:
        raise _invalid(
            "The audio file could not be decoded or its format is not supported.",
            "file",
            "invalid_value",
        )
    what = "translation" if translate else "transcription"
    text = f"Simulated {what} of {file_name} ({file_size} bytes)."
    fmt = fields.get("response_format", "json")
    if fmt not in ("json", "text", "verbose_json", "srt", "vtt"):
        raise _invalid(
            f"Invalid value: '{fmt}'. Supported values are: 'json', 'text', 'srt', "
            "'verbose_json', and 'vtt'.",
            "response_format",
            "invalid_value",
        )
    whisper = model.startswith("whisper")
    prompt_tokens = max(file_size // 400, 1)
    usage: dict[str, Any] = (
        {"type": "duration", "seconds": max(file_size // 16000, 1)}
        if whisper
        else {
            "type": "tokens",
            "input_tokens": prompt_tokens,
            "output_tokens": count_tokens(text),
            "total_tokens": prompt_tokens + count_tokens(text),
        }
    )
    if fields.get("stream", "false").lower() == "true" and not translate:
        if whisper:
            raise _invalid(
                "Streaming is not supported for the whisper-1 model.", "stream", "unsupported_value"
            )
        frames = [
            data_frame({"type": "transcript.text.delta", "delta": piece})
            for piece in text_chunks(text)
        ]
        frames.append(data_frame({"type": "transcript.text.done", "text": text, "usage": usage}))
        return None, "text/event-stream", frames
    if fmt == "text":
        return text + "\n", "text/plain; charset=utf-8", None
    if fmt in ("srt", "vtt"):
        head = "WEBVTT\n\n" if fmt == "vtt" else "1\n"
        return f"{head}00:00:00.000 --> 00:00:01.000\n{text}\n", "text/plain; charset=utf-8", None
    body: dict[str, Any] = {"text": text}
    if not translate:
        body["usage"] = usage
    return body, "application/json", None


# -- /tokenize (vLLM) ----------------------------------------------------------------------------


def tokenize(body: Any) -> dict[str, Any]:
    """vLLM's `/tokenize`: `prompt` (completion form) or `messages` (chat form)."""
    _model(body)
    if isinstance(body.get("prompt"), str):
        text = body["prompt"]
    elif isinstance(body.get("messages"), list):
        text = "\n".join(
            content_text(m.get("content")) for m in body["messages"] if isinstance(m, dict)
        )
    else:
        raise _invalid("Either 'prompt' or 'messages' is required.", "prompt")
    tokens = [
        int.from_bytes(hashlib.sha256(text[i : i + 4].encode()).digest()[:2], "big")
        for i in range(0, len(text), 4)
    ]
    return {"count": len(tokens), "max_model_len": 131072, "tokens": tokens}
