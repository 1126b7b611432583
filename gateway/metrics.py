"""The gen_ai metrics of upstream (§7), kept in memory and rendered as Prometheus text."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from gateway.translation.usage import TokenUsage

__all__ = ["GenAIMetrics", "Histogram", "RequestAttributes"]

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


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


class Histogram:
    """A Prometheus histogram with fixed buckets, keyed by label values."""

    def __init__(self, name: str, help_text: str, buckets: Sequence[float], labels: Sequence[str]):
        self.name = name
        self.help = help_text
        self.buckets = tuple(buckets)
        self.labels = tuple(labels)
        # label values -> [bucket counts..., +Inf count], sum
        self._series: dict[tuple[str, ...], tuple[list[int], list[float]]] = {}

    def observe(self, labels: tuple[str, ...], value: float) -> None:
        """Record one observation."""
        series = self._series.get(labels)
        if series is None:
            series = ([0] * (len(self.buckets) + 1), [0.0])
            self._series[labels] = series
        series[0][bisect_left(self.buckets, value)] += 1
        series[1][0] += value

    def count(self, **labels: str) -> int:
        """Observations of every series whose labels include `labels` (for tests and reports)."""
        total = 0
        for key, (counts, _) in self._series.items():
            named = dict(zip(self.labels, key, strict=True))
            if all(named.get(k) == v for k, v in labels.items()):
                total += sum(counts)
        return total

    def render(self) -> list[str]:
        """Prometheus exposition lines of this family."""
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} histogram"]
        for key, (counts, total) in sorted(self._series.items()):
            pairs = ",".join(
                f'{name}="{_escape(value)}"'
                for name, value in zip(self.labels, key, strict=True)
                if value  # an empty value is an absent label in Prometheus
            )
            prefix = pairs + "," if pairs else ""
            cumulative = 0
            for bound, count in zip(self.buckets, counts, strict=False):
                cumulative += count
                lines.append(f'{self.name}_bucket{{{prefix}le="{_number(bound)}"}} {cumulative}')
            cumulative += counts[-1]
            lines.append(f'{self.name}_bucket{{{prefix}le="+Inf"}} {cumulative}')
            lines.append(f"{self.name}_sum{{{pairs}}} {_number(total[0])}")
            lines.append(f"{self.name}_count{{{pairs}}} {cumulative}")
        return lines


@dataclass(frozen=True, slots=True)
class RequestAttributes:
    """The gen_ai attributes of one request."""

    operation: str
    provider: str
    original_model: str
    request_model: str
    response_model: str

    def values(self) -> tuple[str, str, str, str, str]:
        """Label values in `_BASE_LABELS` order."""
        return (
            self.operation,
            self.provider,
            self.original_model,
            self.request_model,
            self.response_model,
        )


class GenAIMetrics:
    """Upstream's four gen_ai histograms with its names, units, buckets and attributes."""

    def __init__(self) -> None:
        self.token_usage = Histogram(
            "gen_ai_client_token_usage",
            "Number of tokens processed.",
            _TOKEN_BUCKETS,
            (*_BASE_LABELS, "gen_ai_token_type"),
        )
        self.request_duration = Histogram(
            "gen_ai_server_request_duration_seconds",
            "Generative AI server request duration such as time-to-last byte or last output token.",
            _DURATION_BUCKETS,
            (*_BASE_LABELS, "error_type"),
        )
        self.time_to_first_token = Histogram(
            "gen_ai_server_time_to_first_token_seconds",
            "Time to receive first token in streaming responses.",
            _TTFT_BUCKETS,
            _BASE_LABELS,
        )
        self.time_per_output_token = Histogram(
            "gen_ai_server_time_per_output_token_seconds",
            "Time between output tokens in streaming responses.",
            _TPOT_BUCKETS,
            _BASE_LABELS,
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
        base = attrs.values()
        self.request_duration.observe((*base, "" if success else "_OTHER"), duration)
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
        lines: list[str] = []
        for histogram in (
            self.token_usage,
            self.request_duration,
            self.time_to_first_token,
            self.time_per_output_token,
        ):
            lines.extend(histogram.render())
        return ("\n".join(lines) + "\n").encode()
