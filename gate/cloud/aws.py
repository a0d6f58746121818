"""Every AWS call goes through :class:`AwsTarget`, so the same code runs on the embedded moto server and on
real AWS: only the endpoint URL, region and credentials differ."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError
from botocore.parsers import ResponseParserError

from gate.errors import GateError

# Every error botocore raises where AWS (or the endpoint standing in for it) answered or failed to: refusals
# (ClientError), client-side failures (BotoCoreError: credentials, connection, waiters, validation) and answers
# it could not parse (ResponseParserError, which is not a BotoCoreError: e.g. an HTML 500 from a proxy or from
# moto for an API it lacks). Catch this tuple wherever an AWS call is made, and say why with aws_reason().
AWS_ERRORS: tuple[type[Exception], ...] = (ClientError, BotoCoreError, ResponseParserError)
# How much of an unparseable answer a message quotes.
_REASON_LIMIT = 240

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
        return GateError(f"AWS refused {doing} on {target.label}: {aws_reason(exc)}")
    if isinstance(exc, ResponseParserError):
        return GateError(
            f"{target.label} sent an answer botocore cannot read while {doing}: {aws_reason(exc)}",
            fix="the endpoint may not implement this API (moto lacks some); otherwise retry, it may be transient",
        )
    if isinstance(exc, BotoCoreError):
        return GateError(f"AWS client error while {doing} on {target.label}: {aws_reason(exc)}")
    return GateError(f"unexpected error while {doing} on {target.label}: {exc!r}")


def aws_reason(exc: Exception) -> str:
    """One line saying why an AWS call failed: the error code and message, the HTTP status, or the start of
    an answer that could not be parsed."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        code, message = str(err.get("Code") or ""), " ".join(str(err.get("Message") or "").split())
        if not code or code == str(status):  # no AWS error code: an HTTP error page (moto, a proxy)
            text = f"HTTP {status}" + (f": {message}" if message else "")
        else:
            text = f"{code}: {message or 'no message'}" + (f" (HTTP {status})" if status else "")
        return _short(text)
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, ResponseParserError):
        text = f"ResponseParserError: {text}"
    return _short(text)


def _short(text: str) -> str:
    return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 1] + "…"
