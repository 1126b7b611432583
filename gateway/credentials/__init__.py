"""Cloud credentials for upstream requests: AWS SigV4, GCP and Azure Entra bearer tokens.

Each policy's credential is fetched by the cloud's own library (botocore, google-auth,
azure-identity) in a worker thread, cached, and refreshed before it expires. Nothing here
logs, shows or raises secret material.
"""

from gateway.credentials.aws import AWSSigner, parse_credentials_file
from gateway.credentials.azure import AzureAuth
from gateway.credentials.cache import CredentialError, Expiring, RefreshingCache
from gateway.credentials.gcp import GCPAuth, GCPEndpoints
from gateway.credentials.oidc import OIDCClient

__all__ = [
    "AWSSigner",
    "AzureAuth",
    "CredentialError",
    "Expiring",
    "GCPAuth",
    "GCPEndpoints",
    "OIDCClient",
    "RefreshingCache",
    "parse_credentials_file",
]
