"""An Anthropic- and OpenAI-compatible upstream simulator with deterministic behaviour.

Rules are documented in gateway/simulator/README.md.
"""

from gateway.simulator.app import create_simulator_app
from gateway.simulator.config import SimulatorConfig

__all__ = ["SimulatorConfig", "create_simulator_app"]
