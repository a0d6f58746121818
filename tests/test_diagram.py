"""The change diagram: Mermaid golden files for three plans (generated VPC+RDS+Lambda, a hand-written template, a
change set with Add/Modify/Replace/Remove against moto), and a structural check (no mmdc) that every resource
and every reference is drawn."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.config import GateConfig
from gate.iac import bundle_sha256, load_paths, make_file, resource_rows
from gate.intake.local import from_text
from gate.models import ChangeContext, GatePlan, IaCBundle, Verdict
from gate.pipeline import Run, gate_bundle, plan_request
from gate.publish.comment import fit
from gate.report.comment import render_comment
from gate.report.diagram import graph, mermaid
from gate.terraform.plan_input import plan_file
from tests.conftest import FIXTURES, GOLDEN
from tests.deploy_support import anchored, plan, unique, write_config
from tests.helpers import assert_golden

TODAY = dt.date(2026, 11, 25)
VPC_RDS_LAMBDA = (
    "Create a VPC named core with two private subnets, a Postgres database named orders in the VPC, and a Lambda "
    "function named ingest in the VPC that reads from the database, triggered by an SQS queue named jobs"
)
_NODE = re.compile(r"^\s*(r_\w+)(?:\[|\(|\{)", re.M)
_SUBGRAPH = re.compile(r"^\s*subgraph (r_\w+)\[", re.M)
_EDGE = re.compile(r"^\s*(r_\w+) -->(?:\|\"[^\"]*\"\|)? (r_\w+)$", re.M)
_CLASS = re.compile(r"^\s*class ([\w,]+) (\w+)$", re.M)


def parse(source: str) -> tuple[set[str], set[str], set[tuple[str, str]], dict[str, str]]:
    """nodes, subgraphs, edges and each node's status class, read from the flowchart text."""
    status = {node: cls for members, cls in _CLASS.findall(source) for node in members.split(",")}
    return set(_NODE.findall(source)), set(_SUBGRAPH.findall(source)), set(_EDGE.findall(source)), status


def generated_plan() -> GatePlan:
    return plan_request(from_text(VPC_RDS_LAMBDA), Run(config=GateConfig(), context=ChangeContext(), today=TODAY))


def hand_written_plan(*paths: str) -> GatePlan:
    bundle = load_paths([str(FIXTURES / "diagram" / p) for p in paths])
    return gate_bundle(bundle, Run(config=GateConfig(), context=ChangeContext(), today=TODAY))


def assert_everything_drawn(p: GatePlan) -> None:
    rows, _ = graph.drawn_rows(p)
    g = graph.build(p)
    nodes, subgraphs, edges, _ = parse(mermaid.render(g))
    ids = {n.logical_id: n.id for n in g.nodes} | {c.logical_id: c.id for c in g.containers}
    parents = {n.id: n.parent for n in g.nodes} | {c.id: c.parent for c in g.containers}
    assert set(ids.values()) == nodes | subgraphs, "every resource is a node or a container, nothing else"
    for row in rows:
        assert ids[row.logical_id] in (nodes | subgraphs), row.logical_id
        for dep in row.depends_on:
            source, target = ids[row.logical_id], ids[dep]
            chain, current = set(), parents.get(source)
            while current:
                chain.add(current)
                current = parents.get(current)
            assert (source, target) in edges or target in chain, f"{row.logical_id} -> {dep} is not drawn"


def test_generated_vpc_rds_lambda(update_golden: bool) -> None:
    p = generated_plan()
    source = mermaid.render(graph.build(p))
    assert_golden(source, GOLDEN / "diagram-generated-vpc-rds-lambda.mmd", update_golden)
    assert_everything_drawn(p)
    nodes, subgraphs, edges, status = parse(source)
    assert {"r_CoreVpc", "r_CorePrivateSubnet1", "r_CorePrivateSubnet2"} <= subgraphs
    assert ("r_IngestFunction", "r_IngestFunctionRole") in edges, "the role the function assumes"
    assert ("r_IngestFunctionQueue1Mapping", "r_JobsQueue") in edges, "the function's trigger queue"
    assert '-->|"assumes"| r_IngestFunctionRole' in source
    assert all(status[n] == "add" for n in nodes), "no change set: everything is proposed"
    assert "proposed (no change set)" in source
    # the VPC holds the database and the function; the drawing is of template.yaml only, not main.tf twice
    assert re.search(r"subgraph r_CoreVpc\[.*?r_OrdersDatabase\[\(.*?^  end$", source, re.S | re.M)
    assert "aws_" not in source


