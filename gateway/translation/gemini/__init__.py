"""OpenAI Chat Completions -> Vertex AI Gemini (requests, responses, SSE streams, schemas)."""

from gateway.translation.gemini.request import GeminiRequest, openai_to_gemini_request
from gateway.translation.gemini.response import gemini_to_openai_response, gemini_usage
from gateway.translation.gemini.stream import GeminiToOpenAIStream

__all__ = [
    "GeminiRequest",
    "GeminiToOpenAIStream",
    "gemini_to_openai_response",
    "gemini_usage",
    "openai_to_gemini_request",
]
