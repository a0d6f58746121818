"""`devops-gate check DIR --changed-only`: gate what differs from the base ref (and what it brings along), list
the rest as unchanged. Real git repositories in a temporary folder; the checks the files do not need are off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate import changed
from gate.cli import main
from gate.iac import load_paths
from tests.test_check_cli import INSTANCE, git

PARENT = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./nested/child.yaml
"""
MODULE_CALL = 'module "net" {\n  source = "../../modules/net"\n}\n'
MODULE = 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'


@pytest.fixture
def repo(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """stacks/: three instance templates, a parent with a nested stack; envs/prod calls modules/net. Committed."""
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    (workdir / ".gate.yml").write_text("checks: {enabled: [policies]}\ncost: {enabled: false}\n")
    stacks = workdir / "stacks"
    (stacks / "nested").mkdir(parents=True)
    for n in range(3):
        (stacks / f"web{n}.yaml").write_text(INSTANCE.format(name=f"Web{n}", size="t3.small"))
    (stacks / "parent.yaml").write_text(PARENT)
    (stacks / "nested" / "child.yaml").write_text(INSTANCE.format(name="Child", size="t3.micro"))
    (workdir / "envs" / "prod").mkdir(parents=True)
    (workdir / "envs" / "prod" / "main.tf").write_text(MODULE_CALL)
    (workdir / "modules" / "net").mkdir(parents=True)
    (workdir / "modules" / "net" / "main.tf").write_text(MODULE)
    git(workdir, "init", "-q", "-b", "main")
    git(workdir, "add", ".")
    git(workdir, "commit", "-q", "-m", "base")
    return workdir


def _narrowed(repo: Path, *paths: str) -> changed.Narrowed:
    commit = git(repo, "rev-parse", "HEAD")
    bundle = load_paths(list(paths))
    return changed.narrow(bundle, changed.changed_files(repo.resolve(), commit, list(paths)))


def test_one_changed_template_is_gated_and_the_others_are_unchanged(repo: Path) -> None:
    (repo / "stacks" / "web1.yaml").write_text(INSTANCE.format(name="Web1", size="t3.large"))
    got = _narrowed(repo, "stacks")
    assert got.gated == ("stacks/web1.yaml",)
    assert set(got.unchanged) == {
        "stacks/web0.yaml",
        "stacks/web2.yaml",
        "stacks/parent.yaml",
        "stacks/nested/child.yaml",
    }


def test_a_changed_parent_brings_its_nested_stack(repo: Path) -> None:
    (repo / "stacks" / "parent.yaml").write_text(PARENT + "# reviewed\n")
    assert set(_narrowed(repo, "stacks").gated) == {"stacks/parent.yaml", "stacks/nested/child.yaml"}


def test_an_untracked_new_template_counts_as_changed(repo: Path) -> None:
    (repo / "stacks" / "new.yaml").write_text(INSTANCE.format(name="New", size="t3.nano"))
    assert _narrowed(repo, "stacks").gated == ("stacks/new.yaml",)


def test_a_changed_module_gates_the_root_that_calls_it(repo: Path) -> None:
    (repo / "modules" / "net" / "main.tf").write_text(MODULE.replace('"q"\n', '"q2"\n'))
    got = _narrowed(repo, "envs/prod", "stacks")
    assert set(got.gated) == {"envs/prod/main.tf", "modules/net/main.tf"}
    assert got.bundle is not None and [p.dir for p in got.bundle.projects] == ["envs/prod"]


def test_nothing_changed_gates_nothing(repo: Path) -> None:
    got = _narrowed(repo, "stacks")
    assert got.bundle is None and got.gated == () and len(got.unchanged) == 5


def test_the_cli_gates_the_changed_file_and_lists_the_rest(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "stacks" / "web2.yaml").write_text(INSTANCE.format(name="Web2", size="t3.large"))
    # its findings were there at the base ref too, so they are shown and do not block (thresholds.new_findings_only)
    assert main(["check", "stacks", "--changed-only", "--base-ref", "HEAD", "--out", "o"]) == 0
    plan = json.loads((repo / "o" / "gate-plan.json").read_text())
    findings = [f for report in plan["checks"] for f in report["findings"]]
    assert findings and all("already on the base branch" in (f.get("waived") or "") for f in findings)
    assert [f["path"] for f in plan["iac"]["files"]] == ["stacks/web2.yaml"]
    assert len(plan["unchanged"]) == 4
    assert "changed-only" in plan["timings"] and "checks.policies" in plan["timings"]
    assert "unchanged since the base, not gated: 4 file(s)" in capsys.readouterr().out


def test_changed_only_without_a_base_exits_2(repo: Path) -> None:
    assert main(["check", "stacks", "--changed-only", "--out", "o"]) == 2
