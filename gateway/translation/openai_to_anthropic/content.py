"""OpenAI content parts -> Anthropic content blocks (text, images, PDFs), validated."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from gateway.translation.errors import bad_request as _bad

__all__ = ["text_parts", "user_blocks"]

_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_PDF = "application/pdf"


def _with_cache_control(block: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    cache_control = part.get("cache_control")
    if cache_control is not None:
        block["cache_control"] = cache_control
    return block


def _data_url_block(url: str, param: str) -> dict[str, Any]:
    header, sep, data = url[5:].partition(",")
    media_type, _, encoding = header.partition(";")
    if not sep or encoding != "base64":
        raise _bad("data URLs must have the form data:<media type>;base64,<data>", param)
    try:
        base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise _bad("data URL payload is not valid base64", param) from None
    source = {"type": "base64", "media_type": media_type, "data": data}
    if media_type in _IMAGE_TYPES:
        return {"type": "image", "source": source}
    if media_type == _PDF:
        return {"type": "document", "source": source}
    raise _bad(
        f"unsupported media type {media_type!r}: images must be jpeg, png, gif or webp, "
        "documents application/pdf",
        param,
    )


def _url_block(url: object, param: str) -> dict[str, Any]:
    if not isinstance(url, str) or not url:
        raise _bad("a non-empty URL string is required", param)
    if url.startswith("data:"):
        return _data_url_block(url, param)
    if not url.startswith("https://"):
        raise _bad("only https:// and data: URLs are supported", param)
    kind = "document" if url.lower().split("?", 1)[0].endswith(".pdf") else "image"
    return {"type": kind, "source": {"type": "url", "url": url}}


def _part_block(part: object, param: str) -> dict[str, Any] | None:
    if not isinstance(part, dict):
        raise _bad("content parts must be objects", param)
    kind = part.get("type")
    if kind == "text":
        text = part.get("text")
        if not isinstance(text, str):
            raise _bad("text parts need a string 'text'", f"{param}.text")
        return _with_cache_control({"type": "text", "text": text}, part) if text else None
    if kind == "image_url":
        image = part.get("image_url")
        url = image.get("url") if isinstance(image, dict) else image
        return _with_cache_control(_url_block(url, f"{param}.image_url"), part)
    if kind == "file":
        file = part.get("file")
        if not isinstance(file, dict) or "file_data" not in file:
            raise _bad("file parts need inline 'file_data' (file ids are not supported)", param)
        data = file["file_data"]
        if not isinstance(data, str) or not data.startswith("data:"):
            raise _bad("file_data must be a data: URL", f"{param}.file.file_data")
        return _with_cache_control(_data_url_block(data, f"{param}.file.file_data"), part)
    raise _bad(f"content part type {kind!r} is not supported by Anthropic backends", param)


def user_blocks(content: object, param: str) -> list[dict[str, Any]]:
    """Blocks for a user-side content value; empty text is dropped, all-empty is a 400."""
    if isinstance(content, str):
        blocks = [{"type": "text", "text": content}] if content else []
    elif isinstance(content, list):
        blocks = [
            block
            for i, part in enumerate(content)
            if (block := _part_block(part, f"{param}[{i}]")) is not None
        ]
    else:
        raise _bad("content must be a string or an array of content parts", param)
    if not blocks:
        raise _bad("content must not be empty", param)
    return blocks


def text_parts(content: object, param: str, *, allow_refusal: bool = False) -> list[dict[str, Any]]:
    """Text blocks of a system/assistant/tool content value (strings or text parts only)."""
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}] if content else []
    if not isinstance(content, list):
        raise _bad("content must be a string or an array of text parts", param)
    allowed = ("text", "refusal") if allow_refusal else ("text",)
    blocks: list[dict[str, Any]] = []
    for i, part in enumerate(content):
        kind = part.get("type") if isinstance(part, dict) else None
        text = part.get(kind) if isinstance(part, dict) and kind in allowed else None
        if not isinstance(text, str) or not isinstance(part, dict):
            raise _bad("only text parts are allowed here", f"{param}[{i}]")
        if text:
            blocks.append(_with_cache_control({"type": "text", "text": text}, part))
    return blocks
