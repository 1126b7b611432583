"""Cohere v2 `/v2/rerank`: validation as the real API does it, deterministic relevance scores."""

from __future__ import annotations

import re
from typing import Any, Final

from gateway.simulator.errors import SimError
from gateway.simulator.tokens import count_tokens
from gateway.simulator.wire import is_int

__all__ = ["rerank"]

_WORD: Final = re.compile(r"[a-z0-9]+")
MAX_DOCUMENTS: Final = 1000


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _score(query: set[str], document: str, index: int) -> float:
    """Word overlap (Jaccard) nudged by position so ties keep a stable order."""
    words = _words(document)
    union = query | words
    overlap = len(query & words) / len(union) if union else 0.0
    return round(min(0.999, 0.05 + 0.9 * overlap) - index * 1e-6, 6)


def rerank(body: Any, response_id: str) -> dict[str, Any]:
    """A validated rerank request's response, results sorted by relevance."""
    if not isinstance(body, dict):
        raise SimError(400, "invalid request: body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise SimError(400, "invalid request: model must be specified")
    query = body.get("query")
    if not isinstance(query, str) or not query:
        raise SimError(400, "invalid request: query must be a non-empty string")
    documents = body.get("documents")
    if not isinstance(documents, list) or not documents:
        raise SimError(400, "invalid request: documents must be a non-empty list")
    if len(documents) > MAX_DOCUMENTS:
        raise SimError(400, f"invalid request: documents cannot exceed {MAX_DOCUMENTS} items")
    texts: list[str] = []
    for index, document in enumerate(documents):
        if not isinstance(document, str):
            raise SimError(400, f"invalid request: documents[{index}] must be a string")
        texts.append(document)
    top_n = body.get("top_n")
    if top_n is not None and (not is_int(top_n) or top_n < 1):
        raise SimError(400, "invalid request: top_n must be a positive integer")
    wanted = set(_words(query))
    results = sorted(
        ({"index": i, "relevance_score": _score(wanted, t, i)} for i, t in enumerate(texts)),
        key=lambda r: -float(r["relevance_score"]),
    )
    if top_n is not None:
        results = results[:top_n]
    tokens = count_tokens(query) + sum(count_tokens(t) for t in texts)
    return {
        "id": response_id,
        "results": results,
        "meta": {
            "api_version": {"version": "2"},
            "billed_units": {"search_units": 1},
            "tokens": {"input_tokens": tokens, "output_tokens": 0},
        },
    }
