"""Compliance views: mappings are consistent, per-framework results follow the findings, reports and comment."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gate.checks.builtin_rules import builtin_rules
from gate.checks.policy_rules import load_rules
from gate.cli import main
from gate.compliance.mappings import mappings, parse_tag
from gate.compliance.render import render_markdown
from gate.config import ComplianceSettings, GateConfig, Waiver, parse_config
from gate.iac import load_paths
from gate.models import ChangeContext
from gate.pipeline import Run, gate_bundle
from gate.report.comment import render_comment
from tests.conftest import FIXTURES, GOLDEN, ROOT
from tests.helpers import assert_golden

TODAY = dt.date(2026, 11, 25)
ALL = ("hipaa", "pci-dss", "cis-aws", "aws-wa-security")


def _config(**extra: object) -> GateConfig:
    return GateConfig(compliance=ComplianceSettings(frameworks=ALL), **extra)  # type: ignore[arg-type]


def test_every_tag_in_rules_and_mappings_names_a_known_control() -> None:
    rules = builtin_rules() + load_rules(ROOT / "examples" / ".gate" / "policies")
    for rule in rules:
        for tag in rule.compliance:
            assert parse_tag(tag) is not None, f"{rule.id}: {tag} is no known framework control"
    for check_id, mapping in mappings().checks.items():
        assert all(parse_tag(t) for t in mapping.tags), check_id
    # every shipped rule is evidence for at least two frameworks
    for rule in builtin_rules():
        assert len({parse_tag(t).framework for t in rule.compliance if parse_tag(t)}) >= 2, rule.id  # type: ignore[union-attr]


def test_config_chooses_frameworks_and_refuses_unknown_ones() -> None:
    config = parse_config("compliance:\n  frameworks: [hipaa, pci-dss]\n", ".gate.yml")
    assert config.compliance.frameworks == ("hipaa", "pci-dss")
    with pytest.raises(Exception, match=r"compliance\.frameworks"):
        parse_config("compliance:\n  frameworks: [sox]\n", ".gate.yml")
    assert GateConfig().compliance.frameworks == (), "off unless chosen"


def _plan(path: str, config: GateConfig):  # type: ignore[no-untyped-def]
    return gate_bundle(load_paths([path]), Run(config, ChangeContext(), today=TODAY))


def test_results_follow_the_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    plan = _plan("tests/fixtures/iac/public-bucket.yaml", _config())
    assert plan.compliance is not None
    by_fw = {fw.framework: fw for fw in plan.compliance.frameworks}
    assert list(by_fw) == list(ALL)
    cis = {c.control: c for c in by_fw["cis-aws"].controls}
    assert cis["2.1.4"].status == "fail" and cis["2.1.4"].resources == ("PublicAssets",)
    assert {"GATE-S3-001", "CKV_AWS_20"} <= set(cis["2.1.4"].check_ids)
    assert "2.3.1" not in cis, "no database in the change: RDS controls are not assessed"
    pci = {c.control: c for c in by_fw["pci-dss"].controls}
    assert pci["8.6.2"].status == "pass", "the secrets check ran and found nothing"
    for fw in plan.compliance.frameworks:
        assert fw.passed + fw.failed + fw.waived + fw.unknown == len(fw.controls)


def test_a_waiver_turns_a_control_waived_not_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    waivers = tuple(
        Waiver(check_id=cid, resource="PublicAssets", reason="rebuilt", expires="2027-01-31")
        for cid in ("CKV_AWS_21", "GATE-S3-003")
    )
    plan = _plan("tests/fixtures/iac/public-bucket.yaml", _config(waivers=waivers))
    assert plan.compliance is not None
    hipaa = {c.control: c for fw in plan.compliance.frameworks if fw.framework == "hipaa" for c in fw.controls}
    assert hipaa["164.312(c)(1)"].status == "waived"


def test_unverifiable_values_make_a_control_unknown(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Parameters:\n  Public:\n    Type: String\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
        "    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t4g.micro\n      AllocatedStorage: 20\n"
        "      StorageEncrypted: !Ref Public\n      DeletionProtection: true\n      BackupRetentionPeriod: 7\n"
        "      ManageMasterUserPassword: true\n      MasterUsername: app\n"
    )
    plan = _plan(str(template), GateConfig(compliance=ComplianceSettings(frameworks=("cis-aws",)),
                                            checks={"enabled": ["policies", "secrets"]}))  # type: ignore[arg-type]  # fmt: skip
    assert plan.compliance is not None
    cis = {c.control: c.status for c in plan.compliance.frameworks[0].controls}
    assert cis == {"2.3.1": "unknown", "2.3.3": "pass"}


def test_outputs_and_golden_report(workdir: Path, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    plan = _plan("tests/fixtures/iac/insecure-stack.yaml", _config())
    assert plan.compliance is not None
    stable = plan.model_copy(update={"created_at": "2026-11-25T00:00:00+00:00"})
    assert_golden(render_markdown(stable, plan.compliance), GOLDEN / "compliance-insecure-stack.md", update_golden)
    comment = render_comment(stable)
    assert "### Compliance" in comment and "| PCI DSS v4.0 |" in comment
    assert "Tr0ub4dor" not in comment


def test_check_writes_compliance_files_and_the_command_rebuilds_them(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / ".gate.yml").write_text("compliance:\n  frameworks: [cis-aws, hipaa]\n")
    assert main(["check", str(FIXTURES / "iac" / "insecure.tf"), "--out", "o"]) == 1
    report = json.loads((workdir / "o" / "compliance.json").read_text())
    assert [fw["framework"] for fw in report["frameworks"]] == ["cis-aws", "hipaa"]
    cis = {c["control"]: c for c in report["frameworks"][0]["controls"]}
    assert cis["5.2"]["status"] == "fail" and "aws_security_group.admin" in cis["5.2"]["resources"]
    assert cis["5.2"]["title"].startswith("No security group allows ingress")
    assert (workdir / "o" / "compliance.md").read_text().startswith("# Compliance report")
    capsys.readouterr()
    assert main(["compliance", "o/gate-plan.json", "--framework", "pci-dss", "--format", "json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert [fw["framework"] for fw in printed["frameworks"]] == ["pci-dss"]
    assert main(["compliance", "missing.json"]) == 2


def test_every_waiver_shows_in_the_comment_with_its_status(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    waivers = (
        Waiver(check_id="GATE-S3-003", resource="PublicAssets", reason="static assets, rebuilt", expires="2027-01-31"),
        Waiver(check_id="CKV_AWS_18", reason="logs go to the central account", expires="2026-01-31"),
        Waiver(check_id="GATE-RDS-002", resource="Nothing", reason="no such database", expires="2027-06-30"),
    )
    plan = _plan("tests/fixtures/iac/public-bucket.yaml", GateConfig(waivers=waivers))
    assert [(w.check_id, w.status) for w in plan.waivers] == [
        ("GATE-S3-003", "active"), ("CKV_AWS_18", "expired"), ("GATE-RDS-002", "unused"),
    ]  # fmt: skip
    assert plan.verdict.decision == "blocked"
    assert any("expired" in r for r in plan.verdict.reasons)
    comment = render_comment(plan)
    section = comment.split("### Waivers (3)", 1)[1].split("###", 1)[0]
    assert "| `GATE-S3-003` | `PublicAssets` | static assets, rebuilt | 2027-01-31 | active (1 finding) |" in section
    assert "| `CKV_AWS_18` | `all` | logs go to the central account | 2026-01-31 | ⛔ expired (blocks) |" in section
    assert "unused (covers nothing)" in section


def test_unquoted_yaml_dates_are_accepted_for_expiry() -> None:
    config = parse_config(
        "waivers:\n  - {check_id: CKV_AWS_18, reason: central logging, expires: 2027-03-31}\n", ".gate.yml"
    )
    assert config.waivers[0].expires == "2027-03-31"
