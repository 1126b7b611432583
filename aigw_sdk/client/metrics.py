"""Prometheus text from the admin ``/metrics`` endpoint, parsed into gen_ai counters.

Parsing is prometheus_client's; empty label values count as absent, as in Prometheus.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from prometheus_client.parser import text_string_to_metric_families

REQUESTS = "gen_ai_server_request_duration_seconds_count"
TOKENS = "gen_ai_client_token_usage_sum"


@dataclass(frozen=True, slots=True)
class Sample:
    """One Prometheus sample: metric name, labels, value."""

    name: str
    labels: dict[str, str]
    value: float


@dataclass(frozen=True, slots=True)
class ModelCounters:
    """Requests and tokens of one request model, summed over providers and operations."""

    model: str
    requests: int = 0
    errors: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    cache_creation_input_tokens: int = 0


@dataclass(frozen=True)
class GatewayMetrics:
    """Parsed ``/metrics``. Label filters take OTel names (``gen_ai.request.model``) or
    Prometheus names (``gen_ai_request_model``)."""

    samples: tuple[Sample, ...] = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> GatewayMetrics:
        """Parse the Prometheus text exposition format with prometheus_client's parser."""
        return cls(tuple(_parse(text)))

    def select(self, name: str, **labels: str) -> list[Sample]:
        """Samples of metric ``name`` whose labels include every given one."""
        wanted = {_label_name(k): v for k, v in labels.items()}
        return [
            s
            for s in self.samples
            if s.name == name and all(s.labels.get(k) == v for k, v in wanted.items())
        ]

    def total(self, name: str, **labels: str) -> float:
        """Sum of the matching samples (0 when none)."""
        return sum(s.value for s in self.select(name, **labels))

    def requests(self, **labels: str) -> int:
        """Requests recorded by ``gen_ai.server.request.duration`` (failed ones included)."""
        return int(self.total(REQUESTS, **labels))

    def errors(self, **labels: str) -> int:
        """Failed requests (those with an ``error.type`` label)."""
        return int(
            sum(s.value for s in self.select(REQUESTS, **labels) if "error_type" in s.labels)
        )

    def tokens(self, token_type: str, **labels: str) -> int:
        """Tokens of one ``gen_ai.token.type``: input, output, cached_input, ..."""
        return int(self.total(TOKENS, gen_ai_token_type=token_type, **labels))

    @property
    def models(self) -> list[str]:
        """Every request model seen, sorted."""
        names = {
            s.labels["gen_ai_request_model"]
            for s in self.samples
            if s.name in (REQUESTS, TOKENS) and "gen_ai_request_model" in s.labels
        }
        return sorted(names)

    def by_model(self) -> list[ModelCounters]:
        """Counters per request model, sorted by model name."""
        out = []
        for model in self.models:
            m = {"gen_ai_request_model": model}
            out.append(
                ModelCounters(
                    model=model,
                    requests=self.requests(**m),
                    errors=self.errors(**m),
                    input_tokens=self.tokens("input", **m),
                    output_tokens=self.tokens("output", **m),
                    cached_input_tokens=self.tokens("cached_input", **m),
                    cache_creation_input_tokens=self.tokens("cache_creation_input", **m),
                )
            )
        return out

    def __str__(self) -> str:
        rows = [
            f"{c.model}: requests={c.requests} errors={c.errors} input={c.input_tokens} "
            f"output={c.output_tokens} cached={c.cached_input_tokens} "
            f"cache_write={c.cache_creation_input_tokens}"
            for c in self.by_model()
        ]
        return "\n".join(rows) if rows else "no gen_ai requests recorded"


def _label_name(name: str) -> str:
    return name.replace(".", "_")


def _parse(text: str) -> Iterable[Sample]:
    try:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                # An empty label value is the same as an absent label in Prometheus.
                labels = {k: v for k, v in sample.labels.items() if v}
                yield Sample(sample.name, labels, float(sample.value))
    except ValueError as exc:
        raise ValueError(f"metrics {_bad_line(text)}not Prometheus text: {exc}") from None


def _bad_line(text: str) -> str:
    """`line N: 'text': ` of the first sample line the parser rejects on its own (or "")."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                list(text_string_to_metric_families(line + "\n"))
            except ValueError:
                return f"line {number}: {line!r}: "
    return ""
