"""Adoption by a CloudFormation IMPORT change set, on recorded AWS answers: moto 5.2.5 plans ``Add`` for an
IMPORT change set and, executed, creates the resources (measured in tests/test_import_moto.py), so
CloudFormation's answers here are hand-written from the AWS API reference (CreateChangeSet, DescribeChangeSet
with ``Action: Import``, ExecuteChangeSet, DescribeStacks in REVIEW_IN_PROGRESS / IMPORT_IN_PROGRESS /
IMPORT_COMPLETE, ListStacks, ListStackResources). Every other service (the estate, the lock table, CloudWatch)
is the moto server behind it."""

from __future__ import annotations

import json
from pathlib import Path
from string import Template
from typing import Any

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.deploy.base import Deployed
from gate.models import GatePlan
from gate.pipeline import synthesise
from gate.spec import ChangeSpec, SqsQueue
from gate.synth import cfn_yaml
from tests.deploy_support import anchored, audit_records, create_alarm, unique
from tests.fakes.cfn_recorded import RECORDED, Phase, Reply, Scenario, events, serve, validation_error, xml
from tests.import_support import make_estate

ACCOUNT = "123456789012"
pytestmark = pytest.mark.usefixtures("aws_credentials")


def _ids(stack: str) -> dict[str, str]:
    return {
        "stack": stack,
        "stack_id": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/{stack}/6c2d3f51-dbb2-11f0-8d6f-0bffe2b3c4d5",
        "change_set_id": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:changeSet/gate-import/1e7f5a4b-2c3d-4e6f",
        "change_set_name": "gate-import",
    }


def _listing(action: str, key: str, members: list[Reply]) -> Reply:
    text = (RECORDED / f"{action}.xml").read_text(encoding="utf-8")
    return Reply(Template(text).safe_substitute({key: "".join(m.body for m in members)}))


def _rows(template: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"logical_id": k, "physical_id": next(iter(v["Metadata"]["gate:identifier"].values())), "type": v["Type"]}
        for k, v in template["Resources"].items()
    ]


def _event(stack: str, n: int, logical: str, status: str, rtype: str) -> dict[str, str]:
    ids = _ids(stack)
    return {
        **ids,
        "event_id": f"{logical}-{status}-{n}",
        "logical_id": logical,
        "physical_id": ids["stack_id"] if logical == stack else logical,
        "type": rtype,
        "timestamp": f"2026-11-25T06:58:{n:02d}.000Z",
        "status": status,
        "reason": "",
    }


def _unmanaged(url: str, prefix: str, out: str) -> int:
    assert main(["import", "--report", "--endpoint-url", url, "--name-prefix", prefix, "--out", out]) == 0
    return int(json.loads((Path(out) / "coverage.json").read_text())["unmanaged_total"])


