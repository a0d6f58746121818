"""Environments (``environments:`` in .gate.yml): a name -> account role (assumed through STS), regions in
order, and a stack name prefix.  Without ``--env`` the plan's own stack and region are the one deployment."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.config import GateConfig
from gate.deploy import stacks


@dataclass(frozen=True)
class Deployment:
    """One stack in one region (of one environment)."""

    environment: str | None
    target: AwsTarget
    stack_name: str
    role_arn: str | None = None  # assumed by fresh() right before this deployment, not once for all regions
    session_name: str = "devops-gate"

    def fresh(self) -> Deployment:
        """This deployment with new role credentials (a session lasts an hour; regions deploy one by one)."""
        if self.role_arn is None:
            return self
        return replace(self, target=assume(self.target, self.role_arn, self.session_name), role_arn=None)


def assume(base: AwsTarget, role_arn: str, session_name: str) -> AwsTarget:
    """Credentials for ``role_arn`` (STS AssumeRole through the base target's endpoint)."""
    name = re.sub(r"[^\w+=,.@-]", "-", session_name)[:64] or "devops-gate"
    try:
        creds = base.client("sts").assume_role(RoleArn=role_arn, RoleSessionName=name, DurationSeconds=3600)
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"assuming role {role_arn}", base) from exc
    c = creds["Credentials"]
    return replace(
        base, access_key_id=c["AccessKeyId"], secret_access_key=c["SecretAccessKey"], session_token=c["SessionToken"]
    )


def deployments(
    config: GateConfig, env_name: str | None, base: AwsTarget, stack_name: str, session_name: str
) -> list[Deployment]:
    """Where ``stack_name`` (the logical name, never already prefixed) deploys for ``env_name``."""
    if env_name is None:
        return [Deployment(environment=None, target=base, stack_name=stack_name)]
    env = stacks.environment(config, env_name)
    full_name = stacks.deployed_name(config, env_name, stack_name)
    return [
        Deployment(
            environment=env_name,
            target=replace(base, region=region),
            stack_name=full_name,
            role_arn=env.role_arn,
            session_name=session_name,
        )
        for region in env.regions
    ]


def for_plan(
    config: GateConfig, env_name: str, endpoint_url: str | None, session_name: str
) -> tuple[GateConfig, AwsTarget]:
    """Plan against an environment: its first region and its role (real AWS when no endpoint is set). The
    config keeps the logical stack name; the pipeline builds the deployed name with :mod:`gate.deploy.stacks`."""
    base = AwsTarget(region=config.aws.region, endpoint_url=endpoint_url)
    first = deployments(config, env_name, base, config.stack_name, session_name)[0].fresh()
    aws = config.aws.model_copy(update={"region": first.target.region})
    return config.model_copy(update={"aws": aws}), first.target
