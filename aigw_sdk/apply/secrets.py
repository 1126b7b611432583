"""Secrets: fill them from the environment, and keep their values out of messages."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from aigw_sdk.errors import AIGWError
from aigw_sdk.models.base import ObjectMeta, Resource
from aigw_sdk.models.core import Secret

_MASK = "***"
_MIN_SECRET_LENGTH = 3


def secret_from_env(
    name: str,
    key: str,
    env_var: str,
    namespace: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Secret:
    """An Opaque Secret whose ``key`` holds the value of environment variable ``env_var``.

    Raises :class:`~aigw_sdk.errors.AIGWError` naming the variable (never a value) when it is
    unset or empty.
    """
    env = os.environ if environ is None else environ
    value = env.get(env_var)
    if not value:
        raise AIGWError(f"Secret {name!r}: environment variable {env_var} is not set or empty")
    return Secret(
        metadata=ObjectMeta(name=name, namespace=namespace),
        type="Opaque",
        string_data={key: value},
    )


class Redactor:
    """Replaces the Secret values of a bundle (plain and base64) by ``***`` in any text."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        values: set[str] = set()
        for resource in resources:
            if isinstance(resource, Secret):
                values.update((resource.string_data or {}).values())
                values.update((resource.data or {}).values())
                for key in resource.data or {}:
                    try:
                        decoded = resource.value(key)
                    except ValueError:
                        continue
                    if decoded:
                        values.add(decoded)
        # Longest first so that a value containing another is masked whole.
        self._values = sorted(
            (v for v in values if len(v) >= _MIN_SECRET_LENGTH), key=len, reverse=True
        )

    def __call__(self, text: str) -> str:
        for value in self._values:
            text = text.replace(value, _MASK)
        return text
