"""The simulator's cloud identities: the keys it trusts, the tokens it mints, how it checks them.

* **AWS**: a static access key pair (`CloudAuthConfig.aws_access_key_id` / `aws_secret_access_key`)
  and the temporary keys its fake STS (`AssumeRoleWithWebIdentity`) hands out. Requests to the
  Bedrock routes must carry a SigV4 `Authorization` that botocore, recomputing it from the
  simulator's copy of the secret, agrees with; errors are Bedrock's (`x-amzn-ErrorType`).
* **OIDC**: a client-credentials token endpoint (and discovery document) for the
  `oidcExchangeToken` flows; its access tokens are what STS, Google STS and Entra accept.
* **Google**: a service-account key whose `token_uri` is the simulator (JWT bearer grant, checked
  with google-auth against the key's public half), Google STS (token exchange) and IAM
  Credentials (`generateAccessToken`). Vertex routes need one of the access tokens minted here.
* **Entra**: `/{tenant}/oauth2/v2.0/token` for client secrets and client assertions (an OIDC
  token minted here), plus the discovery documents MSAL reads.

Every token expires after `token_ttl` seconds; an expired or unknown one gets the provider's
own 401/403.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import parse_qs

from gateway.simulator.errors import SimError

__all__ = ["CloudAuth", "CloudAuthConfig", "CloudAuthError"]

SIGV4_SKEW: Final = 300.0
GOOGLE_UNAUTHENTICATED: Final = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)


@dataclass(frozen=True, repr=False)
class CloudAuthConfig:
    """The credentials the simulator's cloud endpoints accept (defaults suit local demos)."""

    aws_access_key_id: str = "AKIASIMULATOR0000001"
    aws_secret_access_key: str = "aigw-sim-aws-secret-access-key"
    oidc_client_id: str = "aigw-sdk"
    oidc_client_secret: str = "aigw-sim-oidc-client-secret"
    azure_client_secret: str = "aigw-sim-azure-client-secret"
    gcp_service_account: str = "aigw-sim@aigw-sim-project.iam.gserviceaccount.com"
    token_ttl: float = 3600.0

    def __repr__(self) -> str:
        return (
            f"CloudAuthConfig(aws_access_key_id={self.aws_access_key_id!r}, "
            f"oidc_client_id={self.oidc_client_id!r}, token_ttl={self.token_ttl})"
        )


class CloudAuthError(SimError):
    """An authentication failure in a cloud provider's shape (`provider_type` names it)."""

    def __init__(self, status: int, message: str, provider_type: str) -> None:
        super().__init__(status, message, error_type=provider_type)


@dataclass
class _Tokens:
    """Opaque tokens -> expiry (Unix time)."""

    issued: dict[str, float] = field(default_factory=dict)

    def mint(self, prefix: str, ttl: float) -> str:
        token = prefix + secrets.token_urlsafe(24)
        self.issued[token] = time.time() + ttl
        return token

    def state(self, token: str) -> str:
        """`valid`, `expired` or `unknown`."""
        expires = self.issued.get(token)
        if expires is None:
            return "unknown"
        return "valid" if expires > time.time() else "expired"

    def expire(self, token: str) -> None:
        if token in self.issued:
            self.issued[token] = 0.0


