"""Upstream's gen_ai metrics (§7) exposed through prometheus_client, with bounded cardinality.

Names, units, buckets and attributes are upstream's; request headers can be mapped to labels as
`OTEL_AIGW_METRICS_REQUEST_HEADER_ATTRIBUTES` does. Model names come from clients (a catch-all
route takes any), so every label whose values clients choose is capped: past
`label_value_limit` distinct values a label's new values fold into `_OTHER`, and past
`series_limit` series per family every client-chosen label does. `/metrics` stays small whatever
clients send.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Final

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

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
    """One histogram family: series of bucket counts, exposed by prometheus_client's collector API.

    Observations only bump a list entry (the data plane records several per request);
    prometheus_client builds the exposition from them at scrape time. Past `series_limit` series,
    new label sets fold their client-chosen labels into `_OTHER`.
    """

    __slots__ = (
        "_folded", "_series", "_series_limit", "buckets", "documentation", "labels", "name",
    )  # fmt: skip

    def __init__(
        self,
        name: str,
        documentation: str,
        buckets: Sequence[float],
        labels: Sequence[str],
        folded: Sequence[int],
        series_limit: int,
    ) -> None:
        self.name = name
        self.documentation = documentation
        self.buckets = tuple(buckets)
        self.labels = tuple(labels)
        self._folded = tuple(folded)
        self._series_limit = series_limit
        # label values -> (counts per bucket then +Inf, [sum])
        self._series: dict[tuple[str, ...], tuple[list[int], list[float]]] = {}

    def observe(self, values: tuple[str, ...], amount: float) -> None:
        """Record one observation in the series of these label values."""
        series = self._series.get(values)
        if series is None:
            series = self._new_series(values)
        series[0][bisect_left(self.buckets, amount)] += 1
        series[1][0] += amount

    def _new_series(self, values: tuple[str, ...]) -> tuple[list[int], list[float]]:
        if len(self._series) >= self._series_limit:
            folded = list(values)
            for index in self._folded:
                folded[index] = OTHER
            values = tuple(folded)
            existing = self._series.get(values)
            if existing is not None:
                return existing
        series: tuple[list[int], list[float]] = ([0] * (len(self.buckets) + 1), [0.0])
        self._series[values] = series
        return series

    @property
    def series(self) -> int:
        """How many label sets this family holds."""
        return len(self._series)

    def count(self, **labels: str) -> int:
        """Observations of every series whose labels include `labels` (for tests and reports)."""
        return sum(
            sum(counts)
            for key, (counts, _) in self._series.items()
            if all(dict(zip(self.labels, key, strict=True)).get(k) == v for k, v in labels.items())
        )

    def collect(self) -> HistogramMetricFamily:
        """The family for prometheus_client's exposition (cumulative buckets)."""
        family = HistogramMetricFamily(self.name, self.documentation, labels=self.labels)
        bounds = [floatToGoString(bound) for bound in self.buckets]  # type: ignore[no-untyped-call]
        # A snapshot (one C-level copy under the GIL): render() may run in a worker thread while
        # the event loop keeps adding series and observations.
        for key, (counts, total) in list(self._series.items()):
            cumulative = list(accumulate(counts[:]))
            buckets = [*zip(bounds, cumulative[:-1], strict=True), ("+Inf", cumulative[-1])]
            family.add_metric(key, buckets, total[0])
        return family


@dataclass(frozen=True, slots=True)
class RequestAttributes:
    """The gen_ai attributes of one request, plus header-mapped label values (in mapping order)."""

    operation: str
    provider: str
    original_model: str
    request_model: str
    response_model: str
    headers: tuple[str, ...] = ()


class GenAIMetrics(Collector):
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
        #: request header (lower-case) -> Prometheus label, in label order
        self.header_labels = {
            header.lower(): label_name(attribute)
            for header, attribute in (header_labels or {}).items()
        }
        extra = tuple(self.header_labels.values())
        base = (*_BASE_LABELS, *extra)
        # Header-mapped values come from clients too: they are capped like model names.
        folded = (*_CLIENT_CHOSEN, *range(len(_BASE_LABELS), len(base)))
        self._original, self._request, self._response = (
            _LabelLimiter(label_value_limit) for _ in range(3)
        )
        self._header_limits = [_LabelLimiter(label_value_limit) for _ in extra]

        def family(
            name: str, doc: str, buckets: Sequence[float], labels: Sequence[str]
        ) -> HistogramFamily:
            return HistogramFamily(name, doc, buckets, labels, folded, series_limit)

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
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self)

    def _values(self, attrs: RequestAttributes) -> tuple[str, ...]:
        base = (
            attrs.operation,
            attrs.provider,
            self._original(attrs.original_model),
            self._request(attrs.request_model),
            self._response(attrs.response_model),
        )
        if not self._header_limits:
            return base
        headers = zip(attrs.headers, self._header_limits, strict=True)
        return (*base, *(limit(value) for value, limit in headers))

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

    def collect(self) -> Iterable[Metric]:
        """prometheus_client's collector protocol: the four families."""
        for histogram in (
            self.token_usage,
            self.request_duration,
            self.time_to_first_token,
            self.time_per_output_token,
        ):
            yield histogram.collect()

    def render(self) -> bytes:
        """The Prometheus text exposition of every family (prometheus_client's encoder).

        Safe to call from a worker thread while the event loop records."""
        return generate_latest(self.registry)
