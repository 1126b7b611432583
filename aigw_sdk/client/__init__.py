"""Gateway client helpers: both API styles, sync and async, typed errors, metrics.

Example::

    from aigw_sdk.client import GatewayClient

    with GatewayClient(gateway.url, admin_url=gateway.admin_url) as client:
        reply = client.messages(
            model="claude-sonnet-4-5",
            max_tokens=100,
            messages=[{"role": "user", "content": "Hello, Claude!"}],
        )
        print(reply.text, reply.usage)
"""

from aigw_sdk.client._core import Health
from aigw_sdk.client.async_client import AsyncGatewayClient
from aigw_sdk.client.errors import (
    AuthenticationError,
    BadRequestError,
    GatewayConnectionError,
    GatewayError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
)
from aigw_sdk.client.metrics import GatewayMetrics, ModelCounters, Sample
from aigw_sdk.client.streaming import (
    AsyncChatStream,
    AsyncMessageStream,
    AsyncResponseStream,
    AsyncStream,
    ChatStream,
    MessageStream,
    ResponseStream,
    Stream,
)
from aigw_sdk.client.sync_client import GatewayClient
from aigw_sdk.client.types import (
    ChatChunk,
    ChatCompletion,
    Embeddings,
    Message,
    MessageEvent,
    Model,
    Rerank,
    RerankResult,
    Response,
    ResponseEvent,
    Timings,
    Usage,
)
from aigw_sdk.sse import SSEEvent, SSEParser

__all__ = [
    "AsyncChatStream",
    "AsyncGatewayClient",
    "AsyncMessageStream",
    "AsyncResponseStream",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "ChatChunk",
    "ChatCompletion",
    "ChatStream",
    "Embeddings",
    "GatewayClient",
    "GatewayConnectionError",
    "GatewayError",
    "GatewayMetrics",
    "Health",
    "InternalServerError",
    "Message",
    "MessageEvent",
    "MessageStream",
    "Model",
    "ModelCounters",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Rerank",
    "RerankResult",
    "Response",
    "ResponseEvent",
    "ResponseStream",
    "SSEEvent",
    "SSEParser",
    "Sample",
    "ServiceUnavailableError",
    "Stream",
    "Timings",
    "Usage",
]
