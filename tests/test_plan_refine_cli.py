"""`devops-gate plan --previous gate-plan.json --request TEXT`: the PR's '/gate plan <text>' refinement from the
command line. The same step reads it (the spec equals the PR flow's), a refinement that changes nothing keeps
the reviewed plan byte for byte, assumptions are recomputed, and a bad --previous is a usage error (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from gate.cli import main
from gate.config import load_config
from gate.models import ChangeContext, ChangeRequest
from gate.pipeline import Run, plan_request
from tests.conftest import ROOT

CONFIG = "checks:\n  enabled: [cfn-lint, policies, secrets]\n"  # the checks a refinement changes; checkov is slow
BUCKET = "Create an S3 bucket named acme-refine-cli with versioning"


@pytest.fixture
def gated(workdir: Path) -> Path:
    (workdir / ".gate.yml").write_text(CONFIG)
    return workdir


def _plan(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text())
    return data


def _spec(plan: dict[str, object]) -> dict[str, object]:
    spec = plan["spec"]
    assert isinstance(spec, dict)
    return spec


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_refinement_that_adds_a_resource_end_to_end_is_the_pr_refinement(gated: Path) -> None:
    assert main(["plan", "--request", BUCKET, "--out", "first"]) == 0
    refinement = "also add an SQS queue named acme-refine-jobs"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    done = subprocess.run(
        [sys.executable, "-m", "gate.cli", "plan", "--previous", "first/gate-plan.json", "--request", refinement,
         "--out", "second"],
        capture_output=True, text=True, env=env, cwd=gated, timeout=300,
    )  # fmt: skip
    refined = _plan(gated / "second" / "gate-plan.json")
    decision = refined["verdict"]["decision"]  # type: ignore[index]
    assert done.returncode == {"pass": 0, "needs-approval": 1, "blocked": 1}[decision], done.stderr
    assert "plan sha256:" in done.stdout
    jsonschema.Draft202012Validator(json.loads((ROOT / "schema" / "gate-plan.schema.json").read_text())).validate(
        refined
    )
    assert refined["request"] == {"text": BUCKET, "origin": "cli", "refinements": [refinement]}
    spec = _spec(refined)
    assert [(r["kind"], r["name"]) for r in spec["resources"]] == [  # type: ignore[attr-defined]
        ("s3_bucket", "acme-refine-cli"),
        ("sqs_queue", "acme-refine-jobs"),
    ]
    assert "AWS::SQS::Queue" in (gated / "second" / "template.yaml").read_text()
    # the PR flow: the body's request, then the '/gate plan <text>' comment, read by request_spec.build
    config, _ = load_config(None)
    pr = plan_request(
        ChangeRequest(text=BUCKET, origin="cli", refinements=(refinement,)), Run(config=config, context=ChangeContext())
    )
    assert pr.spec is not None
    assert spec["resources"] == pr.spec.model_dump(mode="json")["resources"]
    assert spec["assumptions"] == pr.spec.model_dump(mode="json")["assumptions"]
    assert refined["verdict"] == pr.verdict.model_dump(mode="json")
    # the first plan is untouched: the refinement went to --out
    assert _spec(_plan(gated / "first" / "gate-plan.json"))["resources"] != spec["resources"]


def test_a_refinement_that_changes_nothing_keeps_the_reviewed_plan(
    gated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "--request", "Create an S3 bucket named acme-refine-same with versioning", "--out", "o"]) == 0
    before = _outputs(gated / "o")
    first = capsys.readouterr().out
    sha = next(line for line in first.splitlines() if line.startswith("plan sha256:"))
    code = main(
        ["plan", "--previous", "o/gate-plan.json", "--request", "enable versioning on the bucket", "--out", "o"]
    )
    out = capsys.readouterr().out
    assert code == 0, "the exit code is the reviewed plan's verdict"
    assert "no change" in out and "kept as it was" in out and sha in out
    assert _outputs(gated / "o") == before, "no output file is rewritten"


def test_a_no_change_answer_keeps_a_needs_approval_verdict(gated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 'frobnicate' is not understood: the plan needs approval, and a refinement that changes nothing keeps that
    assert main(["plan", "--request", "Create an SQS queue named acme-frob and frobnicate it", "--out", "o"]) == 1
    before = _outputs(gated / "o")
    assert main(["plan", "--previous", "o/gate-plan.json", "--request", "an SQS queue named acme-frob"]) == 1
    assert "no change" in capsys.readouterr().out
    assert _outputs(gated / "o") == before


def test_assumptions_are_recomputed_never_carried_stale(gated: Path) -> None:
    assert main(["plan", "--request", "Create an SQS queue named jobs; retry each message 5 times", "--out", "a"]) == 0
    said = [a for a in _spec(_plan(gated / "a" / "gate-plan.json"))["assumptions"] if a["resource"] == "jobs"]  # type: ignore[attr-defined]
    assert [a["value"] for a in said if a["field"] == "dead_letter"] == ["after 5 receives"]
    main(["plan", "--previous", "a/gate-plan.json", "--request", "retry each message 4 times", "--out", "b"])
    spec = _spec(_plan(gated / "b" / "gate-plan.json"))
    (queue,) = spec["resources"]  # type: ignore[misc]
    assert queue["dead_letter"]["max_receive_count"] == 4
    notes = [(a["field"], a["value"]) for a in spec["assumptions"] if a["resource"] == "jobs"]  # type: ignore[attr-defined]
    assert ("dead_letter", "after 5 receives") not in notes, notes
    assert ("dead_letter", "after 4 receives") in notes and ("refined", "dead_letter") in notes
    assert "5" not in json.dumps([r for r in spec["readings"] if r["resource"] == "jobs"])  # type: ignore[attr-defined]
    assert "maxReceiveCount: 4" in (gated / "b" / "template.yaml").read_text()


def test_a_default_the_refinement_replaces_is_no_longer_assumed(gated: Path) -> None:
    assert main(["plan", "--request", "Launch an EC2 instance named web", "--out", "a"]) in (0, 1)
    before = {a["field"] for a in _spec(_plan(gated / "a" / "gate-plan.json"))["assumptions"]}  # type: ignore[attr-defined]
    assert "instance_type" in before
    main(["plan", "--previous", "a/gate-plan.json", "--request", "make it t3.large instead", "--out", "b"])
    spec = _spec(_plan(gated / "b" / "gate-plan.json"))
    fields = [a["field"] for a in spec["assumptions"]]  # type: ignore[attr-defined]
    assert "instance_type" not in fields and "ami" in fields, "only what the refinement changed is recomputed"
    assert "not-understood" not in fields, "'instead' is read as a refinement word"


def test_a_bad_previous_is_a_usage_error(gated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--previous", "nowhere/gate-plan.json", "--request", "make it bigger"]) == 2
    assert "--previous" in capsys.readouterr().err
    (gated / "other.json").write_text('{"hello": "world"}')
    assert main(["plan", "--previous", "other.json", "--request", "make it bigger"]) == 2
    assert "is not a valid gate-plan.json" in capsys.readouterr().err

    assert main(["plan", "--request", BUCKET, "--out", "o"]) == 0
    plan = _plan(gated / "o" / "gate-plan.json")
    files = plan["iac"]["files"]  # type: ignore[index]
    files[0]["content"] = files[0]["content"].replace("acme-refine-cli", "acme-refine-evil")
    (gated / "edited.json").write_text(json.dumps(plan))
    capsys.readouterr()
    assert main(["plan", "--previous", "edited.json", "--request", "also enable versioning"]) == 2
    assert "does not match its recorded sha256" in capsys.readouterr().err

    plan = _plan(gated / "o" / "gate-plan.json")
    plan["spec"]["resources"][0]["block_public_access"] = False  # type: ignore[index]
    (gated / "spec-edited.json").write_text(json.dumps(plan))
    assert main(["plan", "--previous", "spec-edited.json", "--request", "also enable versioning"]) == 2
    assert "spec does not match" in capsys.readouterr().err

    template = gated / "t.yaml"
    template.write_text((gated / "o" / "template.yaml").read_text())
    assert main(["check", str(template), "--out", "hand"]) in (0, 1)
    capsys.readouterr()
    assert main(["plan", "--previous", "hand/gate-plan.json", "--request", "also enable versioning"]) == 2
    assert "not of a change request" in capsys.readouterr().err
    assert main(["plan", "--previous", "o/gate-plan.json", "--event", "event.json"]) == 2
    assert "not --event" in capsys.readouterr().err


def test_help_documents_previous(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    out = capsys.readouterr().out
    assert "--previous GATE_PLAN" in out and "no change" in out
    assert "--previous gate-out/gate-plan.json" in (ROOT / "README.md").read_text()


def test_a_refinement_the_gate_cannot_read_is_an_error_and_keeps_the_plan(
    gated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "--request", BUCKET, "--out", "o"]) == 0
    before = _outputs(gated / "o")
    assert main(["plan", "--previous", "o/gate-plan.json", "--request", "frobnicate it", "--out", "o"]) == 2
    assert "could not place 'frobnicate'" in capsys.readouterr().err
    assert _outputs(gated / "o") == before
