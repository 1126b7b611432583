"""Core Kubernetes objects of a bundle: Secret."""

from __future__ import annotations

import base64
import binascii
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field

from aigw_sdk.models.base import Resource

_MASK = "***"


class Secret(Resource):
    """Core `Secret`. Values are never shown in reprs; read them with :meth:`value`."""

    # A validation error must not quote the values it was given (they are credentials).
    model_config = ConfigDict(hide_input_in_errors=True)

    version: ClassVar[str] = "v1"
    plural: ClassVar[str] = "secrets"

    api_version: Literal["v1"] = Field(default="v1", alias="apiVersion")
    kind: Literal["Secret"] = "Secret"
    type: str | None = None
    data: dict[str, str] | None = None
    string_data: dict[str, str] | None = None
    immutable: bool | None = None

    def value(self, key: str) -> str | None:
        """The decoded value of ``key`` (``stringData`` wins over ``data``, as in the API)."""
        if self.string_data and key in self.string_data:
            return self.string_data[key]
        if self.data and key in self.data:
            try:
                return base64.b64decode(self.data[key], validate=True).decode()
            except (binascii.Error, UnicodeDecodeError) as exc:
                raise ValueError(f"Secret {self.name!r}: data.{key} is not valid base64") from exc
        return None

    def keys(self) -> set[str]:
        """Every key present in ``data`` or ``stringData``."""
        return set(self.data or {}) | set(self.string_data or {})

    def __repr_args__(self) -> Any:
        yield from super().__repr_args__()
        yield "keys", sorted(self.keys())

    def __str__(self) -> str:
        return f"Secret {self.name!r} keys={sorted(self.keys())} values={_MASK}"
