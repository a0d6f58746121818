"""The action's metadata, its example workflows and docs/ci.md agree with what ``devops-gate action`` reads.

An input the code reads but action.yml does not declare is never set by the runner; an input the docs or an
example workflow show but action.yml lacks is a warning at best and a silently ignored setting at worst.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
COMPOSITE = yaml.safe_load((ROOT / "composite" / "action.yml").read_text())
EXAMPLES = sorted((ROOT / "examples" / "github").glob("*.yml"))
DOCS = (ROOT / "docs" / "ci.md").read_text()
GATE_ACTION = re.compile(r"^devops-gate/devops-gate(/composite)?@")


def _read_inputs() -> set[str]:
    source = (ROOT / "gate" / "commands" / "action.py").read_text()
    # 'get' is settings_from_inputs' alias of actions.get_input (not dict.get)
    return set(re.findall(r"(?:(?<![.\w])get|actions\.get_input|actions\.get_boolean)\(\s*\"([a-z-]+)\"", source))


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key 'on' as true
    return on if isinstance(on, dict) else {name: None for name in ([on] if isinstance(on, str) else on)}


def _docs_table(heading: str) -> set[str]:
    section = DOCS.split(f"### {heading}\n", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"^\| `([a-z-]+)` \|", section, re.M))


def test_every_input_the_code_reads_is_declared() -> None:
    declared = set(ACTION["inputs"])
    assert _read_inputs() <= declared, _read_inputs() - declared
    # aws-role-arn: the Docker variant documents it (configure credentials in an earlier step); nothing else unused
    assert declared - _read_inputs() == {"aws-role-arn"}


def test_the_composite_variant_has_the_same_inputs_and_passes_them_on() -> None:
    assert set(COMPOSITE["inputs"]) == set(ACTION["inputs"]) | {"version"}
    assert set(COMPOSITE["outputs"]) == set(ACTION["outputs"])
    [gate] = [s for s in COMPOSITE["runs"]["steps"] if s.get("id") == "gate"]
    passed = {name.removeprefix("INPUT_").lower() for name in gate["env"] if name.startswith("INPUT_")}
    assert passed == _read_inputs()
    for name in passed:
        assert gate["env"][f"INPUT_{name.upper()}"] == "${{ inputs." + name + " }}"


def test_the_composite_install_is_explicit_and_fails_loudly() -> None:
    [install] = [s for s in COMPOSITE["runs"]["steps"] if s.get("name") == "Install devops-gate"]
    script = install["run"]
    assert "set -euo pipefail" in script
    assert "||" not in script  # no silent fallback to another source
    assert 'pip install ""' not in script and "builtin_policy_dir" in script
    assert "${{" not in script  # inputs reach the script through env, never spliced into it


def test_the_default_config_input_is_the_default_config_file() -> None:
    from gate.config import DEFAULT_CONFIG_FILE

    assert ACTION["inputs"]["config"]["default"] == DEFAULT_CONFIG_FILE  # config_input treats it as optional


def test_docs_show_exactly_the_declared_inputs_and_outputs() -> None:
    assert _docs_table("Inputs") == set(ACTION["inputs"]) | {"version"}
    assert _docs_table("Outputs") == set(ACTION["outputs"])
    assert "devops-gate/plan" in DOCS and "devops-gate/apply" in DOCS
    for mode in ("update", "on-change", "hide-and-new", "delete-and-new", "new"):
        assert f"`{mode}`" in DOCS


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_workflows_use_only_declared_inputs(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    uses = [s for s in _steps(workflow) if GATE_ACTION.match(str(s.get("uses", "")))]
    assert uses, f"{path.name} does not run the gate"
    for step in uses:
        assert set(step.get("with") or {}) <= set(ACTION["inputs"]), step.get("with")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_workflows_never_check_out_the_pr_head(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    for step in _steps(workflow):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            ref = str((step.get("with") or {}).get("ref", ""))
            assert "head" not in ref and "merge" not in ref, f"{path.name} checks out {ref}"
            assert (step.get("with") or {}).get("persist-credentials") is False
        assert not str(step.get("uses", "")).startswith("./"), "a local action could come from the PR"


def test_the_pr_workflow_uploads_the_artifact_apply_looks_for() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "github" / "gate-pr.yml").read_text())
    assert set(_triggers(workflow)) == {"pull_request"}
    perms = workflow["permissions"]
    assert perms | {"pull-requests": "write", "statuses": "write", "contents": "read", "id-token": "write"} == perms
    [upload] = [s for s in _steps(workflow) if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    expected = ACTION["inputs"]["plan-artifact"]["default"].format(pr="${{ github.event.pull_request.number }}")
    assert upload["with"]["name"] == expected
    assert upload["with"]["path"].rstrip("/") == ACTION["inputs"]["out"]["default"]


def test_the_deploy_workflow_can_download_the_artifact() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "github" / "gate-deploy.yml").read_text())
    assert "push" in _triggers(workflow)
    perms = workflow["permissions"]
    required = {"actions": "read", "statuses": "write", "checks": "write", "pull-requests": "write", "contents": "read"}
    assert perms | required | {"id-token": "write"} == perms


@pytest.mark.parametrize("name", ["gate-pr.yml", "gate-comment.yml", "gate-deploy.yml"])
def test_workflows_that_deliver_carry_the_outbox_from_run_to_run(name: str) -> None:
    """``.gate-state/`` (the outbox) is restored before the gate runs and saved after, even when it failed."""
    steps = _steps(yaml.safe_load((ROOT / "examples" / "github" / name).read_text()))
    uses = [str(s.get("uses", "")) for s in steps]
    restore = uses.index("actions/cache/restore@v4")
    gate = next(i for i, u in enumerate(uses) if GATE_ACTION.match(u))
    save = uses.index("actions/cache/save@v4")
    assert restore < gate < save
    assert steps[restore]["with"]["path"] == steps[save]["with"]["path"] == ".gate-state"
    assert steps[restore]["with"]["restore-keys"] == "devops-gate-state-"
    assert steps[save]["with"]["key"].startswith("devops-gate-state-") and steps[save]["if"] == "${{ !cancelled() }}"


def test_this_repositorys_workflows_are_its_own_ci_only() -> None:
    for path in (ROOT / ".github" / "workflows").glob("*.y*ml"):
        text = path.read_text()
        assert "devops-gate/devops-gate" not in text and "pull_request_target" not in text, path.name


def test_the_docker_image_can_run_the_llm_input() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "-r /tmp/runtime.lock" in dockerfile  # the runtime lock is compiled with the llm extra
    assert "--extra=llm" in (ROOT / "requirements" / "runtime.lock").read_text()
    assert any(
        line.startswith("litellm==") for line in (ROOT / "requirements" / "runtime.lock").read_text().splitlines()
    )
    assert "LITELLM_LOCAL_MODEL_COST_MAP=True" in dockerfile


@pytest.mark.parametrize("meta", [ACTION, COMPOSITE], ids=["docker", "composite"])
def test_every_input_has_only_the_keys_github_reads(meta: dict[str, Any]) -> None:
    """An unquoted comma in a flow mapping turns the rest of a description into a stray key."""
    for name, spec in meta["inputs"].items():
        assert set(spec) <= {"description", "required", "default", "deprecationMessage"}, (name, spec)
        assert isinstance(spec["description"], str) and spec["description"], name
