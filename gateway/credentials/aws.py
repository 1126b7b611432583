"""`AWSCredentials`: SigV4 request signing with botocore's signer.

Credentials come from the policy's `credentialsFile` (the Secret's `credentials` key, an AWS
shared-credentials file, read for `profile`), from `oidcExchangeToken` (an OIDC token
exchanged at STS `AssumeRoleWithWebIdentity` for temporary credentials, refreshed before they
expire), or, with neither, from botocore's default chain (IRSA, pod identity, environment).
STS is botocore's client, so `AWS_ENDPOINT_URL_STS` (botocore's own setting) points it
elsewhere, e.g. at a local fake in tests.

Requests are signed for service `bedrock` in the region the Bedrock host names
(`bedrock-runtime.<region>.amazonaws.com`), else the policy's `region`, over the `host` header
and the body's SHA-256, as Envoy AI Gateway does; the signer adds `x-amz-date` and, for
temporary credentials, `x-amz-security-token`.
"""

from __future__ import annotations

import configparser
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from gateway.credentials.cache import CredentialError, Expiring, RefreshingCache
from gateway.credentials.oidc import OIDCClient

if TYPE_CHECKING:  # botocore is imported on first use: importing the gateway stays cheap
    from botocore.credentials import ReadOnlyCredentials

__all__ = ["AWSSigner", "parse_credentials_file"]

SERVICE: Final = "bedrock"
_BEDROCK_HOST: Final = re.compile(r"^bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com$")
_SIGNED_OUT: Final = ("authorization", "x-amz-date", "x-amz-security-token")


def parse_credentials_file(text: str, profile: str) -> ReadOnlyCredentials:
    """The keys of `profile` in an AWS shared-credentials file; errors name the profile only."""
    from botocore.credentials import ReadOnlyCredentials

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        raise CredentialError("AWS credentials file is not a valid INI file") from None
    if not parser.has_section(profile):
        raise CredentialError(f"AWS credentials file has no profile {profile!r}")
    section = parser[profile]
    key = section.get("aws_access_key_id", "").strip()
    secret = section.get("aws_secret_access_key", "").strip()
    if not key or not secret:
        raise CredentialError(
            f"AWS credentials file profile {profile!r} needs aws_access_key_id and "
            "aws_secret_access_key"
        )
    token = section.get("aws_session_token", "").strip() or None
    return ReadOnlyCredentials(key, secret, token)


@dataclass(frozen=True, slots=True)
class _WebIdentity:
    oidc: OIDCClient
    role_arn: str
    region: str

    def fetch(self) -> Expiring[ReadOnlyCredentials]:
        import botocore.session
        from botocore import UNSIGNED
        from botocore.config import Config
        from botocore.credentials import ReadOnlyCredentials
        from botocore.exceptions import BotoCoreError, ClientError

        token = self.oidc.fetch().value
        session = botocore.session.get_session()
        sts: Any = session.create_client(
            "sts", region_name=self.region, config=Config(signature_version=UNSIGNED)
        )
        try:
            answer = sts.assume_role_with_web_identity(
                RoleArn=self.role_arn,
                RoleSessionName=f"aigw-sdk-{int(time.time())}",
                WebIdentityToken=token,
            )
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise CredentialError(
                f"STS AssumeRoleWithWebIdentity for {self.role_arn}: "
                f"{error.get('Code', 'error')}: {error.get('Message', '')}"
            ) from None
        except BotoCoreError as exc:
            raise CredentialError(
                f"STS AssumeRoleWithWebIdentity for {self.role_arn}: {type(exc).__name__}"
            ) from None
        finally:
            sts.close()
        creds = answer["Credentials"]
        return Expiring(
            ReadOnlyCredentials(
                creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]
            ),
            creds["Expiration"].timestamp(),
        )


@dataclass(frozen=True, slots=True)
class _DefaultChain:
    region: str

    def fetch(self) -> Expiring[ReadOnlyCredentials]:
        import botocore.session
        from botocore.credentials import ReadOnlyCredentials

        session = botocore.session.get_session()
        session.set_config_variable("region", self.region)
        credentials = session.get_credentials()
        if credentials is None:
            raise CredentialError(
                "no AWS credentials found in the default chain (environment, shared "
                "credentials file, web identity, container or instance role)"
            )
        frozen = credentials.get_frozen_credentials()
        expiry = getattr(credentials, "_expiry_time", None)
        # Refreshable credentials expire; static ones are re-read every 15 minutes.
        expires_at = expiry.timestamp() if expiry is not None else time.time() + 900
        return Expiring(
            ReadOnlyCredentials(frozen.access_key, frozen.secret_key, frozen.token), expires_at
        )


class AWSSigner:
    """Signs upstream requests for one `AWSCredentials` policy."""

    def __init__(self, region: str, credentials: RefreshingCache[ReadOnlyCredentials]) -> None:
        self.region = region
        self._credentials = credentials

    def __repr__(self) -> str:
        return f"AWSSigner(region={self.region!r})"

    @classmethod
    def from_credentials_file(cls, text: str, profile: str, region: str) -> AWSSigner:
        """Static keys from a shared-credentials file (parsed now: a bad file fails the config)."""
        creds = parse_credentials_file(text, profile)
        return cls(region, RefreshingCache(lambda: Expiring(creds, None)))

    @classmethod
    def from_default_chain(cls, region: str) -> AWSSigner:
        """botocore's default chain (environment, shared files, web identity / IRSA, pod
        identity, instance roles): the policy has neither `credentialsFile` nor
        `oidcExchangeToken`, as in upstream's `aws-irsa` and `aws-pod-identity` examples."""
        return cls(region, RefreshingCache(_DefaultChain(region).fetch))

    @classmethod
    def from_web_identity(cls, oidc: OIDCClient, role_arn: str, region: str) -> AWSSigner:
        """Temporary keys from STS for an OIDC token, refreshed before they expire."""
        return cls(region, RefreshingCache(_WebIdentity(oidc, role_arn, region).fetch))

    def signing_region(self, host: str) -> str:
        """The region in a Bedrock runtime host name, else the policy's region."""
        match = _BEDROCK_HOST.match(host.split(":", 1)[0])
        return match.group(1) if match else self.region

    async def authorize(
        self, base_url: str, path: str, headers: dict[str, str], body: bytes
    ) -> str:
        """Sign a POST of `body` to `base_url + path` (headers updated).

        The path is returned in the form the HTTP client sends it (yarl's normalisation, e.g.
        `%3A` -> `:`), and that form is what gets signed: AWS verifies the bytes it receives.
        """
        from yarl import URL

        url = URL(base_url + path)
        sent = url.raw_path_qs
        headers.update(await self.sign("POST", str(url), body))
        return sent

    async def sign(self, method: str, url: str, body: bytes) -> list[tuple[str, str]]:
        """The `authorization`, `x-amz-date` (and `x-amz-security-token`) headers to send."""
        creds = await self._credentials.get()
        return sign_request(creds, self.signing_region(urlsplit(url).netloc), method, url, body)


def sign_request(
    creds: ReadOnlyCredentials, region: str, method: str, url: str, body: bytes
) -> list[tuple[str, str]]:
    """botocore SigV4 over `host` and the body; returns the headers the signer added."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    request = AWSRequest(method=method, url=url, data=body, headers={"host": urlsplit(url).netloc})
    SigV4Auth(creds, SERVICE, region).add_auth(request)
    return [(name, request.headers[name]) for name in _SIGNED_OUT if name in request.headers]
