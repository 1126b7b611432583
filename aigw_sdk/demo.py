"""``aigw-sdk demo``: the upstream "Connect Anthropic" guide, end to end, from Python.

Builds the seed bundle, validates it, starts the local gateway, applies the bundle through the
SDK, sends the guide's three requests (native Anthropic, OpenAI-compatible, streaming), adds the
``claude-opus-4`` rule with a hot apply, prints what came back and stops. Without
``ANTHROPIC_API_KEY`` the bundle is pointed at the bundled simulator, so it runs offline.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from aigw_sdk import presets
from aigw_sdk.bundle import Bundle
from aigw_sdk.client import GatewayClient, GatewayError
from aigw_sdk.local import LocalGateway

MODEL = "claude-sonnet-4-5"


def demo_main(argv: Sequence[str]) -> int:
    """Run the walkthrough; 0 when every step worked."""
    parser = argparse.ArgumentParser(
        prog="aigw-sdk demo",
        description="Run the upstream 'Connect Anthropic' guide end to end on the local gateway: "
        "build and validate the seed bundle, start the gateway, apply the bundle, send the "
        "guide's three requests (native Anthropic, OpenAI-compatible, streaming), hot-apply a "
        "second model, print the answers and stop. Without ANTHROPIC_API_KEY the Backends point "
        "at the bundled simulator (offline answers); with it, requests go to api.anthropic.com.",
    )
    parser.add_argument("--model", default=MODEL, help=f"the model to ask (default {MODEL})")
    ns = parser.parse_args(list(argv))
    api_key = os.environ.get("ANTHROPIC_API_KEY")
    try:
        run_demo(ns.model, api_key)
    except GatewayError as exc:
        print(f"\nerror: the gateway answered {exc}", file=sys.stderr)
        return 1
    return 0


def run_demo(model: str, api_key: str | None) -> None:
    """The walkthrough itself (see the module docstring)."""
    step("1. Build the seed bundle (examples/basic/anthropic.yaml) and validate it offline")
    bundle = presets.anthropic(api_key=api_key or "ANTHROPIC_API_KEY", models=[model])
    report(bundle)

    real = api_key is not None
    with LocalGateway(simulator=not real) as gateway:
        if real:
            served = bundle
            print("ANTHROPIC_API_KEY is set: requests go to api.anthropic.com")
        else:
            served = gateway.simulated(bundle)
            print(f"No ANTHROPIC_API_KEY: Backends point at the simulator {gateway.simulator_url}")
        step(f"2. Start the local gateway and apply the bundle: {gateway.url}")
        result = gateway.apply(served)
        print(f"applied, config generation {result.get('generation')}")

        with GatewayClient(gateway.url or "", admin_url=gateway.admin_url) as client:
            walk_through(client, gateway, served, model)
    step("Done: the gateway is stopped.")


def walk_through(client: GatewayClient, gateway: LocalGateway, served: Bundle, model: str) -> None:
    """Steps 3-6: the guide's requests, then the more-models step with a hot apply."""
    hello = [{"role": "user", "content": "Hello, Claude!"}]

    step("3. Native Anthropic Messages API: POST /anthropic/v1/messages")
    message = client.messages(model=model, max_tokens=100, messages=hello)
    print(f"{message.model} ({message.stop_reason}): {message.text}")
    print(f"usage: {message.usage.input_tokens} in, {message.usage.output_tokens} out")

    step("4. OpenAI-compatible API: POST /v1/chat/completions")
    chat = client.chat(model=model, messages=hello)
    print(f"{chat.model} ({chat.finish_reason}): {chat.text}")

    step("5. Streaming: POST /anthropic/v1/messages with stream=true")
    story = [{"role": "user", "content": "Tell me a short story."}]
    stream = client.messages(model=model, max_tokens=100, messages=story, stream=True)
    for event in stream:
        sys.stdout.write(event.text)
        sys.stdout.flush()
    final = stream.final
    print(f"\n[{final.stop_reason}; {final.usage.output_tokens} output tokens]")

    step("6. More models: add claude-opus-4 and hot-apply")
    gateway.apply(presets.with_model(served, "claude-opus-4"))
    print("models:", ", ".join(m.id for m in client.list_models()))
    opus = client.messages(model="claude-opus-4", max_tokens=50, messages=hello)
    print(f"claude-opus-4: {opus.text}")


def step(title: str) -> None:
    """Print a step heading."""
    print(f"\n== {title}")


def report(bundle: Bundle) -> None:
    """Print the bundle's objects and its validation issues."""
    for resource in bundle:
        print(f"  {resource.kind}/{resource.name}")
    issues = bundle.validate()
    for issue in issues:
        print(f"  {issue}")
    errors = sum(issue.severity == "error" for issue in issues)
    print(f"validation: {errors} error(s), {len(issues) - errors} warning(s)")
