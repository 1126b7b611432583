"""A local gateway in front of the simulator, serving the seed's Anthropic bundle."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.local import LocalGateway


@pytest.fixture(scope="module")
def gateway() -> Iterator[LocalGateway]:
    with LocalGateway(simulator=True) as gw:
        gw.apply(gw.simulated(aigw.presets.anthropic(api_key="sk-ant-test")))
        yield gw


@pytest.fixture
def client(gateway: LocalGateway) -> Iterator[GatewayClient]:
    assert gateway.url is not None
    with GatewayClient(gateway.url, admin_url=gateway.admin_url) as c:
        yield c
