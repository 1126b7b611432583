"""Cloud credentials for upstream requests: AWS SigV4, GCP and Azure Entra bearer tokens.

Each policy's credential is fetched by the cloud's own library (botocore, google-auth,
azure-identity) in a worker thread, cached, and refreshed before it expires. Nothing here
logs, shows or raises secret material.
"""

from typing import Protocol

from gateway.credentials.aws import AWSSigner, parse_credentials_file
from gateway.credentials.azure import AzureAuth
from gateway.credentials.cache import CredentialError, Expiring, RefreshingCache
from gateway.credentials.gcp import GCPAuth, GCPEndpoints
from gateway.credentials.oidc import OIDCClient

__all__ = [
    "AWSSigner",
    "Authorizer",
    "AzureAuth",
    "CredentialError",
    "Expiring",
    "GCPAuth",
    "GCPEndpoints",
    "OIDCClient",
    "RefreshingCache",
    "parse_credentials_file",
]


class Authorizer(Protocol):
    """Adds a cloud credential to one upstream request (async: tokens may need fetching)."""

    async def authorize(
        self, base_url: str, path: str, headers: dict[str, str], body: bytes
    ) -> str:
        """Update `headers` for a POST of `body` to `base_url + path`; return the final path."""
        ...
