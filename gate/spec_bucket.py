"""Bucket settings of the typed change spec: S3 Object Lock (WORM default retention) and CORS rules.

Part of the typed change spec; ``gate/spec.py`` re-exports them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from gate.spec_parts import Part


class ObjectLock(Part):
    """S3 Object Lock (WORM): objects cannot be deleted or overwritten before their retention ends."""

    mode: Literal["COMPLIANCE", "GOVERNANCE"] = Field(
        default="GOVERNANCE", description="COMPLIANCE: nobody, not even root, can shorten it; GOVERNANCE: admins can"
    )
    days: int | None = Field(default=None, ge=1, le=36500, description="default retention in days")
    years: int | None = Field(
        default=None, ge=1, le=100, description="default retention in years (neither: locked only per object)"
    )

    @model_validator(mode="after")
    def _one_period(self) -> ObjectLock:
        if self.days is not None and self.years is not None:
            raise ValueError("give the object lock's default retention in days or in years, not both")
        return self


CorsMethod = Literal["GET", "PUT", "POST", "DELETE", "HEAD"]


class CorsRule(Part):
    """Browsers on these origins may call the bucket with these methods."""

    allowed_origins: list[Annotated[str, Field(pattern=r"^(?:https?://[A-Za-z0-9.*:-]+|\*)$")]] = Field(
        min_length=1, max_length=20, description="origins, e.g. https://app.example.com"
    )
    allowed_methods: list[CorsMethod] = Field(min_length=1, max_length=5)
    allowed_headers: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9*-]{1,128}$")]] = Field(
        default_factory=list, max_length=20, description="request headers the browser may send"
    )
    exposed_headers: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,128}$")]] = Field(
        default_factory=list, max_length=20
    )
    max_age_s: int | None = Field(default=None, ge=0, le=86400, description="how long browsers cache the preflight")
