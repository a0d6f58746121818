"""Our security checks on a 600-resource hand-written template (target: policies + secrets + least privilege
under 1.0 s, parse included), the suggestions for it, and the rule engine alone on parsed resources. Best of N.

The peer: checkov's CloudFormation runner, in-process (as the gate runs it), on the same template file, once.
The rule sets differ (checkov runs its whole catalogue; ours is policies/ plus secrets and least privilege), so
the ratio is time per template, not per rule; both rule counts are printed next to it."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from gate.checks.base import CheckInput
from gate.checks.cfn_template import parsed_template
from gate.checks.checkov_check import CheckovCheck
from gate.checks.least_privilege import LeastPrivilegeCheck
from gate.checks.policies import PolicyCheck, evaluate_all, load_policy_rules, subjects
from gate.checks.secrets import SecretsCheck
from gate.config import GateConfig
from gate.iac import make_file, write_bundle
from gate.models import IaCBundle
from gate.remediate.patch import suggestions
from gate.synth import cfn_yaml

ROUNDS = 3
TARGET_S = 1.0
_FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "iac" / "insecure-stack.yaml"


def _template(copies: int) -> str:
    """The insecure fixture's resources, ``copies`` times over (ids suffixed, references kept in each copy)."""
    source = json.loads(json.dumps(cfn_yaml.load(_FIXTURE.read_text(), "fixture")))
    resources: dict[str, object] = {}
    for n in range(copies):
        text = json.dumps(source["Resources"])
        for logical in source["Resources"]:
            text = text.replace(f'"{logical}"', f'"{logical}{n}"')
        resources.update({f"{k}{n}": v for k, v in json.loads(text).items()})
    return cfn_yaml.dump({"Parameters": source["Parameters"], "Resources": resources})


def run() -> list[str]:
    text = _template(100)
    bundle = IaCBundle(origin="hand-written", files=(make_file("big.yaml", "cloudformation", text),))
    config = GateConfig()
    best = suggest = float("inf")
    findings = 0
    with tempfile.TemporaryDirectory() as tmp:
        given = CheckInput(bundle=bundle, config=config, workdir=Path(tmp), region="us-east-1")
        for _ in range(ROUNDS):
            parsed_template.cache_clear()
            started = time.perf_counter()
            reports = [c.run(given) for c in (PolicyCheck(), SecretsCheck(), LeastPrivilegeCheck())]
            all_findings = tuple(f for r in reports for f in r.findings)
            checked = time.perf_counter()
            made = suggestions(bundle, all_findings)
            best = min(best, checked - started)
            suggest = min(suggest, time.perf_counter() - checked)
            findings = len(all_findings)
    items, _ = subjects(bundle, "us-east-1")
    rules = load_policy_rules(())
    engine = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        evaluated = sum(1 for _ in evaluate_all(rules, items))
        engine = min(engine, time.perf_counter() - started)
    verdict = "OK" if best < TARGET_S else "SLOW"
    return [
        f"{len(items)} resources, {findings} findings: checks {best:.3f} s (target < {TARGET_S} s) {verdict}",
        f"{len(made)} suggestions (one YAML block each): {suggest:.3f} s",
        f"rule engine alone: {evaluated} rule x resource evaluations in {engine * 1000:.1f} ms",
        *_checkov_lines(bundle, config, best, len(rules)),
    ]


def _checkov_lines(bundle: IaCBundle, config: GateConfig, ours: float, our_rules: int) -> list[str]:
    """checkov's CloudFormation runner on the same template, in-process, one run (it is the slow one)."""
    try:
        from checkov.cloudformation.checks.resource.registry import cfn_registry
    except ImportError:
        return ["checkov: not installed here, no ratio"]
    with tempfile.TemporaryDirectory() as tmp:
        write_bundle(bundle, Path(tmp))
        given = CheckInput(bundle=bundle, config=config, workdir=Path(tmp), region="us-east-1")
        started = time.perf_counter()
        report = CheckovCheck().run(given)
        theirs = time.perf_counter() - started
    checks = len({check.id for registered in cfn_registry.checks.values() for check in registered})
    return [
        f"checkov's CloudFormation runner, same template, in-process (one run): {theirs:.2f} s, "
        f"{len(report.findings)} findings from {checks} checks",
        f"ratio (checkov / ours, per template; ours: {our_rules} policies + secrets + least privilege): "
        f"{theirs / ours:.1f}x",
    ]
