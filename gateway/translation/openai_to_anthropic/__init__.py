"""OpenAI Chat Completions clients -> Anthropic Messages backends."""

from gateway.translation.openai_to_anthropic.errors import anthropic_error_to_openai
from gateway.translation.openai_to_anthropic.request import (
    AnthropicRequest,
    openai_to_anthropic_request,
)
from gateway.translation.openai_to_anthropic.response import anthropic_to_openai_response
from gateway.translation.openai_to_anthropic.stream import AnthropicToOpenAIStream

__all__ = [
    "AnthropicRequest",
    "AnthropicToOpenAIStream",
    "anthropic_error_to_openai",
    "anthropic_to_openai_response",
    "openai_to_anthropic_request",
]
