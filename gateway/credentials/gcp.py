"""`GCPCredentials`: Vertex AI access tokens minted with google-auth.

* `credentialsFile`: the Secret's `service_account.json` key, a service-account key; the token
  comes from the key's own `token_uri` (a signed JWT grant).
* `workloadIdentityFederationConfig`: an OIDC token from the policy's provider is exchanged at
  Google STS for a federated token (audience
  `//iam.googleapis.com/projects/{projectID}/locations/global/workloadIdentityPools/{pool}/providers/{provider}`),
  then, with `serviceAccountImpersonation`, for an access token of
  `{serviceAccountName}@{projectName}.iam.gserviceaccount.com` at IAM Credentials.
  The STS and IAM Credentials base URLs are settable (`GCPEndpoints`) so tests can point them
  at local fakes.

Every request path gets the prefix `/v1/projects/{projectName}/locations/{region}/`, and the
token goes in `Authorization: Bearer`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any, Final

from gateway.credentials.cache import CredentialError, Expiring, RefreshingCache
from gateway.credentials.oidc import OIDCClient

__all__ = ["GCPAuth", "GCPEndpoints"]

SCOPE: Final = "https://www.googleapis.com/auth/cloud-platform"
JWT_TOKEN_TYPE: Final = "urn:ietf:params:oauth:token-type:jwt"


@dataclass(frozen=True, slots=True)
class GCPEndpoints:
    """Google STS and IAM Credentials base URLs (`AIGW_GCP_STS_URL`, `AIGW_GCP_IAM_URL`)."""

    sts: str = field(
        default_factory=lambda: os.environ.get("AIGW_GCP_STS_URL", "https://sts.googleapis.com")
    )
    iam: str = field(
        default_factory=lambda: os.environ.get(
            "AIGW_GCP_IAM_URL", "https://iamcredentials.googleapis.com"
        )
    )


def _google_request() -> Any:
    from google.auth.transport.requests import Request

    return Request()


def _refreshed(credentials: Any, what: str) -> Expiring[str]:
    from google.auth.exceptions import GoogleAuthError

    try:
        credentials.refresh(_google_request())
    except GoogleAuthError as exc:
        # google-auth puts the endpoint's answer in the message; tokens are never in it.
        raise CredentialError(f"{what}: {type(exc).__name__}: {_first_line(exc)}") from None
    expiry = credentials.expiry
    expires_at = None if expiry is None else expiry.replace(tzinfo=UTC).timestamp()
    return Expiring(str(credentials.token), expires_at)


def _first_line(exc: Exception) -> str:
    text = str(exc.args[0]) if exc.args else str(exc)
    return text.splitlines()[0][:300] if text else ""


@dataclass(frozen=True, slots=True)
class _ServiceAccount:
    info: dict[str, Any]

    def fetch(self) -> Expiring[str]:
        from google.oauth2 import service_account

        creds = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            self.info, scopes=[SCOPE]
        )
        return _refreshed(creds, f"service account {self.info.get('client_email')}")


@dataclass(frozen=True, slots=True)
class _WorkloadIdentity:
    oidc: OIDCClient
    audience: str
    impersonate: str | None
    endpoints: GCPEndpoints

    def fetch(self) -> Expiring[str]:
        from google.auth import identity_pool

        oidc = self.oidc

        class _Supplier(identity_pool.SubjectTokenSupplier):
            def get_subject_token(self, context: Any, request: Any) -> str:
                return oidc.fetch().value

        impersonation = None
        if self.impersonate:
            impersonation = (
                f"{self.endpoints.iam.rstrip('/')}/v1/projects/-/serviceAccounts/"
                f"{self.impersonate}:generateAccessToken"
            )
        creds = identity_pool.Credentials(  # type: ignore[no-untyped-call]
            audience=self.audience,
            subject_token_type=JWT_TOKEN_TYPE,
            token_url=f"{self.endpoints.sts.rstrip('/')}/v1/token",
            subject_token_supplier=_Supplier(),
            service_account_impersonation_url=impersonation,
            scopes=[SCOPE],
        )
        return _refreshed(creds, f"workload identity federation {self.audience}")


class GCPAuth:
    """Bearer tokens and the path prefix for one `GCPCredentials` policy."""

    def __init__(self, project: str, region: str, tokens: RefreshingCache[str]) -> None:
        self.project = project
        self.region = region
        self._tokens = tokens

    def __repr__(self) -> str:
        return f"GCPAuth(project={self.project!r}, region={self.region!r})"

    @property
    def path_prefix(self) -> str:
        """`/v1/projects/{project}/locations/{region}/`."""
        return f"/v1/projects/{self.project}/locations/{self.region}/"

    @classmethod
    def from_service_account_key(cls, key_json: str, project: str, region: str) -> GCPAuth:
        """From a service-account key (validated now: a bad key fails the configuration)."""
        try:
            info = json.loads(key_json)
        except ValueError:
            raise CredentialError("service account key is not valid JSON") from None
        missing = (
            [
                k
                for k in ("client_email", "private_key", "token_uri")
                if not isinstance(info.get(k), str)
            ]
            if isinstance(info, dict)
            else ["client_email"]
        )
        if missing:
            raise CredentialError(f"service account key is missing {', '.join(missing)}")
        return cls(project, region, RefreshingCache(_ServiceAccount(info).fetch))

    @classmethod
    def from_workload_identity(
        cls,
        oidc: OIDCClient,
        *,
        project_id: str,
        pool: str,
        provider: str,
        service_account: str | None,
        project: str,
        region: str,
        endpoints: GCPEndpoints | None = None,
    ) -> GCPAuth:
        """Workload identity federation, optionally impersonating a service account."""
        audience = (
            f"//iam.googleapis.com/projects/{project_id}/locations/global/"
            f"workloadIdentityPools/{pool}/providers/{provider}"
        )
        email = f"{service_account}@{project}.iam.gserviceaccount.com" if service_account else None
        flow = _WorkloadIdentity(oidc, audience, email, endpoints or GCPEndpoints())
        return cls(project, region, RefreshingCache(flow.fetch))

    async def authorize(
        self, base_url: str, path: str, headers: dict[str, str], body: bytes
    ) -> str:
        """Set `Authorization: Bearer`; the path gets the project/location prefix."""
        headers["authorization"] = await self.authorization()
        return self.path_prefix + path.lstrip("/")

    async def authorization(self) -> str:
        """`Bearer <token>` (secret)."""
        return f"Bearer {await self._tokens.get()}"