def test_hand_written_template(update_golden: bool) -> None:
    p = hand_written_plan("app.yaml")
    source = mermaid.render(graph.build(p))
    assert_golden(source, GOLDEN / "diagram-hand-written.mmd", update_golden)
    assert_everything_drawn(p)
    _, subgraphs, edges, _ = parse(source)
    assert {"r_Network", "r_AppSubnetA", "r_AppSubnetB"} <= subgraphs
    assert ("r_Worker", "r_ReportsBucket") in edges, "the bucket it reads"
    assert ("r_WorkerTrigger", "r_JobsQueue") in edges and ("r_WorkerTrigger", "r_Worker") in edges
    # the instance sits in the one subnet it names; the function spans two, so it sits in the VPC
    assert re.search(r"subgraph r_AppSubnetA\[[^\n]*\n\s*r_Bastion\(", source)
    assert ("r_Worker", "r_AppSubnetA") in edges and ("r_Worker", "r_AppSubnetB") in edges


def test_hand_written_terraform_from_references() -> None:
    p = hand_written_plan("app.tf")
    assert_everything_drawn(p)
    source = mermaid.render(graph.build(p))
    _, subgraphs, edges, _ = parse(source)
    assert {"r_aws_vpc_network", "r_aws_subnet_app_a"} <= subgraphs
    assert ("r_aws_lambda_function_worker", "r_aws_iam_role_worker") in edges
    assert ("r_aws_lambda_event_source_mapping_worker", "r_aws_sqs_queue_jobs") in edges


def test_plan_json_rows_carry_the_configurations_references(update_golden: bool) -> None:
    """A gated plan JSON (check plan.json) draws the references of the plan's configuration, module ones too."""
    bundle = IaCBundle(origin="hand-written", files=(plan_file(str(FIXTURES / "terraform-plans" / "module.json")),))
    p = gate_bundle(bundle, Run(config=GateConfig(), context=ChangeContext(), today=TODAY))
    rows = {r.logical_id: r.depends_on for r in p.resources}
    assert rows["module.storage.aws_s3_bucket_versioning.this"] == ("module.storage.aws_s3_bucket.this",)
    assert rows["module.storage.aws_sqs_queue.events"] == ()
    source = mermaid.render(graph.build(p))
    assert_golden(source, GOLDEN / "diagram-terraform-plan-module.mmd", update_golden)
    assert_everything_drawn(p)
    _, _, edges, _ = parse(source)
    assert ("r_module_storage_aws_s3_bucket_versioning_this", "r_module_storage_aws_s3_bucket_this") in edges


def _app_v1(bucket: str) -> str:
    return f"""AWSTemplateFormatVersion: '2010-09-09'
Resources:
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: {bucket}
  WorkQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
  OldQueue:
    Type: AWS::SQS::Queue
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: 'sts:AssumeRole'}}
      Policies:
        - PolicyName: work
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {{Effect: Allow, Action: 'sqs:ReceiveMessage', Resource: !GetAtt WorkQueue.Arn}}
  AuditLog:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 30
"""


def _app_v2(bucket: str) -> str:
    v2 = _app_v1(bucket).replace("VisibilityTimeout: 30", "VisibilityTimeout: 120")
    v2 = v2.replace("  OldQueue:\n    Type: AWS::SQS::Queue\n", "")
    return v2 + "  AlertTopic:\n    Type: AWS::SNS::Topic\n"


