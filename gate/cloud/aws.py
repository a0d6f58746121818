"""Every AWS call goes through :class:`AwsTarget`, so the same code runs on the embedded moto server and on
real AWS: only the endpoint URL, region and credentials differ."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError

from gate.errors import GateError

_RETRIES = BotoConfig(retries={"max_attempts": 8, "mode": "adaptive"}, connect_timeout=10, read_timeout=60)


@dataclass(frozen=True)
class AwsTarget:
    region: str
    endpoint_url: str | None = None
    access_key_id: str | None = field(default=None, repr=False)
    secret_access_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"{self.endpoint_url or 'AWS'} ({self.region})"

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` on this target."""
        session = boto3.session.Session(
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
            aws_session_token=self.session_token,
            region_name=self.region,
        )
        return session.client(service, endpoint_url=self.endpoint_url, config=_RETRIES)


def aws_error(exc: Exception, doing: str, target: AwsTarget) -> GateError:
    """Turn a boto error into a GateError that says what we were doing and where."""
    if isinstance(exc, NoCredentialsError):
        return GateError(
            f"no AWS credentials while {doing} on {target.label}",
            fix="configure credentials (environment, profile or OIDC role), or use the embedded moto server",
        )
    if isinstance(exc, EndpointConnectionError):
        return GateError(
            f"cannot reach {target.label} while {doing}",
            fix="check aws.endpoint_url and aws.region in .gate.yml, and the network",
        )
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        return GateError(f"AWS refused {doing} on {target.label}: {err.get('Code')}: {err.get('Message')}")
    if isinstance(exc, BotoCoreError):
        return GateError(f"AWS client error while {doing} on {target.label}: {exc}")
    return GateError(f"unexpected error while {doing} on {target.label}: {exc!r}")
