"""The Terraform corpus (tests/fixtures/real/terraform, layouts of real repositories written for these tests)
against the checkov CLI: the gate reports every failed check the CLI reports, on the same resource address,
and nothing the CLI does not. For what the CLI cannot read itself (.tf.json roots, modules terraform init
installed) the CLI is run on a copy it can read (see _checkov_cli)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from gate.config import GateConfig, parse_config
from gate.iac import load_paths
from gate.models import ChangeContext, GatePlan
from gate.pipeline import Run, gate_bundle
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "real" / "terraform"
TWINS = FIXTURES / "real" / "terraform-hcl-twins"  # hand-written HCL of the corpus's .tf.json files
ROOTS = ("repo/live/prod", "repo/live/staging", "repo/examples/basic", "initialised", "json-root")
CHECKOV = Path(sys.executable).parent / "checkov"
# what `terraform init` installed in initialised/.terraform/modules (modules.json), as the call writes it
INSTALLED = {"initialised": [("web_sg", 'source  = "acme/security-group/aws"\n  version = "1.2.0"')]}


def _checkov_cli(root: str, tmp: Path) -> Counter[tuple[str, str]]:
    """The checkov CLI on a copy of the corpus, made readable to it where it cannot read the corpus itself:
    each .tf.json replaced by its hand-written HCL twin (the CLI skips .tf.json in a folder), and each module
    installed in .terraform/modules also scanned through a local source (the CLI reads installed modules only
    when it downloads them): its module.x.* findings are the reference for that module, the original call's
    own findings (CKV_TF_1 on the registry source) come from the unchanged root."""
    shutil.copytree(CORPUS, tmp / "corpus")
    for twin in TWINS.rglob("*.tf"):
        json_file = tmp / "corpus" / f"{twin.relative_to(TWINS)}.json"
        assert json_file.is_file(), f"{twin} is the twin of no .tf.json"
        json_file.unlink()
        shutil.copy(twin, json_file.with_suffix(""))
    found = _cli_run(tmp / "corpus", root)
    for name, call in INSTALLED.get(root, []):
        main = tmp / "corpus" / root / "main.tf"
        text = main.read_text(encoding="utf-8")
        assert call in text, f"{root}/main.tf no longer calls {name} as INSTALLED says"
        main.write_text(text.replace(call, f'source = "./.terraform/modules/{name}"'), encoding="utf-8")
        local = _cli_run(tmp / "corpus", root)
        assert any(r.startswith(f"module.{name}.") for _, r in local), f"the CLI found nothing in module {name}"
        found += Counter({k: n for k, n in local.items() if k[1].startswith(f"module.{name}.")})
    return found


def _cli_run(cwd: Path, root: str) -> Counter[tuple[str, str]]:
    binary = str(CHECKOV) if CHECKOV.exists() else shutil.which("checkov")
    if binary is None:
        pytest.skip("the checkov CLI is not installed next to this Python")
    out = subprocess.run(
        [binary, "-d", root, "--framework", "terraform", "-o", "json", "--quiet", "--compact"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr[-2000:]
    doc = json.loads(out.stdout)
    reports = doc if isinstance(doc, list) else [doc]
    return Counter(
        (c["check_id"], c["resource"]) for r in reports if r for c in r.get("results", {}).get("failed_checks", [])
    )


def _gate(root: str, config: GateConfig | None = None) -> GatePlan:
    config = config or parse_config("checks:\n  enabled: [checkov]\ncost:\n  enabled: false\n", "test")
    return gate_bundle(load_paths([root], config.projects), Run(config=config, context=ChangeContext()))


def _failed(plan: GatePlan) -> Counter[tuple[str, str]]:
    # one finding per risk and resource (checks/risks.py) keeps the twin ids in same_risk: count each id
    return Counter(
        (check_id, f.resource or "")
        for f in plan.findings
        if f.tool == "checkov" and f.waived is None
        for check_id in (f.check_id, *f.same_risk)
        if check_id.startswith("CKV")
    )


@pytest.fixture
def corpus(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(CORPUS)
    return CORPUS


@pytest.mark.slow
@pytest.mark.parametrize("root", ROOTS)
def test_gate_reports_what_the_checkov_cli_reports(corpus: Path, root: str, tmp_path: Path) -> None:
    cli = _checkov_cli(root, tmp_path)
    gate = _failed(_gate(root))
    assert cli, f"the corpus root {root} should fail some checkov checks"
    assert gate - cli == Counter(), "invented"
    assert cli - gate == Counter(), "lost"


@pytest.mark.slow
def test_module_findings_point_at_the_call_and_keep_the_module_address(corpus: Path) -> None:
    plan = _gate("repo/live/prod")
    key = [f for f in plan.findings if f.resource == "module.invoices.module.key.aws_kms_key.this"]
    assert key, "the nested module's key is checked through both calls"
    assert {(f.file, f.line) for f in key} == {("repo/live/prod/main.tf", 13)}
    assert {f.defined_in for f in key} == {"repo/modules/kms/main.tf:5"}
    exports = {f.resource for f in plan.findings if (f.resource or "").startswith("module.exports.")}
    assert "module.exports.aws_s3_bucket.this" in exports, "a module called twice is evaluated per call"


@pytest.mark.slow
def test_a_module_that_cannot_be_read_is_listed_as_not_evaluated(corpus: Path) -> None:
    plan = _gate("initialised")
    missing = [f for f in plan.findings if f.check_id == "GATE-TF-001"]
    assert [(f.resource, f.file, f.line) for f in missing] == [("module.network", "initialised/main.tf", 11)]
    assert "not in .terraform/modules" in missing[0].title
    report = next(r for r in plan.checks if r.check == "checkov")
    assert "module.network (initialised/main.tf:11): not evaluated" in (report.detail or "")
    # the registry module terraform init installed is evaluated, under its call
    assert any((f.resource or "").startswith("module.web_sg.aws_security_group.this") for f in plan.findings)
    assert plan.verdict.decision != "pass"


def test_a_repository_of_many_roots_is_one_project_per_root(corpus: Path) -> None:
    bundle = load_paths(["repo"])
    assert [(p.dir, p.reason) for p in bundle.projects] == [
        ("repo/live/prod", "backend block in main.tf"),
        ("repo/live/staging", "provider block in main.tf.json"),
    ]
    assert [(n.path, n.reason.split(":")[0]) for n in bundle.not_evaluated] == [
        ("repo/examples/basic", "an example or test")
    ]
    roles = {f.path: f.role for f in bundle.files}
    assert roles == {
        "repo/live/prod/main.tf": "root",
        "repo/live/staging/main.tf.json": "root",
        "repo/modules/bucket/main.tf": "module",
        "repo/modules/kms/main.tf": "module",
    }, "modules are read once, examples not at all"


def test_projects_in_gate_yml_choose_the_roots(corpus: Path) -> None:
    config = parse_config("projects:\n  - dir: repo/examples/basic\n    name: example\n", "test")
    bundle = load_paths(["repo"], config.projects)
    assert [(p.dir, p.name, p.reason) for p in bundle.projects] == [("repo/examples/basic", "example", "configured")]
    assert {n.path for n in bundle.not_evaluated} == {"repo/live/prod", "repo/live/staging"}


def test_a_project_config_outside_the_repository_is_refused() -> None:
    from gate.errors import GateError

    with pytest.raises(GateError, match="inside the repository"):
        parse_config("projects:\n  - dir: ../elsewhere\n", ".gate.yml")


def test_tf_json_is_gated_like_tf(corpus: Path) -> None:
    config = parse_config("checks:\n  enabled: [policies]\n", "test")
    plan = gate_bundle(load_paths(["json-root"]), Run(config=config, context=ChangeContext()))
    assert {r.logical_id for r in plan.resources} == {
        "aws_s3_bucket.reports",
        "aws_s3_bucket_acl.reports",
        "aws_db_instance.ledger",
    }
    policy = {(f.check_id, f.resource, f.file) for f in plan.findings if f.tool == "policies"}
    assert ("GATE-S3-001", "aws_s3_bucket.reports", "json-root/main.tf.json") in policy
    assert plan.cost is not None
    assert any(line.logical_id == "aws_db_instance.ledger" and line.monthly_after for line in plan.cost.lines)
    assert plan.verdict.decision == "blocked"


def test_policies_evaluate_module_resources_at_the_call(corpus: Path) -> None:
    config = parse_config("checks:\n  enabled: [policies]\ncost:\n  enabled: false\n", "test")
    plan = gate_bundle(load_paths(["repo/live/staging"]), Run(config=config, context=ChangeContext()))
    public = [f for f in plan.findings if f.check_id == "GATE-S3-001"]
    assert [(f.resource, f.file, f.line) for f in public] == [
        ("module.uploads.aws_s3_bucket.this", "repo/live/staging/main.tf.json", 8)
    ]


def test_a_module_above_the_folder_given_stays_inside_the_work_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CORPUS / "repo", tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo" / "live" / "prod")
    bundle = load_paths(["."])
    assert {f.path for f in bundle.files} == {"main.tf", "../../modules/bucket/main.tf", "../../modules/kms/main.tf"}
    config = parse_config("checks:\n  enabled: [policies]\ncost:\n  enabled: false\n", "test")
    plan = gate_bundle(bundle, Run(config=config, context=ChangeContext()))
    assert any(f.resource == "module.invoices.aws_s3_bucket.this" for f in plan.findings)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"], "nothing written outside the work folder"


@pytest.mark.slow
def test_tf_json_findings_point_at_the_json_file_and_line(corpus: Path) -> None:
    plan = _gate("json-root")
    where = {(f.resource, f.file, f.line) for f in plan.findings if f.tool == "checkov"}
    assert where == {
        ("aws_s3_bucket.reports", "json-root/main.tf.json", 13),
        ("aws_db_instance.ledger", "json-root/main.tf.json", 27),
    }, "every finding on the JSON file, at the line of its resource's name"
    staging = _gate("repo/live/staging")
    uploads = {(f.file, f.line) for f in staging.findings if (f.resource or "").startswith("module.uploads.")}
    assert uploads == {("repo/live/staging/main.tf.json", 8)}, "module findings at the call in the JSON file"


@pytest.mark.slow
def test_an_installed_module_whose_folder_is_gone_is_not_evaluated_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CORPUS / "initialised", tmp_path / "initialised")
    shutil.rmtree(tmp_path / "initialised" / ".terraform" / "modules" / "web_sg")
    monkeypatch.chdir(tmp_path)
    plan = _gate("initialised")
    gone = {f.resource: f.title for f in plan.findings if f.check_id == "GATE-TF-001"}
    assert set(gone) == {"module.web_sg", "module.network"}
    assert "initialised/.terraform/modules/web_sg is not there" in gone["module.web_sg"]
