"""Constants shared by the simulator tests."""

from __future__ import annotations

API_KEY = "sim-test-key-123"
CLAUDE = "claude-sonnet-4-6"
GPT = "gpt-4o-mini"
