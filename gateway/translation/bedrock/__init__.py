"""AWS Bedrock Converse (Anthropic Messages <-> Converse) and Bedrock event streams."""

from gateway.translation.bedrock.request import (
    ConverseRequest,
    anthropic_to_converse_request,
    converse_path,
)
from gateway.translation.bedrock.response import converse_to_anthropic_response, converse_usage
from gateway.translation.bedrock.stream import ConverseEvents, InvokeEvents

__all__ = [
    "ConverseEvents",
    "ConverseRequest",
    "InvokeEvents",
    "anthropic_to_converse_request",
    "converse_path",
    "converse_to_anthropic_response",
    "converse_usage",
]