def test_import_change_set_is_planned_applied_and_a_later_change_is_a_delta(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix, stack, alarm = unique("adopt"), unique("adopted"), unique("adopt-alarm")
    make_estate(moto, prefix)
    create_alarm(moto, alarm)
    ids = _ids(stack)
    stack_type = "AWS::CloudFormation::Stack"
    missing = validation_error(f"Stack with id {stack} does not exist")
    plan_phase = Phase(
        trigger="CreateChangeSet",
        replies={
            "ListStacks": [_listing("ListStacks", "stacks", [])],
            "DescribeStacks": [missing],
            "CreateChangeSet": [xml("CreateChangeSet", **ids)],
        },
    )
    review_phase = Phase(trigger="ExecuteChangeSet", replies={})
    done_phase = Phase(replies={})
    scenario = Scenario(passthrough=moto.endpoint_url, phases=[plan_phase, review_phase, done_phase])
    with serve(scenario) as url:
        text = f"stack_name: {stack}\naws: {{endpoint_url: '{url}'}}\nchecks: {{enabled: [], allow_no_checks: true}}\n"
        text += "cost: {enabled: false}\n"
        text += f"deploy: {{alarms: [{alarm}], poll_seconds: 0.01, bake_minutes: 0, stack_timeout_minutes: 0.2}}\n"
        (workdir / ".gate.yml").write_text(text)
        assert _unmanaged(url, prefix, "before") == 10

        # the answers that depend on the template: AWS describes the change set it was given
        template_text = None

        def review(template: dict[str, Any]) -> None:
            rows = _rows(template)
            changes = "".join(xml("ImportChange", **r).body for r in rows)
            described = Template((RECORDED / "DescribeChangeSetImport.xml").read_text()).safe_substitute(
                {**ids, "changes": changes}
            )
            review_phase.replies.update(
                {
                    "DescribeChangeSet": [Reply(described)],
                    "DescribeStacks": [xml("DescribeStacks", **ids, status="REVIEW_IN_PROGRESS", reason="")],
                    "GetTemplate": [xml("GetTemplate", body=str(template_text))],
                    "DescribeStackEvents": [events(_event(stack, 1, stack, "REVIEW_IN_PROGRESS", stack_type))],
                    "ExecuteChangeSet": [xml("ExecuteChangeSet")],
                }
            )
            imported = [
                _event(stack, 10 + n, r["logical_id"], "IMPORT_COMPLETE", r["type"]) for n, r in enumerate(rows)
            ]
            summary = xml("StackSummary", **ids, status="IMPORT_COMPLETE")
            resources = [xml("StackResourceSummary", **r) for r in rows]
            done_phase.replies.update(
                {
                    "DescribeStacks": [
                        xml("DescribeStacks", **ids, status="IMPORT_IN_PROGRESS", reason="User Initiated"),
                        xml("DescribeStacks", **ids, status="IMPORT_COMPLETE", reason=""),
                    ],
                    "DescribeStackEvents": [
                        events(_event(stack, 30, stack, "IMPORT_COMPLETE", stack_type), *reversed(imported))
                    ],
                    "ListStacks": [_listing("ListStacks", "stacks", [summary])],
                    "ListStackResources": [_listing("ListStackResources", "resources", resources)],
                }
            )

        # the plan: reading the estate goes through to moto, the IMPORT change set to the recorded answers
        from gate.importer import build, registry

        target = AwsTarget(region="us-east-1", endpoint_url=url)
        local = build.build(build.discover(target, registry.READERS, build.Selection(name_prefix=prefix)), "us-east-1")
        template_text = cfn_yaml.dump(local.template)
        review(local.template)
        assert main(["import", "--endpoint-url", url, "--name-prefix", prefix, "--stack", stack, "--out", "p"]) == 0
        plan = GatePlan.model_validate_json((workdir / "p" / "gate-plan.json").read_text())
        assert plan.change_set_id == ids["change_set_id"] and plan.stack_name == stack
        assert {c.action for c in plan.changes} == {"Import"} and len(plan.changes) == 10
        assert plan.base is not None and plan.base.state == "no-stack"
        guard = next(r for r in plan.checks if r.check == "data-loss")
        assert (guard.status, guard.findings) == ("ran", ())
        create = next(params for action, params in scenario.calls if action == "CreateChangeSet")
        assert create["ChangeSetType"] == "IMPORT"
        sent = {create[f"ResourcesToImport.member.{n}.LogicalResourceId"] for n in range(1, 11)}
        assert sent == set(local.template["Resources"])
        for n in range(1, 11):  # each by the identifier the template records for it
            member = f"ResourcesToImport.member.{n}"
            identifier = local.template["Resources"][create[f"{member}.LogicalResourceId"]]["Metadata"][
                "gate:identifier"
            ]
            sent_identifier = {
                create[f"{member}.ResourceIdentifier.entry.1.key"]: create[f"{member}.ResourceIdentifier.entry.1.value"]
            }
            assert sent_identifier == identifier
        assert (workdir / "p" / "template.yaml").read_text() == template_text

        # the merge side: the reviewed IMPORT change set, by the anchored plan, behind the data-loss guard
        assert main(["apply", *anchored(workdir / "p" / "gate-plan.json"), "--actor", "ivy"]) == 0
        assert _unmanaged(url, prefix, "after") == 0

    out = capsys.readouterr().out
    assert "executing the reviewed change set" in out and "IMPORT_COMPLETE" in out
    finished = audit_records(workdir)[-1]
    assert (finished["kind"], finished["outcome"]) == ("apply-finished", "applied")
    assert scenario.actions().count("ExecuteChangeSet") == 1
    assert scenario.actions().count("CreateChangeSet") == 1  # apply executed the reviewed one, made no other

    # a later change request on the adopted stack is a delta: what was imported stays exactly as deployed
    deployed = Deployed(stack, "us-east-1", template_text, {}, "IMPORT_COMPLETE")
    assert local.spec is not None
    later = ChangeSpec(summary="add an audit queue", resources=[*local.spec.resources, SqsQueue(name="audit-events")])
    merged = cfn_yaml.load(synthesise(later, "us-east-1", ("cloudformation",), deployed).files[0].content, "t")
    for logical, body in local.template["Resources"].items():
        assert merged["Resources"][logical] == body, logical
    assert "AuditEventsQueue" in merged["Resources"]


def test_apply_refuses_when_the_reviewed_import_change_set_is_gone(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    """A deleted or expired IMPORT change set is never re-created from the template: that would be a CREATE of
    resources that already exist. apply refuses, names the fix, records apply-refused and changes nothing."""
    prefix, stack = unique("gone"), unique("gone-stack")
    make_estate(moto, prefix)
    ids = _ids(stack)
    missing = validation_error(f"Stack with id {stack} does not exist")
    plan_phase = Phase(
        trigger="CreateChangeSet",
        replies={
            "ListStacks": [_listing("ListStacks", "stacks", [])],
            "DescribeStacks": [missing],
            "CreateChangeSet": [xml("CreateChangeSet", **ids)],
        },
    )
    apply_phase = Phase(replies={})
    scenario = Scenario(passthrough=moto.endpoint_url, phases=[plan_phase, apply_phase])
    with serve(scenario) as url:
        text = f"stack_name: {stack}\naws: {{endpoint_url: '{url}'}}\nchecks: {{enabled: [], allow_no_checks: true}}\n"
        text += "cost: {enabled: false}\ndeploy: {poll_seconds: 0.01, bake_minutes: 0, stack_timeout_minutes: 0.2}\n"
        (workdir / ".gate.yml").write_text(text)
        from gate.importer import build, registry

        target = AwsTarget(region="us-east-1", endpoint_url=url)
        local = build.build(build.discover(target, registry.READERS, build.Selection(name_prefix=prefix)), "us-east-1")
        changes = "".join(xml("ImportChange", **r).body for r in _rows(local.template))
        described = Template((RECORDED / "DescribeChangeSetImport.xml").read_text()).safe_substitute(
            {**ids, "changes": changes}
        )
        apply_phase.replies["DescribeChangeSet"] = [Reply(described)]  # the plan waits for it after creating it
        assert main(["import", "--endpoint-url", url, "--name-prefix", prefix, "--stack", stack, "--out", "p"]) == 0
        plan = GatePlan.model_validate_json((workdir / "p" / "gate-plan.json").read_text())
        assert (plan.change_set_type, plan.change_set_id) == ("IMPORT", ids["change_set_id"])

        # between review and merge the change set expired: AWS answers ChangeSetNotFound for it
        apply_phase.replies.update(
            {
                "DescribeStacks": [xml("DescribeStacks", **ids, status="REVIEW_IN_PROGRESS", reason="")],
                "GetTemplate": [xml("GetTemplate", body=cfn_yaml.dump(local.template))],
                "DescribeChangeSet": [Reply(xml("ChangeSetNotFound", **ids).body, status=404)],
            }
        )
        assert main(["apply", *anchored(workdir / "p" / "gate-plan.json"), "--actor", "ivy"]) == 2

    captured = capsys.readouterr()
    assert "the reviewed change set is gone (deleted or expired)" in captured.out
    assert f"run 'devops-gate import --stack {stack}' again and review it" in captured.err
    assert "would try to create resources that already exist" in captured.err
    refused = [r for r in audit_records(workdir) if r["kind"] == "apply-refused"]
    assert len(refused) == 1 and refused[0]["import_plan"] is True and refused[0]["stack_name"] == stack
    assert "is gone (deleted or expired)" in refused[0]["reason"]
    assert "apply-started" not in [r["kind"] for r in audit_records(workdir)]
    assert scenario.actions().count("CreateChangeSet") == 1  # the plan's; apply made none
    assert "ExecuteChangeSet" not in scenario.actions()
