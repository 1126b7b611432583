"""Anthropic Messages bodies for Claude on AWS Bedrock (AWSAnthropic) and Vertex (GCPAnthropic).

Both clouds take the native Messages body with the API version in an `anthropic_version` body
field (instead of the `anthropic-version` header) and the model in the path, not the body:

* AWSAnthropic: `POST /model/{model}/invoke` or `/invoke-with-response-stream` (the `stream`
  field is removed: the path decides). Anthropic beta flags travel in an `anthropic_beta` body
  array; Bedrock rejects the whole request on a flag it does not know, so only the flags
  upstream verified against Bedrock are forwarded (one Anthropic-API-only alias is renamed).
* GCPAnthropic: `publishers/anthropic/models/{model}:rawPredict` or `:streamRawPredict`
  (relative: the GCP credential prefixes `/v1/projects/{project}/locations/{region}/`).
  `stream` stays in the body.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote

__all__ = [
    "AWS_ANTHROPIC_DEFAULT_VERSION",
    "GCP_ANTHROPIC_DEFAULT_VERSION",
    "aws_anthropic_request",
    "bedrock_betas",
    "gcp_anthropic_request",
    "gcp_model_path",
]

AWS_ANTHROPIC_DEFAULT_VERSION: Final = "bedrock-2023-05-31"
GCP_ANTHROPIC_DEFAULT_VERSION: Final = "vertex-2023-10-16"

_BEDROCK_BETAS: Final = frozenset(
    {
        "computer-use-2024-10-22",
        "computer-use-2025-01-24",
        "context-1m-2025-08-07",
        "context-management-2025-06-27",
        "dev-full-thinking-2025-05-14",
        "fine-grained-tool-streaming-2025-05-14",
        "interleaved-thinking-2025-05-14",
        "mcp-client-2025-04-04",
        "mcp-client-2025-11-20",
        "model-context-window-exceeded-2025-08-26",
        "output-128k-2025-02-19",
        "pdfs-2024-09-25",
        "search-results-2025-06-09",
        "token-counting-2024-11-01",
        "token-efficient-tools-2025-02-19",
        "tool-search-tool-2025-10-19",
        "web-search-2025-03-05",
    }
)
_BEDROCK_BETA_ALIASES: Final = {"advanced-tool-use-2025-11-20": "tool-search-tool-2025-10-19"}


def bedrock_betas(header: str | None) -> list[str]:
    """The `anthropic-beta` header's flags that Bedrock accepts, aliases renamed, deduplicated."""
    out: list[str] = []
    for raw in (header or "").split(","):
        flag = _BEDROCK_BETA_ALIASES.get(raw.strip(), raw.strip())
        if flag in _BEDROCK_BETAS and flag not in out:
            out.append(flag)
    return out


def aws_anthropic_request(
    body: dict[str, Any], *, model: str, version: str | None, beta_header: str | None = None
) -> tuple[str, dict[str, Any], bool]:
    """(path, body, stream) for Bedrock InvokeModel[WithResponseStream]."""
    stream = body.get("stream") is True
    out = {k: v for k, v in body.items() if k not in ("model", "stream")}
    out["anthropic_version"] = version or AWS_ANTHROPIC_DEFAULT_VERSION
    if betas := bedrock_betas(beta_header):
        out["anthropic_beta"] = betas
    suffix = "invoke-with-response-stream" if stream else "invoke"
    return f"/model/{quote(model, safe='')}/{suffix}", out, stream


def gcp_model_path(publisher: str, model: str, method: str, query: str = "") -> str:
    """`publishers/{publisher}/models/{model}:{method}[?query]` (relative to the location)."""
    path = f"publishers/{publisher}/models/{quote(model, safe='')}:{method}"
    return f"{path}?{query}" if query else path


def gcp_anthropic_request(
    body: dict[str, Any], *, model: str, version: str | None
) -> tuple[str, dict[str, Any], bool]:
    """(relative path, body, stream) for Vertex rawPredict / streamRawPredict."""
    stream = body.get("stream") is True
    out = {k: v for k, v in body.items() if k != "model"}
    out["anthropic_version"] = version or GCP_ANTHROPIC_DEFAULT_VERSION
    method = "streamRawPredict" if stream else "rawPredict"
    return gcp_model_path("anthropic", model, method), out, stream
