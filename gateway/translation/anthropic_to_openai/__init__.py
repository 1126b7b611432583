"""Anthropic Messages clients -> OpenAI Chat Completions backends (upstream's anthropic_openai)."""

from gateway.translation.anthropic_to_openai.errors import openai_error_to_anthropic
from gateway.translation.anthropic_to_openai.request import (
    OpenAIRequest,
    anthropic_to_openai_request,
)
from gateway.translation.anthropic_to_openai.response import openai_to_anthropic_response
from gateway.translation.anthropic_to_openai.stream import OpenAIToAnthropicStream

__all__ = [
    "OpenAIRequest",
    "OpenAIToAnthropicStream",
    "anthropic_to_openai_request",
    "openai_error_to_anthropic",
    "openai_to_anthropic_response",
]
