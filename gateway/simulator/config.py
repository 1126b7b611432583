"""Settings of one simulator instance."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.simulator.cloud_auth import CloudAuthConfig

DEFAULT_MODELS: tuple[str, ...] = (
    "claude-sonnet-4-6",
    "claude-opus-4-7",
    "claude-haiku-4-5",
    "gpt-4o",
    "gpt-4o-mini",
)


@dataclass(frozen=True, repr=False)
class SimulatorConfig:
    """How the simulator behaves; see gateway/simulator/README.md for every rule.

    `api_key=None` accepts any credential. `chunk_delay` is the pause in seconds before each
    streamed event, `cache_ttl` the prompt-cache lifetime in seconds, `cache_min_tokens` the
    smallest cacheable prefix, `models` what `GET /v1/models` lists, `cloud_auth` the AWS keys,
    OIDC client and Entra secret the cloud routes accept.
    """

    api_key: str | None
    chunk_delay: float = 0.0
    cache_ttl: float = 300.0
    models: list[str] = field(default_factory=lambda: list(DEFAULT_MODELS))
    cache_min_tokens: int = 1024
    cloud_auth: CloudAuthConfig = field(default_factory=CloudAuthConfig)

    def __post_init__(self) -> None:
        if self.chunk_delay < 0:
            raise ValueError("chunk_delay: must be >= 0")
        if self.cache_ttl <= 0:
            raise ValueError("cache_ttl: must be > 0")
        if self.cache_min_tokens < 1:
            raise ValueError("cache_min_tokens: must be >= 1")
        if not self.models:
            raise ValueError("models: at least one model is required")

    def __repr__(self) -> str:
        key = None if self.api_key is None else "'***'"
        return (
            f"SimulatorConfig(api_key={key}, chunk_delay={self.chunk_delay}, "
            f"cache_ttl={self.cache_ttl}, models={self.models!r}, "
            f"cache_min_tokens={self.cache_min_tokens})"
        )
