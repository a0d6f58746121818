"""Stack parameters (``parameters:`` in .gate.yml): planned with, recorded in the plan, applied with exactly
those, and restored with the previous values on rollback (moto server)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.config import parse_config
from gate.errors import GateError
from tests.deploy_support import (
    AUDIT,
    anchored,
    audit_records,
    bucket_template,
    create_alarm,
    plan,
    set_alarm_when_executed,
    unique,
)


def _template(bucket: str) -> str:
    """The deploy tests' bucket, its release tag a stack parameter without a default."""
    body = bucket_template(bucket, "!Ref Release")
    return body.replace("Resources:", "Parameters:\n  Release:\n    Type: String\nResources:", 1)


pytestmark = pytest.mark.usefixtures("aws_credentials")


def _config(workdir: Path, moto: AwsTarget, stack: str, release: str, **deploy: object):  # type: ignore[no-untyped-def]
    raw = {
        "stack_name": stack,
        "parameters": {"Release": release},
        "aws": {"region": moto.region, "endpoint_url": moto.endpoint_url},
        "checks": {"enabled": [], "allow_no_checks": True},
        "cost": {"enabled": False},
        "deploy": {"bake_minutes": 0, "poll_seconds": 0.05, "lock_ttl_minutes": 1, "stack_timeout_minutes": 0.5}
        | deploy,
    }
    text = yaml.safe_dump(raw)
    (workdir / ".gate.yml").write_text(text)
    return parse_config(text, ".gate.yml")


def _release(moto: AwsTarget, stack: str) -> str:
    params = moto.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]["Parameters"]
    return next(p["ParameterValue"] for p in params if p["ParameterKey"] == "Release")


def test_parameters_are_planned_applied_and_restored_on_rollback(workdir: Path, moto: AwsTarget) -> None:
    stack, bucket, alarm = unique("params"), unique("params-b"), unique("params-a")
    create_alarm(moto, alarm)
    template = _template(bucket)
    reviewed, path = plan(workdir, moto, _config(workdir, moto, stack, "v1"), template, "p1")
    assert reviewed.parameters == {"Release": "v1"} and reviewed.change_set_id, "planned with the parameters"
    assert main(["apply", *anchored(path)]) == 0
    assert _release(moto, stack) == "v1"

    config = _config(workdir, moto, stack, "v2", alarms=[alarm], bake_minutes=1)
    # a new resource too: moto's change sets see template changes, not a parameter's new value
    _, path = plan(workdir, moto, config, template + "  WorkQueue:\n    Type: AWS::SQS::Queue\n", "p2")
    watcher = set_alarm_when_executed(moto, alarm, workdir / AUDIT, stack, nth=2)
    assert main(["apply", *anchored(path)]) == 1
    watcher.join(5)
    assert _release(moto, stack) == "v1", "the rollback redeployed the previous template with its parameters"
    started = [r for r in audit_records(workdir) if r["kind"] == "apply-started"][-1]
    assert started["previous_parameters"] == {"Release": "v1"}


def test_a_parameter_without_a_value_or_one_the_template_lacks_is_a_clear_error(workdir: Path, moto: AwsTarget) -> None:
    stack, template = unique("params-missing"), _template(unique("params-m"))
    config = _config(workdir, moto, stack, "v1").model_copy(update={"parameters": {}})
    with pytest.raises(GateError, match=r"parameter\(s\) Release have no default and no value"):
        plan(workdir, moto, config, template, "p")
    config = config.model_copy(update={"parameters": {"Release": "v1", "Colour": "blue"}})
    with pytest.raises(GateError, match="Colour not declared by the template"):
        plan(workdir, moto, config, template, "p")
