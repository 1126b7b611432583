"""Upstream's gen_ai metrics (§7) on prometheus_client, with bounded label cardinality.

Names, units, buckets and attributes are upstream's; request headers can be mapped to labels as
`OTEL_AIGW_METRICS_REQUEST_HEADER_ATTRIBUTES` does. Model names come from clients (a catch-all
route takes any), so every label whose values clients choose is capped: past
`label_value_limit` distinct values a label's new values fold into `_OTHER`, and past
`series_limit` series per family every client-chosen label does. `/metrics` stays small whatever
clients send.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import prometheus_client
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from gateway.translation.usage import TokenUsage

__all__ = [
    "DEFAULT_LABEL_VALUE_LIMIT",
    "DEFAULT_SERIES_LIMIT",
    "OTHER",
    "GenAIMetrics",
    "HistogramFamily",
    "RequestAttributes",
    "label_name",
]

OTHER: Final = "_OTHER"
DEFAULT_LABEL_VALUE_LIMIT: Final = 50
DEFAULT_SERIES_LIMIT: Final = 500

_TOKEN_BUCKETS: Final = tuple(float(4**i) for i in range(14))  # 1 … 67108864
_DURATION_BUCKETS: Final = tuple(0.01 * 2**i for i in range(14))  # 0.01 … 81.92
_TTFT_BUCKETS: Final = (
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75,
    1.0, 2.5, 5.0, 7.5, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0,
)  # fmt: skip
_TPOT_BUCKETS: Final = (
    0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5,
)  # fmt: skip
_BASE_LABELS: Final = (
    "gen_ai_operation_name",
    "gen_ai_provider_name",
    "gen_ai_original_model",
    "gen_ai_request_model",
    "gen_ai_response_model",
)
# Positions in `_BASE_LABELS` whose values the client chooses (the gateway picks the others).
_CLIENT_CHOSEN: Final = (2, 3, 4)

# The `_created` series are prometheus_client's addition; upstream's exposition has none.
prometheus_client.disable_created_metrics()  # type: ignore[no-untyped-call]


def label_name(attribute: str) -> str:
    """The Prometheus label of an OTel attribute name (`tenant.id` -> `tenant_id`)."""
    return "".join(c if c.isalnum() or c == "_" else "_" for c in attribute)


class _LabelLimiter:
    """Admits the first `limit` distinct values of one label; later new values become `_OTHER`."""

    __slots__ = ("_limit", "_seen")

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._seen: set[str] = set()

    def __call__(self, value: str) -> str:
        seen = self._seen
        if value in seen or not value:
            return value
        if len(seen) >= self._limit:
            return OTHER
        seen.add(value)
        return value


class HistogramFamily:
    """One histogram family; series beyond `series_limit` fold their client-chosen labels."""

    __slots__ = ("_children", "_folded", "_histogram", "_series_limit", "labels")

    def __init__(
        self,
        histogram: Histogram,
        labels: Sequence[str],
        folded: Sequence[int],
        series_limit: int,
    ) -> None:
        self._histogram = histogram
        self._children: dict[tuple[str, ...], Histogram] = {}
        self._folded = tuple(folded)
        self._series_limit = series_limit
        self.labels = tuple(labels)

    def observe(self, values: tuple[str, ...], amount: float) -> None:
        """Record one observation in the series of these label values."""
        child = self._children.get(values)
        if child is None:
            child = self._child(values)
        child.observe(amount)

    def _child(self, values: tuple[str, ...]) -> Histogram:
        if len(self._children) >= self._series_limit:
            folded = list(values)
            for index in self._folded:
                folded[index] = OTHER
            key = tuple(folded)
            child = self._children.get(key) or self._histogram.labels(*key)
            self._children.setdefault(key, child)
            return child
        child = self._histogram.labels(*values)
        self._children[values] = child
        return child

    @property
    def series(self) -> int:
        """How many label sets this family holds."""
        return len(self._children)

    def count(self, **labels: str) -> int:
        """Observations of every series whose labels include `labels` (for tests and reports)."""
        total = 0.0
        for metric in self._histogram.collect():
            for sample in metric.samples:
                if sample.name.endswith("_count") and all(
                    sample.labels.get(k) == v for k, v in labels.items()
                ):
                    total += sample.value
        return int(total)


@dataclass(frozen=True, slots=True)
class RequestAttributes:
    """The gen_ai attributes of one request, plus header-mapped label values (in mapping order)."""

    operation: str
    provider: str
    original_model: str
    request_model: str
    response_model: str
    headers: tuple[str, ...] = ()


class GenAIMetrics:
    """Upstream's four gen_ai histograms with its names, units, buckets and attributes."""

    def __init__(
        self,
        *,
        header_labels: Mapping[str, str] | None = None,
        label_value_limit: int = DEFAULT_LABEL_VALUE_LIMIT,
        series_limit: int = DEFAULT_SERIES_LIMIT,
    ) -> None:
        if label_value_limit < 1 or series_limit < 1:
            raise ValueError("metrics label and series limits must be at least 1")
        self.registry = CollectorRegistry(auto_describe=False)
        #: request header (lower-case) -> Prometheus label, in label order
        self.header_labels = {
            header.lower(): label_name(attribute)
            for header, attribute in (header_labels or {}).items()
        }
        extra = tuple(self.header_labels.values())
        base = (*_BASE_LABELS, *extra)
        # Header-mapped values come from clients too: they are capped like model names.
        folded = (*_CLIENT_CHOSEN, *range(len(_BASE_LABELS), len(base)))
        self._limiters = [
            _LabelLimiter(label_value_limit) if i in folded else None for i in range(len(base))
        ]

        def family(
            name: str, doc: str, buckets: Sequence[float], labels: Sequence[str]
        ) -> HistogramFamily:
            histogram = Histogram(
                name, doc, labelnames=labels, buckets=buckets, registry=self.registry
            )
            return HistogramFamily(histogram, labels, folded, series_limit)

        self.token_usage = family(
            "gen_ai_client_token_usage",
            "Number of tokens processed.",
            _TOKEN_BUCKETS,
            (*base, "gen_ai_token_type"),
        )
        self.request_duration = family(
            "gen_ai_server_request_duration_seconds",
            "Generative AI server request duration such as time-to-last byte or last output token.",
            _DURATION_BUCKETS,
            (*base, "error_type"),
        )
        self.time_to_first_token = family(
            "gen_ai_server_time_to_first_token_seconds",
            "Time to receive first token in streaming responses.",
            _TTFT_BUCKETS,
            base,
        )
        self.time_per_output_token = family(
            "gen_ai_server_time_per_output_token_seconds",
            "Time between output tokens in streaming responses.",
            _TPOT_BUCKETS,
            base,
        )

    def _values(self, attrs: RequestAttributes) -> tuple[str, ...]:
        raw = (
            attrs.operation,
            attrs.provider,
            attrs.original_model,
            attrs.request_model,
            attrs.response_model,
            *attrs.headers,
        )
        return tuple(
            value if limit is None else limit(value)
            for value, limit in zip(raw, self._limiters, strict=True)
        )

    def record(
        self,
        attrs: RequestAttributes,
        *,
        duration: float,
        success: bool,
        usage: TokenUsage | None,
        ttft: float | None,
    ) -> None:
        """Record one finished request (token usage once, streaming latencies when streamed)."""
        base = self._values(attrs)
        self.request_duration.observe((*base, "" if success else OTHER), duration)
        if usage is not None:
            observe = self.token_usage.observe
            observe((*base, "input"), usage.input_tokens)
            observe((*base, "cached_input"), usage.cached_input_tokens)
            observe((*base, "cache_creation_input"), usage.cache_creation_input_tokens)
            observe((*base, "output"), usage.output_tokens)
            if usage.reasoning_tokens:
                observe((*base, "reasoning"), usage.reasoning_tokens)
        if ttft is not None:
            self.time_to_first_token.observe(base, ttft)
            if usage is not None and usage.output_tokens > 1:
                per_token = (duration - ttft) / (usage.output_tokens - 1)
                self.time_per_output_token.observe(base, per_token)

    def render(self) -> bytes:
        """The Prometheus text exposition of every family."""
        return generate_latest(self.registry)
