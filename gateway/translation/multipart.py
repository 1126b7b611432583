"""`multipart/form-data` bodies (RFC 7578) for the audio endpoints: parse, read fields, re-encode.

Only what the gateway needs: the text fields (the model, `stream`, `response_format`) and
replacing one field's value while keeping every other part byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["MultipartError", "Part", "boundary_of", "fields", "parse_multipart", "replace_field"]

_BOUNDARY: Final = re.compile(r'boundary=(?:"([^"]+)"|([^\s;]+))', re.IGNORECASE)
_NAME: Final = re.compile(rb'\bname="([^"]*)"', re.IGNORECASE)
_FILENAME: Final = re.compile(rb'\bfilename="([^"]*)"', re.IGNORECASE)


class MultipartError(ValueError):
    """A body that is not well-formed `multipart/form-data`."""


@dataclass(frozen=True, slots=True)
class Part:
    """One part: its field name, file name (None for a plain field), raw headers and data."""

    name: str
    filename: str | None
    headers: bytes
    data: bytes


def boundary_of(content_type: str) -> str:
    """The boundary parameter of a `multipart/form-data` content type."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise MultipartError(f"expected multipart/form-data content type, got {content_type!r}")
    match = _BOUNDARY.search(content_type)
    if match is None:
        raise MultipartError("multipart/form-data content type has no boundary")
    return match.group(1) or match.group(2)


def parse_multipart(body: bytes, boundary: str) -> list[Part]:
    """Every part of `body`; raise `MultipartError` when the framing is broken."""
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise MultipartError("multipart body is not terminated by its closing boundary")
    parts: list[Part] = []
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise MultipartError("multipart part is not framed by CRLF")
        head, sep, data = chunk[2:-2].partition(b"\r\n\r\n")
        if not sep:
            raise MultipartError("multipart part has no header/body separator")
        name = _NAME.search(head)
        if name is None:
            raise MultipartError("multipart part has no Content-Disposition name")
        filename = _FILENAME.search(head)
        parts.append(
            Part(
                name.group(1).decode("utf-8", "replace"),
                None if filename is None else filename.group(1).decode("utf-8", "replace"),
                head,
                data,
            )
        )
    return parts


def fields(parts: list[Part]) -> dict[str, str]:
    """The text fields (parts without a file name); the first of repeated names wins."""
    out: dict[str, str] = {}
    for part in parts:
        if part.filename is None and part.name not in out:
            out[part.name] = part.data.decode("utf-8", "replace")
    return out


def replace_field(parts: list[Part], boundary: str, name: str, value: str) -> bytes:
    """The body re-encoded with the text field `name` set to `value` (others unchanged)."""
    delimiter = b"--" + boundary.encode("latin-1")
    out: list[bytes] = []
    for part in parts:
        data = value.encode() if part.name == name and part.filename is None else part.data
        out += [delimiter, b"\r\n", part.headers, b"\r\n\r\n", data, b"\r\n"]
    out += [delimiter, b"--\r\n"]
    return b"".join(out)
