"""Cost in the gate: `.gate.yml` thresholds -> verdict, the `cost` command, gate-plan.json and the comment."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.config import GateConfig, parse_config
from gate.cost.git_base import GitBase
from gate.decide import decide
from gate.errors import GateError
from gate.iac import load_paths, make_file
from gate.models import ChangeContext, GatePlan
from gate.pipeline import Run, gate_bundle
from gate.report.comment import render_comment
from tests.conftest import FIXTURES, GOLDEN, ROOT
from tests.helpers import assert_golden
from tests.test_check_cli import INSTANCE, git

TODAY = dt.date(2026, 11, 25)
NO_CHECKS = {"enabled": [], "allow_no_checks": True}  # these tests are about cost
COST = FIXTURES / "cost"


def _plan(config: GateConfig) -> GatePlan:
    return gate_bundle(load_paths(["web-stack.yaml"]), Run(config, ChangeContext(), today=TODAY))


@pytest.fixture
def in_cost_dir(workdir: Path) -> Path:
    for name in ("web-stack.yaml", "usage.yml"):
        shutil.copy(COST / name, workdir / name)
    return workdir


def test_cost_section_of_gate_yml_is_validated() -> None:
    config = parse_config(
        "cost:\n  usage_file: usage.yml\n  thresholds:\n    monthly_delta_usd: {limit: 100, action: block}\n"
        "    percent_increase: {limit: 20}\n",
        ".gate.yml",
    )
    assert config.cost.thresholds.monthly_delta_usd is not None
    assert config.cost.thresholds.monthly_delta_usd.action == "block"
    assert config.cost.thresholds.percent_increase is not None
    assert config.cost.thresholds.percent_increase.action == "approval"
    assert config.cost.thresholds.monthly_total_usd is None
    with pytest.raises(GateError, match=r"cost\.thresholds\.monthly_total_usd\.action"):
        parse_config("cost: {thresholds: {monthly_total_usd: {limit: 5, action: warn}}}\n", ".gate.yml")
    with pytest.raises(GateError, match=r"cost\.thresholds\.monthly_delta_usd\.limit"):
        parse_config("cost: {thresholds: {monthly_delta_usd: {limit: -1}}}\n", ".gate.yml")


def test_plan_carries_the_cost_and_thresholds_decide(in_cost_dir: Path) -> None:
    config = GateConfig.model_validate(
        {
            "checks": NO_CHECKS,
            "cost": {
                "usage_file": "usage.yml",
                "thresholds": {
                    "monthly_delta_usd": {"limit": 500, "action": "approval"},
                    "monthly_total_usd": {"limit": 600, "action": "block"},
                },
            },
        }
    )
    plan = _plan(config)
    assert plan.cost is not None and plan.cost.source == "estimator"
    assert plan.cost.monthly_after > 600
    assert plan.verdict.decision == "blocked"
    assert any("over the 600.00 USD limit" in r for r in plan.verdict.reasons)
    assert any("rises by" in r and "over the 500.00 USD limit" in r for r in plan.verdict.reasons)
    assert any("could not be priced (Events, Search)" in r for r in plan.verdict.reasons)
    # the contract holds it, and it validates against the model again
    again = GatePlan.model_validate_json(plan.model_dump_json())
    assert again.cost == plan.cost

    lenient = config.model_copy(
        update={"cost": config.cost.model_copy(update={"thresholds": GateConfig().cost.thresholds})}
    )
    assert decide([], lenient, TODAY, cost=plan.cost).decision == "pass", "no thresholds: cost never blocks"
    approval_only = GateConfig.model_validate(
        {"cost": {"usage_file": "usage.yml", "thresholds": {"monthly_total_usd": {"limit": 10000}}}}
    )
    verdict = decide([], approval_only, TODAY, cost=plan.cost)
    assert verdict.decision == "needs-approval"  # only because two resources could not be priced


def test_percent_threshold_needs_a_priced_base(in_cost_dir: Path) -> None:
    config = GateConfig.model_validate({"cost": {"thresholds": {"percent_increase": {"limit": 1, "action": "block"}}}})
    plan = _plan(config.model_copy(update={"checks": config.checks.model_copy(update={"enabled": ()})}))
    assert plan.cost is not None and plan.cost.percent_change is None  # new stack: no base
    assert not any("%" in r for r in plan.verdict.reasons)


def test_cost_can_be_turned_off(in_cost_dir: Path) -> None:
    plan = _plan(GateConfig.model_validate({"checks": NO_CHECKS, "cost": {"enabled": False}}))
    assert plan.cost is None and "Cost:" not in render_comment(plan)


def test_comment_cost_section_golden(in_cost_dir: Path, update_golden: bool) -> None:
    config = GateConfig.model_validate({"checks": NO_CHECKS, "cost": {"usage_file": "usage.yml"}})
    comment = render_comment(_plan(config))
    start = comment.index("<details><summary><b>💰 Cost</b>")  # collapsed, with the totals in its heading
    end = min(i for i in (comment.find(m, start) for m in ("### Assumptions", "### Checks")) if i > 0)
    section = comment[start:end]
    assert "| `Events` | `AWS::SNS::Topic` | - | not estimated | not estimated |" in section, "never shown as $0"
    assert_golden(section, GOLDEN / "cost-web-stack.md", update_golden)


def test_cost_command_prints_the_table_and_exits_on_thresholds(
    in_cost_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cost", "web-stack.yaml", "--usage-file", "usage.yml"]) == 0
    out = capsys.readouterr().out
    assert "Web" in out and "$80.08" in out and "not estimated" in out and "Ways to spend less" in out
    (in_cost_dir / ".gate.yml").write_text("cost:\n  thresholds:\n    monthly_total_usd: {limit: 100, action: block}\n")
    assert main(["cost", "web-stack.yaml", "--usage-file", "usage.yml"]) == 1
    assert "BLOCKED: monthly cost after the change is" in capsys.readouterr().out
    assert main(["cost", "web-stack.yaml", "--json", "--region", "eu-west-1"]) == 1
    report = json.loads(capsys.readouterr().out.split("\ndevops-gate:")[0])
    assert report["region"] == "eu-west-1" and report["price_table_date"] == "2025-01-15"


def test_cost_command_refuses_a_bad_usage_file(in_cost_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_cost_dir / "bad.yml").write_text("resource_usage:\n  Web: {monthly_hrs: -3}\n")
    assert main(["cost", "web-stack.yaml", "--usage-file", "bad.yml"]) == 2
    assert "resource_usage.Web.monthly_hrs' must be a number >= 0" in capsys.readouterr().err


@pytest.mark.moto
def test_plan_against_a_deployed_stack_compares_with_its_template(moto: AwsTarget, workdir: Path) -> None:
    stack = f"cost-plan-{uuid.uuid4().hex[:8]}"
    key = {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": []}}}
    v1 = yaml.safe_dump({"Resources": {"Key": key, "Ip": {"Type": "AWS::EC2::EIP"}}})
    moto.client("cloudformation").create_stack(StackName=stack, TemplateBody=v1)
    v2 = yaml.safe_dump({"Resources": {"Key": key, "Secret": {"Type": "AWS::SecretsManager::Secret"}}})
    (workdir / "v2.yaml").write_text(v2)
    config = GateConfig.model_validate({"stack_name": stack, "checks": NO_CHECKS})
    plan = gate_bundle(load_paths(["v2.yaml"]), Run(config, ChangeContext(), target=moto, today=TODAY))
    assert plan.cost is not None and plan.cost.base == f"deployed stack {stack}"
    changes = {line.logical_id: line.change for line in plan.cost.lines}
    assert changes == {"Key": "same", "Secret": "add", "Ip": "remove"}
    assert plan.cost.monthly_before == pytest.approx(1.0 + 3.65)
    assert plan.cost.monthly_after == pytest.approx(1.0 + 0.40)
    assert "1 unchanged resource(s)" in render_comment(plan)


def test_terraform_plan_uses_infracost_when_available(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bindir = workdir / "bin"
    bindir.mkdir()
    (bindir / "infracost").symlink_to(ROOT / "tests" / "fakes" / "infracost")
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("INFRACOST_API_KEY", "ico-test-key")
    shutil.copy(FIXTURES / "infracost" / "main.tf", workdir / "main.tf")
    config = GateConfig.model_validate({"checks": NO_CHECKS})
    plan = gate_bundle(load_paths(["main.tf"]), Run(config, ChangeContext(), today=TODAY))
    assert plan.cost is not None and plan.cost.source == "infracost"
    assert plan.cost.monthly_after == pytest.approx(123.37)
    assert "Priced by infracost" in render_comment(plan)
    monkeypatch.delenv("INFRACOST_API_KEY")
    plan = gate_bundle(load_paths(["main.tf"]), Run(config, ChangeContext(), today=TODAY))
    assert plan.cost is not None and plan.cost.source == "estimator"


def test_a_spec_rendered_in_both_formats_is_priced_once(workdir: Path) -> None:
    from gate.intake.local import from_text
    from gate.pipeline import plan_request

    run = Run(GateConfig.model_validate({"checks": NO_CHECKS}), ChangeContext(), today=TODAY)
    plan = plan_request(from_text("Launch two t3.medium EC2 instances for the search service"), run)
    assert {f.format for f in plan.iac.files} == {"cloudformation", "terraform"}
    assert plan.cost is not None
    assert all(line.type.startswith("AWS::") for line in plan.cost.lines), "no Terraform double count"
    assert plan.cost.monthly_after == pytest.approx(2 * (0.0416 * 730 + 20 * 0.08), abs=0.01)
    assert "not counted twice" in (plan.cost.detail or "")
    tf_only = plan_request(from_text("Launch two t3.medium EC2 instances for the search service"), run,
                           formats=("terraform",))  # fmt: skip
    assert tf_only.cost is not None and tf_only.cost.monthly_after == plan.cost.monthly_after


def _cost_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["cost", *args, "--json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_cost_base_from_github_base_ref_and_a_file_deleted_since(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    infra = workdir / "infra"
    infra.mkdir()
    (infra / "web.yaml").write_text(INSTANCE.format(name="Web", size="t3.small"))
    (infra / "old.yaml").write_text(INSTANCE.format(name="Old", size="t3.micro"))
    (infra / "values.yaml").write_text("replicas: 3\n")  # not CloudFormation: passed over at the base too
    git(workdir, "init", "-q", "-b", "main")
    git(workdir, "add", ".")
    git(workdir, "commit", "-q", "-m", "base")
    git(workdir, "update-ref", "refs/remotes/origin/main", "main")  # what actions/checkout fetch-depth: 0 leaves
    sha = git(workdir, "rev-parse", "main")[:12]
    (infra / "old.yaml").unlink()
    (infra / "web.yaml").write_text(INSTANCE.format(name="Web", size="t3.large"))  # uncommitted: head is the tree
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    report = _cost_json(capsys, "infra")
    assert report["base"] == f"git origin/main at {sha}, from GITHUB_BASE_REF"
    changes = {line["logical_id"]: (line["change"], line["monthly_delta"]) for line in report["lines"]}
    assert changes == {"infra/web.yaml:Web": ("modify", 45.56), "infra/old.yaml:Old": ("remove", -8.39)}
    assert report["monthly_delta"] == pytest.approx(45.56 - 8.39)
    # --base-ref wins over the environment; a base branch that was not fetched leaves the base empty, said why
    assert _cost_json(capsys, "infra", "--base-ref", "HEAD")["base"] == f"git HEAD at {sha}"
    monkeypatch.setenv("GITHUB_BASE_REF", "release")
    empty = _cost_json(capsys, "infra")
    assert empty["base"].startswith("empty: GITHUB_BASE_REF is release but base ref 'origin/release' is not a commit")
    assert "fetch-depth: 0" in empty["base"] and empty["monthly_before"] == 0


def test_base_ref_outside_a_git_repository_is_a_usage_error(
    in_cost_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cost", "web-stack.yaml", "--base-ref", "main"]) == 2
    assert "not in a git repository" in capsys.readouterr().err


@pytest.mark.parametrize("infracost_on", [False, True], ids=["estimator", "infracost"])
def test_terraform_base_from_git(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], infracost_on: bool
) -> None:
    if infracost_on:
        bindir = workdir / "bin"
        bindir.mkdir()
        (bindir / "infracost").symlink_to(ROOT / "tests" / "fakes" / "infracost")
        monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
        monkeypatch.setenv("INFRACOST_API_KEY", "ico-test-key")
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    head = (FIXTURES / "infracost" / "main.tf").read_text()
    nat = head.index('resource "aws_nat_gateway" "main"')
    (workdir / "main.tf").write_text(head[:nat] + head[head.index("resource", nat + 1) :])
    git(workdir, "init", "-q", "-b", "main")
    git(workdir, "add", "main.tf")
    git(workdir, "commit", "-q", "-m", "base")
    (workdir / "main.tf").write_text(head)
    report = _cost_json(capsys, "main.tf", "--base-ref", "main")
    assert report["source"] == ("infracost" if infracost_on else "estimator")
    assert report["base"].startswith("git main at ")
    priced = [line for line in report["lines"] if line["not_estimated"] is None]  # the Glue job is not priced
    changes = {line["logical_id"]: line["change"] for line in priced}
    assert changes.pop("aws_nat_gateway.main") == "add"
    assert changes and set(changes.values()) == {"same"}, changes
    nat_line = next(line for line in report["lines"] if line["logical_id"] == "aws_nat_gateway.main")
    assert report["monthly_delta"] == pytest.approx(nat_line["monthly_after"])


@pytest.mark.moto
def test_a_deployed_stack_wins_over_the_git_base_for_cloudformation(moto: AwsTarget, workdir: Path) -> None:
    stack = f"cost-base-{uuid.uuid4().hex[:8]}"
    moto.client("cloudformation").create_stack(
        StackName=stack, TemplateBody=INSTANCE.format(name="Web", size="t3.small")
    )
    (workdir / "web.yaml").write_text(INSTANCE.format(name="Web", size="t3.large"))
    at_base = make_file("web.yaml", "cloudformation", INSTANCE.format(name="Web", size="t3.medium"))
    config = GateConfig.model_validate({"stack_name": stack, "checks": NO_CHECKS})
    git_base = GitBase("git main at 0123456789ab", (at_base,))
    run = Run(config, ChangeContext(), target=moto, today=TODAY, cost_base=git_base)
    deployed = gate_bundle(load_paths(["web.yaml"]), run).cost
    from_git = gate_bundle(load_paths(["web.yaml"]), Run(config, ChangeContext(), today=TODAY, cost_base=git_base)).cost
    assert deployed is not None and deployed.base == f"deployed stack {stack}"
    assert deployed.monthly_before == pytest.approx(15.98)
    assert from_git is not None and from_git.base == "git main at 0123456789ab"
    assert from_git.monthly_before == pytest.approx(0.0416 * 730 + 0.8, abs=0.01)
    plain = gate_bundle(load_paths(["web.yaml"]), Run(config, ChangeContext(), today=TODAY)).cost
    assert plain is not None and plain.base.startswith("empty"), "no git base unless the run has one"
