"""BackendSecurityPolicy `AWSCredentials`, `GCPCredentials`, `AzureCredentials` -> `Authorizer`.

The compiler calls `cloud_authorizer()` for a policy of one of `CLOUD_POLICY_TYPES`; problems
(a missing Secret or key, a malformed credentials file) are appended to `problems`, naming the
policy or Secret, and never quote secret material. Authorizers are cached per policy content, so
re-applying the same configuration keeps the tokens already minted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any, Final

from pydantic import SecretStr

from aigw_sdk.models import Secret
from gateway.credentials import (
    Authorizer,
    AWSSigner,
    AzureAuth,
    CredentialError,
    GCPAuth,
    OIDCClient,
)

__all__ = ["CLOUD_POLICY_TYPES", "cloud_authorizer"]

CLOUD_POLICY_TYPES: Final = frozenset({"AWSCredentials", "GCPCredentials", "AzureCredentials"})
# The Secret keys Envoy AI Gateway reads.
AWS_CREDENTIALS_KEY: Final = "credentials"
GCP_SERVICE_ACCOUNT_KEY: Final = "service_account.json"
CLIENT_SECRET_KEY: Final = "client-secret"

_CACHE: dict[str, Authorizer] = {}
_CACHE_LIMIT: Final = 256

Lookup = Callable[[str, str], Secret | None]


class _Problems:
    def __init__(self, where: str, problems: list[str], secrets: Lookup, namespace: str) -> None:
        self.where = where
        self.problems = problems
        self.secrets = secrets
        self.namespace = namespace
        self.digest = hashlib.sha256()

    def secret(self, ref: Any, key: str) -> str | None:
        namespace = getattr(ref, "namespace", None) or self.namespace
        secret = self.secrets(namespace, ref.name)
        if secret is None:
            self.problems.append(f"{self.where}: Secret {namespace}/{ref.name} not found")
            return None
        try:
            value = secret.value(key)
        except ValueError as exc:
            self.problems.append(f"Secret {namespace}/{ref.name}: {exc}")
            return None
        if not value:
            self.problems.append(f"Secret {namespace}/{ref.name}: key {key} is missing or empty")
            return None
        self.digest.update(value.encode() + b"\0")
        return value

    def oidc(self, exchange: Any, field: str) -> OIDCClient | None:
        oidc = exchange.oidc
        secret = self.secret(oidc.client_secret, CLIENT_SECRET_KEY)
        client_id = oidc.client_id
        if client_id is None and oidc.client_id_ref is not None:
            client_id = self.secret(oidc.client_id_ref, "client-id")
        if secret is None or not client_id:
            if not client_id:
                self.problems.append(f"{self.where}: {field}.oidc: clientID is required")
            return None
        return OIDCClient(
            issuer=oidc.provider.issuer,
            client_id=client_id,
            client_secret=SecretStr(secret),
            token_endpoint=oidc.provider.token_endpoint,
            scopes=tuple(oidc.scopes or ()),
            audience=exchange.aud,
            grant_type=exchange.grant_type,
        )


def cloud_authorizer(
    policy_type: str,
    spec: Any,
    *,
    where: str,
    namespace: str,
    secrets: Lookup,
    problems: list[str],
) -> Authorizer | None:
    """The authorizer of a cloud credential policy (None after appending to `problems`)."""
    check = _Problems(where, problems, secrets, namespace)
    before = len(problems)
    try:
        if policy_type == "AWSCredentials":
            build = _aws(spec.aws_credentials, check)
        elif policy_type == "GCPCredentials":
            build = _gcp(spec.gcp_credentials, check)
        else:
            build = _azure(spec.azure_credentials, check)
    except CredentialError as exc:
        problems.append(f"{where}: {exc}")
        return None
    if build is None or len(problems) > before:
        return None
    key = f"{policy_type}\0{where}\0{_spec_digest(spec)}\0{check.digest.hexdigest()}"
    cached = _CACHE.get(key)
    if cached is None:
        try:
            cached = build()
        except (CredentialError, ValueError) as exc:  # azure-identity validates IDs eagerly
            problems.append(f"{where}: {exc}")
            return None
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = cached
    return cached


def _spec_digest(spec: Any) -> str:
    dumped: Mapping[str, Any] = spec.model_dump(mode="json", exclude_none=True)
    return hashlib.sha256(repr(sorted(dumped.items())).encode()).hexdigest()


def _aws(aws: Any, check: _Problems) -> Callable[[], Authorizer] | None:
    if aws is None:
        check.problems.append(f"{check.where}: spec.awsCredentials is required")
        return None
    region = aws.region
    if aws.credentials_file is not None:
        text = check.secret(aws.credentials_file.secret_ref, AWS_CREDENTIALS_KEY)
        if text is None:
            return None
        profile = aws.credentials_file.profile or "default"
        signer = AWSSigner.from_credentials_file(text, profile, region)  # validates now
        return lambda: signer
    if aws.oidc_exchange_token is not None:
        oidc = check.oidc(aws.oidc_exchange_token, "spec.awsCredentials.oidcExchangeToken")
        if oidc is None:
            return None
        role = aws.oidc_exchange_token.aws_role_arn
        return lambda: AWSSigner.from_web_identity(oidc, role, region)
    return lambda: AWSSigner.from_default_chain(region)


def _gcp(gcp: Any, check: _Problems) -> Callable[[], Authorizer] | None:
    if gcp is None:
        check.problems.append(f"{check.where}: spec.gcpCredentials is required")
        return None
    project, region = gcp.project_name, gcp.region
    if gcp.credentials_file is not None:
        key = check.secret(gcp.credentials_file.secret_ref, GCP_SERVICE_ACCOUNT_KEY)
        if key is None:
            return None
        auth = GCPAuth.from_service_account_key(key, project, region)  # validates now
        return lambda: auth
    wif = gcp.workload_identity_federation_config
    if wif is None:
        check.problems.append(
            f"{check.where}: spec.gcpCredentials needs credentialsFile or "
            "workloadIdentityFederationConfig"
        )
        return None
    oidc = check.oidc(
        wif.oidc_exchange_token, "spec.gcpCredentials.workloadIdentityFederationConfig"
    )
    if oidc is None:
        return None
    impersonation = wif.service_account_impersonation
    return lambda: GCPAuth.from_workload_identity(
        oidc,
        project_id=wif.project_id,
        pool=wif.workload_identity_pool_name,
        provider=wif.workload_identity_provider_name,
        service_account=impersonation.service_account_name if impersonation else None,
        project=project,
        region=region,
    )


def _azure(azure: Any, check: _Problems) -> Callable[[], Authorizer] | None:
    if azure is None:
        check.problems.append(f"{check.where}: spec.azureCredentials is required")
        return None
    tenant, client = azure.tenant_id, azure.client_id
    if azure.client_secret_ref is not None:
        secret = check.secret(azure.client_secret_ref, CLIENT_SECRET_KEY)
        if secret is None:
            return None
        return lambda: AzureAuth.from_client_secret(tenant, client, SecretStr(secret))
    if azure.oidc_exchange_token is None:
        check.problems.append(
            f"{check.where}: spec.azureCredentials needs clientSecretRef or oidcExchangeToken"
        )
        return None
    oidc = check.oidc(azure.oidc_exchange_token, "spec.azureCredentials.oidcExchangeToken")
    if oidc is None:
        return None
    return lambda: AzureAuth.from_oidc(tenant, client, oidc)
