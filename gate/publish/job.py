"""One run of ``devops-gate action``: the event, the VCS client, the action's settings, and the settings and AWS
target the run derives from them (shared by the plan, command and apply jobs)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from gate.cloud.aws import AwsTarget
from gate.config import GateConfig, load_config
from gate.errors import GateError
from gate.intake.pr_iac import DEFAULT_IAC_PATHS
from gate.models import Severity
from gate.publish.checks import PublishAs
from gate.publish.comment import DEFAULT_BOT_LOGIN, CommentMode
from gate.vcs import VcsClient


@dataclass(frozen=True)
class ActionSettings:
    config_path: str | None = None
    out: str = "gate-out"
    fail_on: str | None = None
    comment_mode: CommentMode = "update"
    environment: str = "default"
    bot_login: str = DEFAULT_BOT_LOGIN
    plan_artifact: str = "gate-plan-pr-{pr}"
    plan_file: str | None = None
    request: str | None = None
    aws_region: str | None = None
    llm_model: str | None = None
    endpoint_url: str | None = None
    dispatch_mode: str = ""
    run_url: str | None = None
    iac_paths: tuple[str, ...] = DEFAULT_IAC_PATHS
    publish_as: PublishAs = "both"
    plan_drafts: bool = False  # plan draft PRs too; off: a draft is planned when marked ready for review


@dataclass
class Job:
    client: VcsClient
    settings: ActionSettings
    event_name: str
    payload: dict[str, Any]
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    log: Callable[[str], None] = print


def job_config(settings: ActionSettings) -> GateConfig:
    config, _ = load_config(settings.config_path)
    if settings.fail_on:
        config = config.model_copy(
            update={"thresholds": config.thresholds.model_copy(update={"fail_on": Severity.parse(settings.fail_on)})}
        )
    if settings.llm_model:
        try:
            llm = type(config.llm).model_validate({**config.llm.model_dump(), "model": settings.llm_model})
        except ValidationError as exc:
            raise GateError("input 'llm-model' is not a litellm model string", fix="e.g. openai/gpt-4o") from exc
        config = config.model_copy(update={"llm": llm})
    if settings.aws_region:
        config = config.model_copy(update={"aws": config.aws.model_copy(update={"region": settings.aws_region})})
    return config


def job_target(settings: ActionSettings, config: GateConfig | None) -> AwsTarget | None:
    """The AWS account to preview against: an endpoint (moto, LocalStack), or real AWS when credentials are set
    (aws-actions/configure-aws-credentials exports them); ``None`` plans offline (no change-set preview)."""
    config = config or job_config(settings)
    endpoint = settings.endpoint_url or config.aws.endpoint_url
    if endpoint or os.environ.get("AWS_ACCESS_KEY_ID"):
        return AwsTarget(region=config.aws.region, endpoint_url=endpoint)
    return None
