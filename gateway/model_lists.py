"""The `/v1/models` and `/anthropic/v1/models` bodies, built once per configuration (§4.7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson

__all__ = ["ModelEntry", "models_bodies"]


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """One listed model: id, creation time (epoch seconds) and owner."""

    id: str
    created: int
    owned_by: str


def models_bodies(models: list[ModelEntry]) -> tuple[bytes, bytes]:
    """`/v1/models` (OpenAI shape) and `/anthropic/v1/models` bodies listing these models."""
    openai = {
        "data": [
            {"id": m.id, "created": m.created, "object": "model", "owned_by": m.owned_by}
            for m in models
        ],
        "object": "list",
    }
    anthropic_data = [
        {
            "id": m.id,
            "type": "model",
            "display_name": m.id,
            "created_at": datetime.fromtimestamp(m.created).astimezone().isoformat(),
        }
        for m in models
    ]
    anthropic = {
        "data": anthropic_data,
        "first_id": models[0].id if models else None,
        "has_more": False,
        "last_id": models[-1].id if models else None,
    }
    return orjson.dumps(openai), orjson.dumps(anthropic)
