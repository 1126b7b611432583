"""aigw_sdk.LocalGateway: thread and subprocess modes, simulator, apply, simulated bundles."""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from aigw_sdk import presets
from aigw_sdk.bundle import Bundle
from aigw_sdk.local import GatewayConfigRejected, LocalGateway
from aigw_sdk.models import AIGatewayRoute, Backend, Secret

pytestmark = pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")


@pytest.fixture(autouse=True)
def _no_provider_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("AZURE_OPENAI_API_KEY", raising=False)


def _ask(url: str) -> str:
    with anthropic.Anthropic(base_url=f"{url}/anthropic", api_key="x", max_retries=0) as client:
        message = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=32,
            messages=[{"role": "user", "content": "walk"}],
        )
    block = message.content[0]
    assert block.type == "text"
    return block.text


def test_thread_mode_defaults_to_the_simulator() -> None:
    with LocalGateway() as gw:
        assert gw.simulator_url is not None and gw.url is not None
        assert "walk" in _ask(gw.url)
        with openai.OpenAI(base_url=f"{gw.url}/v1", api_key="x", max_retries=0) as completion:
            reply = completion.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
            )
        assert "hi" in (reply.choices[0].message.content or "")
        assert "gen_ai_client_token_usage" in gw.metrics()
        assert "running" in gw._repr_html_() and gw.url in repr(gw)
    assert not gw.running and "stopped" in repr(gw)


def test_simulator_mode_points_every_served_bundle_at_the_simulator() -> None:
    seed = presets.anthropic(api_key="not-the-simulator-key", models=["claude-sonnet-4-5"])
    with LocalGateway(seed, simulator=True) as gw:
        # The given bundle is served pointed at the simulator: no TLS policy, no real key.
        served = gw.config()["resources"]
        assert not any(doc["kind"] == "BackendTLSPolicy" for doc in served)
        assert "not-the-simulator-key" not in str(served)
        assert gw.url is not None and "walk" in _ask(gw.url)
        # So is every applied bundle; simulated() is idempotent.
        applied = gw.apply(seed)
        assert applied["generation"] == 1
        assert "walk" in _ask(gw.url)
        assert gw.simulated(gw.simulated(seed)).to_yaml() == gw.simulated(seed).to_yaml()
        # The original is untouched: same upstream, same key, TLS policy kept.
        [backend] = seed.of_kind(Backend)
        assert backend.spec.endpoints is not None and backend.spec.endpoints[0].fqdn is not None
        assert backend.spec.endpoints[0].fqdn.hostname == "api.anthropic.com"
        assert seed.of_kind(Secret)[0].value("apiKey") == "not-the-simulator-key"
        assert any(r.kind == "BackendTLSPolicy" for r in seed)


def test_a_bundle_without_any_api_key_set_is_served_on_the_simulator() -> None:
    seed = presets.anthropic(api_key="sk-ant-real-looking", models=["claude-sonnet-4-5"])
    with LocalGateway(seed) as gw:
        assert gw.simulating and gw.simulator_url is not None
        assert gw.url is not None and "walk" in _ask(gw.url)
    with LocalGateway(seed, simulator=False) as gw:
        assert not gw.simulating and gw.simulator_url is None


def test_apply_rejection_lists_issues_and_changes_nothing() -> None:
    with LocalGateway(simulator=True) as gw:
        bad = presets.anthropic(api_key="k", models=["claude-opus-4"])
        route = bad.of_kind(AIGatewayRoute)[0]
        assert route.spec is not None
        route.spec.rules[0].name = "route-not-found"
        with pytest.raises(GatewayConfigRejected) as info:
            gw.apply(bad)
        assert any("route-not-found is reserved" in str(i) for i in info.value.issues)
        assert gw.config()["generation"] == 0


@pytest.mark.anyio
async def test_async_context_manager() -> None:
    async with LocalGateway() as gw:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{gw.url}/v1/models")
        assert "claude-sonnet-4-5" in response.text


def test_subprocess_mode() -> None:
    with LocalGateway(mode="subprocess") as gw:
        assert gw.url is not None and gw.simulator_url is not None
        assert "walk" in _ask(gw.url)
        assert gw.config()["generation"] == 0
        applied = gw.apply(gw.simulated(presets.anthropic(models=["claude-opus-4"])))
        assert applied["generation"] == 1


def test_failed_subprocess_start_removes_the_bundle_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundle file holds API keys: a start that fails must not leave it behind."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seed = presets.anthropic(api_key="file-secret", models=["claude-sonnet-4-5"])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        gateway = LocalGateway(seed, mode="subprocess", port=taken.getsockname()[1])
        with pytest.raises(RuntimeError, match="did not start"):
            gateway.start()
    assert list(tmp_path.iterdir()) == []


def test_a_bundle_already_aimed_at_the_simulator_is_applied_as_given() -> None:
    """A deliberately wrong key in a simulated bundle reaches the simulator (a 401 to show)."""
    with LocalGateway(simulator=True) as gw:
        good = gw.simulated(presets.anthropic(models=["claude-sonnet-4-5"]))
        [secret] = good.of_kind(Secret)
        wrong = Secret.model_validate(
            {**secret.to_dict(), "stringData": {"apiKey": "sk-ant-wrong-key"}}
        )
        gw.apply(Bundle(good.resources).add(wrong))
        assert gw.url is not None
        with pytest.raises(anthropic.AuthenticationError):
            _ask(gw.url)
