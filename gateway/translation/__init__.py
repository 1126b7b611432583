"""Pure OpenAI <-> Anthropic translation (requests, responses, streams, errors); no I/O.

Packages are named after the client -> backend direction of the request.
"""

from gateway.translation.anthropic_to_openai import (
    OpenAIRequest,
    OpenAIToAnthropicStream,
    anthropic_to_openai_request,
    openai_error_to_anthropic,
    openai_to_anthropic_response,
)
from gateway.translation.errors import TranslationError
from gateway.translation.openai_to_anthropic import (
    AnthropicRequest,
    AnthropicToOpenAIStream,
    anthropic_error_to_openai,
    anthropic_to_openai_response,
    openai_to_anthropic_request,
)
from gateway.translation.usage import TokenUsage

__all__ = [
    "AnthropicRequest",
    "AnthropicToOpenAIStream",
    "OpenAIRequest",
    "OpenAIToAnthropicStream",
    "TokenUsage",
    "TranslationError",
    "anthropic_error_to_openai",
    "anthropic_to_openai_request",
    "anthropic_to_openai_response",
    "openai_error_to_anthropic",
    "openai_to_anthropic_request",
    "openai_to_anthropic_response",
]