@pytest.mark.moto
def test_change_set_with_remove_and_replace(
    workdir: Path, moto: AwsTarget, aws_credentials: None, update_golden: bool
) -> None:
    stack = unique("diagram")
    config = write_config(workdir, moto, stack)
    _, path = plan(workdir, moto, config, _app_v1(unique("diagram-old")), "v1")
    assert main(["apply", *anchored(path)]) == 0
    p, _ = plan(workdir, moto, config, _app_v2(unique("diagram-new")), "v2", allow=("DataBucket",))
    actions = {c.logical_id: (c.action, c.replacement) for c in p.changes}
    assert actions["OldQueue"][0] == "Remove" and actions["DataBucket"] == ("Modify", "True")
    source = mermaid.render(graph.build(p))
    assert_golden(source, GOLDEN / "diagram-change-set.mmd", update_golden)
    nodes, _, edges, status = parse(source)
    assert status["r_OldQueue"] == "remove" and status["r_DataBucket"] == "replace"
    assert status["r_WorkQueue"] == "modify" and status["r_AlertTopic"] == "add"
    assert status["r_WorkerRole"] == "unchanged", "an unchanged neighbour of a change is drawn, greyed"
    assert ("r_WorkerRole", "r_WorkQueue") in edges
    assert "r_AuditLog" not in nodes, "an unchanged resource that touches no change is not drawn"
    for word in ("added", "modified", "replaced", "removed", "unchanged"):
        assert f'{word}"]' in source, f"legend: {word}"
    comment = render_comment(p)
    assert "### Change diagram" in comment and "1 unchanged ones not drawn" in comment


def test_labels_cannot_break_out_of_the_diagram() -> None:
    hostile = 'x"]\n```\n<img src=x onerror=alert(1)> %%{init: {}}%% click r_A call alert()'
    encoded = mermaid.text(hostile)
    for bad in ('"', "\n", "`", "<", ">", "%", "{", "]"):
        assert bad not in encoded
    assert mermaid.text("aws_s3_bucket.a-b") == "aws_s3_bucket.a-b"


def _plan_of(template: str) -> GatePlan:
    """A plan of ``template`` without running the checks (the diagram reads only resources and changes)."""
    bundle = IaCBundle(origin="hand-written", files=(make_file("big.yaml", "cloudformation", template),))
    return GatePlan(
        gate_version="test",
        created_at="2026-11-25T00:00:00+00:00",
        context=ChangeContext(),
        iac=bundle,
        bundle_sha256=bundle_sha256(bundle),
        region="us-east-1",
        resources=tuple(resource_rows(bundle)),
        checks=(),
        verdict=Verdict(decision="pass"),
    )


def test_large_plans_are_collapsed_and_fall_back_to_a_line() -> None:
    queues = "".join(f"  Queue{i}:\n    Type: AWS::SQS::Queue\n" for i in range(60))
    roles = "".join(
        f"  Role{i}:\n    Type: AWS::IAM::Role\n    Properties:\n      Path: !GetAtt Queue{i}.Arn\n" for i in range(60)
    )
    big = _plan_of(f"Resources:\n{queues}{roles}")
    g = graph.build(big)
    assert g.collapsed and len(g.nodes) == 2
    assert {n.logical_id for n in g.nodes} == {"60 \u00d7 SQS queue", "60 \u00d7 IAM role"}
    assert [e.label for e in g.edges] == ["grants access"]
    comment = render_comment(big)
    assert "resources of one type and place drawn as one box" in comment
    assert "<details><summary>Diagram</summary>" in comment, "collapsed under <details> when large"
    # past the budget the diagram is replaced by one line saying where to see it
    distinct = "".join(f"  R{i}:\n    Type: AWS::Custom{i}::Thing{i}\n" for i in range(500))
    assert "too large for a PR comment" in render_comment(_plan_of(f"Resources:\n{distinct}"))
    # and the comment fitter drops the diagram section (before findings) when the comment is too long
    # (the resources table is collapsed under <details> in the findings-first layout, so the diagram goes first)
    shrunk = fit(comment, limit=len(comment) - 10)
    assert "Change diagram: left out to stay under GitHub's comment limit" in shrunk
    assert "### Checks" in shrunk, "only what had to go went"
