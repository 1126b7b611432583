"""`AzureCredentials`: Entra ID access tokens minted with azure-identity.

A client secret (`clientSecretRef`, the Secret's `client-secret` key) uses
`ClientSecretCredential`; `oidcExchangeToken` uses `ClientAssertionCredential` with the OIDC
provider's token as the client assertion (federated credentials). Either way the token is for
`https://cognitiveservices.azure.com/.default`, as Envoy AI Gateway requests, and goes in
`Authorization: Bearer`. The Entra host is azure-identity's own setting (`AZURE_AUTHORITY_HOST`),
which tests point at a local fake; Entra requires TLS, so such a fake serves HTTPS.
"""

from __future__ import annotations

import os
from typing import Any, Final
from urllib.parse import urlsplit

from pydantic import SecretStr

from gateway.credentials.cache import CredentialError, Expiring, RefreshingCache
from gateway.credentials.oidc import OIDCClient

__all__ = ["SCOPE", "AzureAuth"]

SCOPE: Final = "https://cognitiveservices.azure.com/.default"
_MICROSOFT_HOSTS: Final = (
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.chinacloudapi.cn",
    "login.partner.microsoftonline.cn",
)


def _with_defaults(options: dict[str, Any]) -> dict[str, Any]:
    """MSAL's instance discovery only knows Microsoft's clouds: skip it for another host."""
    authority = str(options.get("authority") or os.environ.get("AZURE_AUTHORITY_HOST") or "")
    host = urlsplit(authority if "//" in authority else f"https://{authority}").hostname or ""
    if host and host not in _MICROSOFT_HOSTS:
        options.setdefault("disable_instance_discovery", True)
    return options


class _Entra:
    def __init__(self, tenant_id: str, client_id: str, options: dict[str, Any]) -> None:
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.options = options
        self.credential: Any = None

    def fetch(self) -> Expiring[str]:
        from azure.core.exceptions import AzureError

        try:
            token = self.credential.get_token(SCOPE)
        except AzureError as exc:
            message = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
            raise CredentialError(
                f"Entra ID token for client {self.client_id} in tenant {self.tenant_id}: {message}"
            ) from None
        return Expiring(token.token, float(token.expires_on))


class AzureAuth:
    """Bearer tokens for one `AzureCredentials` policy."""

    def __init__(self, entra: _Entra) -> None:
        self._entra = entra
        self._tokens = RefreshingCache(entra.fetch)

    def __repr__(self) -> str:
        return (
            f"AzureAuth(tenant_id={self._entra.tenant_id!r}, client_id={self._entra.client_id!r})"
        )

    @classmethod
    def from_client_secret(
        cls, tenant_id: str, client_id: str, secret: SecretStr, **options: Any
    ) -> AzureAuth:
        """`ClientSecretCredential`; `options` go to azure-identity (e.g. `authority`)."""
        from azure.identity import ClientSecretCredential

        entra = _Entra(tenant_id, client_id, options)
        entra.credential = ClientSecretCredential(
            tenant_id, client_id, secret.get_secret_value(), **_with_defaults(options)
        )
        return cls(entra)

    @classmethod
    def from_oidc(
        cls, tenant_id: str, client_id: str, oidc: OIDCClient, **options: Any
    ) -> AzureAuth:
        """`ClientAssertionCredential` with the OIDC provider's token as the assertion."""
        from azure.identity import ClientAssertionCredential

        entra = _Entra(tenant_id, client_id, options)
        entra.credential = ClientAssertionCredential(
            tenant_id, client_id, lambda: oidc.fetch().value, **_with_defaults(options)
        )
        return cls(entra)

    async def authorize(
        self, base_url: str, path: str, headers: dict[str, str], body: bytes
    ) -> str:
        """Set `Authorization: Bearer` (replacing any `api-key`); the path is unchanged."""
        headers.pop("api-key", None)
        headers["authorization"] = await self.authorization()
        return path

    async def authorization(self) -> str:
        """`Bearer <token>` (secret)."""
        return f"Bearer {await self._tokens.get()}"
