"""Fill the CRD defaults (``Limits.default``) into unset fields of a resource."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from aigw_sdk.models.base import Limits

M = TypeVar("M", bound=BaseModel)


def apply_defaults(model: M) -> M:
    """A deep copy of ``model`` with every unset field that has a CRD default set to it."""
    copy = model.model_copy(deep=True)
    _fill(copy)
    return copy


def _fill(value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _fill(item)
        return
    if not isinstance(value, BaseModel):
        return
    for name, field in type(value).model_fields.items():
        current = getattr(value, name)
        if current is None:
            limits = next((m for m in field.metadata if isinstance(m, Limits)), None)
            if limits is not None and limits.has_default:
                setattr(value, name, limits.default)
                value.model_fields_set.add(name)
            continue
        _fill(current)
