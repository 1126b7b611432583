"""Tests of gateway.sse and gateway.translation."""
