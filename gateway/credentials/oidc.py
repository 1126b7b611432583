"""OIDC client-credentials tokens for `oidcExchangeToken` (AWS, GCP and Azure policies).

As Envoy AI Gateway's controller does: the token endpoint is `provider.tokenEndpoint`, else the
`token_endpoint` of `{issuer}/.well-known/openid-configuration`, whose `scopes_supported` are
added to the configured scopes; then a `client_credentials` grant (or the configured
`grantType`) with `aud` as `audience`. The access token is what the clouds exchange.
Blocking (httpx): call it from a worker thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from gateway.credentials.cache import CredentialError, Expiring

__all__ = ["OIDCClient"]

_TIMEOUT = 10.0
DEFAULT_LIFETIME = 3600.0


@dataclass(frozen=True, slots=True)
class OIDCClient:
    """An OIDC provider and the client the gateway authenticates as."""

    issuer: str
    client_id: str
    client_secret: SecretStr
    token_endpoint: str | None = None
    scopes: tuple[str, ...] = ()
    audience: str | None = None
    grant_type: str | None = None

    def fetch(self) -> Expiring[str]:
        """A fresh access token from the provider (blocking)."""
        with httpx.Client(timeout=_TIMEOUT) as http:
            endpoint, scopes = self._endpoint(http)
            form = {
                "grant_type": self.grant_type or "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret.get_secret_value(),
            }
            if scopes:
                form["scope"] = " ".join(scopes)
            if self.audience:
                form["audience"] = self.audience
            try:
                response = http.post(endpoint, data=form, headers={"accept": "application/json"})
            except httpx.HTTPError as exc:
                raise CredentialError(
                    f"OIDC token endpoint {endpoint}: {type(exc).__name__}"
                ) from None
        payload = _json(response, f"OIDC token endpoint {endpoint}")
        token = payload.get("access_token")
        if not isinstance(token, str) or not token:
            raise CredentialError(
                f"OIDC token endpoint {endpoint}: no access_token in the response"
            )
        expires_in = payload.get("expires_in")
        lifetime = float(expires_in) if isinstance(expires_in, int | float) else DEFAULT_LIFETIME
        return Expiring(token, time.time() + lifetime)

    def _endpoint(self, http: httpx.Client) -> tuple[str, list[str]]:
        scopes = list(self.scopes)
        if self.token_endpoint:
            return self.token_endpoint, scopes
        url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = http.get(url)
        except httpx.HTTPError as exc:
            raise CredentialError(f"OIDC discovery {url}: {type(exc).__name__}") from None
        config = _json(response, f"OIDC discovery {url}")
        endpoint = config.get("token_endpoint")
        if not isinstance(endpoint, str) or not endpoint:
            raise CredentialError(f"OIDC discovery {url}: no token_endpoint")
        supported = config.get("scopes_supported")
        if isinstance(supported, list):
            scopes += [s for s in supported if isinstance(s, str) and s not in scopes]
        return endpoint, scopes


def _json(response: httpx.Response, where: str) -> dict[str, object]:
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if response.status_code >= 400:
        error = payload.get("error") if isinstance(payload, dict) else None
        detail = f" ({error})" if isinstance(error, str) else ""
        raise CredentialError(f"{where} answered {response.status_code}{detail}")
    if not isinstance(payload, dict):
        raise CredentialError(f"{where} did not return a JSON object")
    return payload
