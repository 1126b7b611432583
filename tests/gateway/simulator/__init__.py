"""Tests of the upstream simulator and gateway.serving."""
