"""AsyncCluster: the same operations, awaited."""

from __future__ import annotations

from pathlib import Path

import pytest

import aigw_sdk as aigw
from aigw_sdk.apply import AsyncCluster, WaitEvent


@pytest.mark.anyio
async def test_async_apply_wait_diff_delete(kubeconfig: Path, seed: aigw.Bundle) -> None:
    events: list[WaitEvent] = []
    assert aigw.AsyncCluster is AsyncCluster
    async with AsyncCluster(kubeconfig=kubeconfig) as cluster:
        assert cluster.namespace == "default"
        assert (await cluster.check_crds()).missing == []
        assert (await cluster.apply(seed)).counts() == {"created": 6}
        states = await cluster.wait(seed, timeout=30, on_progress=events.append)
        assert all(s.ready for s in states) and events
        assert (await cluster.diff(seed)).changed == []
        route = await cluster.get("AIGatewayRoute", "envoy-ai-gateway-basic-anthropic")
        assert isinstance(route, aigw.AIGatewayRoute)
        assert len(await cluster.list("AIServiceBackend")) == 1
        assert all(s.exists for s in await cluster.status(seed))
        assert (await cluster.prune(seed)).results == []
        assert (await cluster.delete(seed)).counts() == {"deleted": 6}