class CloudAuth:
    """The simulator's identity providers and credential checks."""

    def __init__(self, config: CloudAuthConfig) -> None:
        self.config = config
        self.oidc = _Tokens()
        self.google = _Tokens()
        self.entra = _Tokens()
        # access key id -> (secret, session token or None, expiry or None)
        self._aws: dict[str, tuple[str, str | None, float | None]] = {
            config.aws_access_key_id: (config.aws_secret_access_key, None, None)
        }
        self._key_pair: tuple[str, str] | None = None
        self._key_id = secrets.token_hex(20)

    def _keys(self) -> tuple[str, str]:
        """(private PEM, public PEM) of the service-account key, made on first use."""
        if self._key_pair is None:
            self._key_pair = _rsa_key_pair()
        return self._key_pair

    def __repr__(self) -> str:
        return f"CloudAuth({self.config!r})"

    def expire_all(self) -> None:
        """Expire every token and temporary key minted so far (tests of refresh)."""
        for tokens in (self.oidc, self.google, self.entra):
            for token in list(tokens.issued):
                tokens.expire(token)
        for key, (secret, session, expiry) in list(self._aws.items()):
            if expiry is not None:
                self._aws[key] = (secret, session, 0.0)

    # --- Google service-account key -------------------------------------------------------

    def service_account_key(self, base_url: str) -> str:
        """A service-account key file (JSON) whose `token_uri` is this simulator."""
        return json.dumps(
            {
                "type": "service_account",
                "project_id": self.config.gcp_service_account.split("@", 1)[1].split(".", 1)[0],
                "private_key_id": self._key_id,
                "private_key": self._keys()[0],
                "client_email": self.config.gcp_service_account,
                "client_id": "100000000000000000001",
                "token_uri": f"{base_url}/_sim/gcp/token",
            }
        )

    # --- token endpoints --------------------------------------------------------------------

    def oidc_discovery(self, base_url: str) -> dict[str, Any]:
        return {
            "issuer": f"{base_url}/_sim/oidc",
            "token_endpoint": f"{base_url}/_sim/oidc/token",
            "scopes_supported": ["openid"],
            "grant_types_supported": ["client_credentials"],
        }

    def oidc_token(self, form: dict[str, str]) -> dict[str, Any]:
        """Client-credentials grant; 401 `invalid_client` on a wrong secret."""
        if form.get("grant_type") != "client_credentials":
            raise CloudAuthError(400, "unsupported grant_type", "unsupported_grant_type")
        if form.get("client_id") != self.config.oidc_client_id or not _same(
            form.get("client_secret", ""), self.config.oidc_client_secret
        ):
            raise CloudAuthError(401, "client authentication failed", "invalid_client")
        token = self.oidc.mint("oidc.", self.config.token_ttl)
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": int(self.config.token_ttl),
        }

    def aws_sts(self, form: dict[str, str]) -> bytes:
        """STS AssumeRoleWithWebIdentity (query protocol, XML answer)."""
        if form.get("Action") != "AssumeRoleWithWebIdentity":
            raise CloudAuthError(400, f"Unsupported action {form.get('Action')}", "InvalidAction")
        state = self.oidc.state(form.get("WebIdentityToken", ""))
        if state == "expired":
            raise CloudAuthError(400, "Token is expired.", "ExpiredTokenException")
        if state != "valid":
            raise CloudAuthError(
                400,
                "Couldn't retrieve verification key from your identity provider.",
                "InvalidIdentityToken",
            )
        role = form.get("RoleArn", "")
        if not role.startswith("arn:aws:iam::"):
            raise CloudAuthError(400, "Request ARN is invalid", "ValidationError")
        key_id = "ASIA" + secrets.token_hex(8).upper()
        secret = secrets.token_urlsafe(30)
        session = secrets.token_urlsafe(48)
        expires = time.time() + self.config.token_ttl
        self._aws[key_id] = (secret, session, expires)
        expiration = datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        session_name = form.get("RoleSessionName", "session")
        return (
            '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
            "<AssumeRoleWithWebIdentityResult>"
            f"<Credentials><AccessKeyId>{key_id}</AccessKeyId>"
            f"<SecretAccessKey>{secret}</SecretAccessKey>"
            f"<SessionToken>{session}</SessionToken>"
            f"<Expiration>{expiration}</Expiration></Credentials>"
            f"<AssumedRoleUser><Arn>{_xml(role)}/{_xml(session_name)}</Arn>"
            f"<AssumedRoleId>AROASIM:{_xml(session_name)}</AssumedRoleId></AssumedRoleUser>"
            "<SubjectFromWebIdentityToken>aigw-sdk</SubjectFromWebIdentityToken>"
            "</AssumeRoleWithWebIdentityResult>"
            f"<ResponseMetadata><RequestId>{secrets.token_hex(16)}</RequestId></ResponseMetadata>"
            "</AssumeRoleWithWebIdentityResponse>"
        ).encode()

    def gcp_token(self, form: dict[str, str], token_uri: str) -> dict[str, Any]:
        """JWT bearer grant with an assertion signed by the service-account key."""
        from google.auth import exceptions, jwt

        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            raise CloudAuthError(400, "Invalid grant_type", "unsupported_grant_type")
        try:
            claims = jwt.decode(  # type: ignore[no-untyped-call]
                form.get("assertion", ""),
                certs=self._keys()[1],
                # google-auth puts Google's token URI in `aud` whatever the key's token_uri is.
                audience=[token_uri, "https://oauth2.googleapis.com/token"],
            )
        except (ValueError, exceptions.GoogleAuthError):
            raise CloudAuthError(400, "Invalid JWT Signature.", "invalid_grant") from None
        if claims.get("iss") != self.config.gcp_service_account:
            raise CloudAuthError(400, "Invalid JWT: unknown issuer", "invalid_grant")
        return self._google_access_token()

    def gcp_sts(self, form: dict[str, str]) -> dict[str, Any]:
        """Google STS token exchange of an OIDC token for a federated access token."""
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:token-exchange":
            raise CloudAuthError(400, "Invalid grant_type", "invalid_request")
        if not form.get("audience", "").startswith("//iam.googleapis.com/projects/"):
            raise CloudAuthError(400, "Invalid audience", "invalid_target")
        if self.oidc.state(form.get("subject_token", "")) != "valid":
            raise CloudAuthError(400, "The ID Token is expired or invalid.", "invalid_grant")
        token = self.google.mint("ya29.sts.", self.config.token_ttl)
        return {
            "access_token": token,
            "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
            "token_type": "Bearer",
            "expires_in": int(self.config.token_ttl),
        }

    def gcp_generate_access_token(self, authorization: str, email: str) -> dict[str, Any]:
        """IAM Credentials `generateAccessToken` for `email`, authorised by a Google token."""
        self.check_google(authorization)
        token = self._google_access_token()
        expire = datetime.fromtimestamp(time.time() + self.config.token_ttl, UTC)
        return {
            "accessToken": token["access_token"],
            "expireTime": expire.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def _google_access_token(self) -> dict[str, Any]:
        token = self.google.mint("ya29.sim.", self.config.token_ttl)
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": int(self.config.token_ttl),
        }

    def entra_discovery(self, base_url: str, tenant: str) -> dict[str, Any]:
        root = f"{base_url}/{tenant}"
        return {
            "issuer": f"{root}/v2.0",
            "token_endpoint": f"{root}/oauth2/v2.0/token",
            "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
            "tenant_region_scope": None,
        }

    def entra_token(self, form: dict[str, str]) -> dict[str, Any]:
        """Client credentials with a client secret or an OIDC client assertion."""
        if form.get("grant_type") != "client_credentials":
            raise CloudAuthError(
                400, "AADSTS70003: unsupported grant type", "unsupported_grant_type"
            )
        if "client_assertion" in form:
            if self.oidc.state(form["client_assertion"]) != "valid":
                raise CloudAuthError(
                    401,
                    "AADSTS700024: Client assertion is not within its valid time range.",
                    "invalid_client",
                )
        elif not _same(form.get("client_secret", ""), self.config.azure_client_secret):
            raise CloudAuthError(
                401, "AADSTS7000215: Invalid client secret provided.", "invalid_client"
            )
        token = self.entra.mint("eyJ0eXAi.sim.", self.config.token_ttl)
        ttl = int(self.config.token_ttl)
        return {
            "token_type": "Bearer",
            "expires_in": ttl,
            "ext_expires_in": ttl,
            "access_token": token,
        }

    # --- request checks ---------------------------------------------------------------------

    def check_google(self, authorization: str) -> None:
        """A Vertex request's `Authorization: Bearer`; 401 UNAUTHENTICATED otherwise."""
        token = authorization[7:].strip() if authorization[:7].lower() == "bearer " else ""
        if self.google.state(token) != "valid":
            raise CloudAuthError(401, GOOGLE_UNAUTHENTICATED, "UNAUTHENTICATED")

    def check_entra(self, authorization: str) -> None:
        """An Entra bearer token (Azure OpenAI with `AzureCredentials`)."""
        token = authorization[7:].strip() if authorization[:7].lower() == "bearer " else ""
        state = self.entra.state(token)
        if state == "expired":
            raise CloudAuthError(401, "Access token has expired or is not yet valid.", "401")
        if state != "valid":
            raise CloudAuthError(
                401, "Access denied due to invalid subscription key or wrong API endpoint.", "401"
            )

    def check_sigv4(self, method: str, url: str, headers: dict[str, str], body: bytes) -> None:
        """Recompute the SigV4 signature with botocore; Bedrock's 403s otherwise."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import ReadOnlyCredentials

        parsed = _parse_authorization(headers.get("authorization", ""))
        if parsed is None:
            raise CloudAuthError(
                403, "Missing Authentication Token", "MissingAuthenticationTokenException"
            )
        key_id, date, region, service, signed, signature = parsed
        known = self._aws.get(key_id)
        if known is None:
            raise CloudAuthError(
                403,
                "The security token included in the request is invalid.",
                "UnrecognizedClientException",
            )
        secret, session, expiry = known
        if session is not None and not _same(headers.get("x-amz-security-token", ""), session):
            raise CloudAuthError(
                403,
                "The security token included in the request is invalid.",
                "UnrecognizedClientException",
            )
        if expiry is not None and expiry <= time.time():
            raise CloudAuthError(
                403,
                "The security token included in the request is expired",
                "ExpiredTokenException",
            )
        amz_date = headers.get("x-amz-date", "")
        try:
            stamp = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp()
        except ValueError:
            raise CloudAuthError(
                403, "Missing or malformed X-Amz-Date", "InvalidSignatureException"
            ) from None
        if abs(stamp - time.time()) > SIGV4_SKEW:
            raise CloudAuthError(
                403,
                "Signature expired: the request time is too skewed.",
                "InvalidSignatureException",
            )
        if "host" not in signed or date != amz_date[:8] or service != "bedrock":
            raise CloudAuthError(403, _SIGNATURE_MISMATCH, "InvalidSignatureException")
        declared = headers.get("x-amz-content-sha256")
        if "x-amz-content-sha256" in signed and declared != hashlib.sha256(body).hexdigest():
            raise CloudAuthError(
                400,
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                "ValidationException",
            )
        request = AWSRequest(
            method=method,
            url=url,
            data=body,
            headers={name: headers.get(name, "") for name in signed},
        )
        request.context["timestamp"] = amz_date
        auth = SigV4Auth(ReadOnlyCredentials(key_id, secret, session), service, region)
        canonical = auth.canonical_request(request)
        expected = auth.signature(auth.string_to_sign(request, canonical), request)
        if not hmac.compare_digest(expected, signature):
            raise CloudAuthError(403, _SIGNATURE_MISMATCH, "InvalidSignatureException")


_SIGNATURE_MISMATCH: Final = (
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details."
)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _parse_authorization(value: str) -> tuple[str, str, str, str, list[str], str] | None:
    """(key id, date, region, service, signed headers, signature) of a SigV4 header."""
    if not value.startswith("AWS4-HMAC-SHA256 "):
        return None
    fields: dict[str, str] = {}
    for part in value[len("AWS4-HMAC-SHA256 ") :].split(","):
        name, _, raw = part.strip().partition("=")
        fields[name] = raw
    scope = fields.get("Credential", "").split("/")
    if len(scope) != 5 or scope[4] != "aws4_request" or "Signature" not in fields:
        return None
    signed = [h for h in fields.get("SignedHeaders", "").split(";") if h]
    return scope[0], scope[1], scope[2], scope[3], signed, fields["Signature"]


def parse_form(body: bytes) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body (or a JSON object, as Google STS allows)."""
    stripped = body.strip()
    if stripped.startswith(b"{"):
        try:
            value = json.loads(stripped)
        except ValueError:
            return {}
        return {k: str(v) for k, v in value.items()} if isinstance(value, dict) else {}
    return {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def _rsa_key_pair() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public
