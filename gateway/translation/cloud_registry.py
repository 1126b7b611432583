"""The `Translator` of the cloud schemas: AWSBedrock, AWSAnthropic, GCPVertexAI, GCPAnthropic.

The registry registers `CloudTranslator` for each pair of `CLOUD_PAIRS`; it wraps the pure
translations of `gateway.translation.cloud` and applies the backendRef's body mutation to the
translated body, as for every other schema. Paths are absolute for AWS (`/model/...`) and
relative to the location for GCP: the backend's `Authorizer` (SigV4 signing, GCP/Entra tokens,
applied per attempt by `gateway.upstream`) adds `/v1/projects/{project}/locations/{region}/`.
"""

from __future__ import annotations

from typing import Final

from gateway.translation._json import loads
from gateway.translation.cloud import CloudRelay, cloud_translator
from gateway.translation.cloud import CloudTranslator as _CloudTranslation
from gateway.translation.translator import (
    JSON,
    ClientBody,
    Operation,
    StreamRelay,
    Translator,
    UpstreamRequest,
)

__all__ = ["CLOUD_PAIRS", "CloudTranslator"]

CLOUD_PAIRS: Final[tuple[tuple[Operation, str], ...]] = (
    ("chat", "AWSBedrock"),
    ("messages", "AWSBedrock"),
    ("embeddings", "AWSBedrock"),
    ("chat", "AWSAnthropic"),
    ("messages", "AWSAnthropic"),
    ("count_tokens", "AWSAnthropic"),
    ("chat", "GCPVertexAI"),
    ("embeddings", "GCPVertexAI"),
    ("chat", "GCPAnthropic"),
    ("messages", "GCPAnthropic"),
    ("count_tokens", "GCPAnthropic"),
)


class CloudTranslator(Translator):
    """One attempt's translation to a cloud backend schema."""

    __slots__ = ("_inner",)
    _inner: _CloudTranslation

    def upstream(self) -> UpstreamRequest:
        self._inner = cloud_translator(
            self.request.endpoint.operation,  # type: ignore[arg-type]
            self.ref.target.schema,
            dict(self.request.body),
            self.upstream_model,
            version=self.ref.target.version,
            beta_header=self.request.headers.get("anthropic-beta"),
        )
        prepared = self._inner.prepare()
        body = prepared.body
        if self.ref.body_mutation:
            body = self._encode(loads(body))
        return UpstreamRequest(prepared.path, body, JSON, dict(prepared.headers))

    def response(self, body: bytes, content_type: str | None) -> ClientBody:
        translated, usage = self._inner.response(body)
        return ClientBody(translated, JSON, usage)

    def stream(self, max_event: int) -> StreamRelay:
        # The cloud relays bound events themselves: the SSE parser's default cap, the AWS event
        # stream decoder's message limit.
        return CloudRelay(self._inner.stream())

    def error(self, status: int, body: bytes, content_type: str | None) -> ClientBody:
        return ClientBody(self._inner.error(status, body, content_type, None), JSON)
