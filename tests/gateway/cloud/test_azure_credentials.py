"""AzureCredentials: Entra ID tokens from azure-identity against the simulator's Entra (HTTPS)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from pydantic import SecretStr

from gateway.credentials import AzureAuth, CredentialError, OIDCClient
from gateway.simulator.app import SimulatorApp
from tests.gateway.cloud.conftest import AUTH
from tests.gateway.cloud.tls import https_server, self_signed

TENANT = "00000000-0000-0000-0000-000000000001"
CLIENT = "11111111-1111-1111-1111-111111111111"


@pytest.fixture(scope="module")
def entra(
    cloud_sim: tuple[str, SimulatorApp], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, SimulatorApp]]:
    """(authority host, CA file, app): the module's simulator also served over HTTPS."""
    cert, key = self_signed(tmp_path_factory.mktemp("tls"))
    with https_server(cloud_sim[1], cert, key) as port:
        yield f"https://127.0.0.1:{port}/_sim/azure", cert, cloud_sim[1]


def _options(entra: tuple[str, Path, SimulatorApp]) -> dict[str, object]:
    return {"authority": entra[0], "connection_verify": str(entra[1])}


def test_client_secret_token(entra: tuple[str, Path, SimulatorApp]) -> None:
    auth = AzureAuth.from_client_secret(
        TENANT, CLIENT, SecretStr(AUTH.azure_client_secret), **_options(entra)
    )
    header = anyio.run(auth.authorization)
    entra[2].cloud.auth.check_entra(header)  # a token the simulator minted and accepts
    assert AUTH.azure_client_secret not in repr(auth) and header[7:] not in repr(auth)


def test_wrong_client_secret(entra: tuple[str, Path, SimulatorApp]) -> None:
    auth = AzureAuth.from_client_secret(
        TENANT, CLIENT, SecretStr("wrong-secret-xyz"), **_options(entra)
    )
    with pytest.raises(CredentialError) as info:
        anyio.run(auth.authorization)
    assert "AADSTS7000215" in str(info.value) and "wrong-secret-xyz" not in str(info.value)


def test_oidc_client_assertion(entra: tuple[str, Path, SimulatorApp], sim_url: str) -> None:
    oidc = OIDCClient(
        issuer=f"{sim_url}/_sim/oidc",
        client_id=AUTH.oidc_client_id,
        client_secret=SecretStr(AUTH.oidc_client_secret),
    )
    auth = AzureAuth.from_oidc(TENANT, CLIENT, oidc, **_options(entra))
    entra[2].cloud.auth.check_entra(anyio.run(auth.authorization))
