"""The contract every service in :data:`gate.services.CATALOG` keeps: a lexicon, both synthesisers, a price rule
(or an explicit "free"), a Terraform mapping, at least one policy with a good and a bad fixture beside it, and a
synth case (tests/synth_cases.py) that passes cfn-lint, checkov and our policies and creates on moto (or is on
the README's moto gap list).  A service that lacks one fails here, naming what is missing.

What a service still lacks on purpose is in ``KNOWN_GAPS``, with the reason; a gap that is closed fails too, so
the list stays true.  checkov runs through tests/test_synth_quality.py's cached helper (one run per case for both
files); the cases are created on moto by tests/test_synth_moto.py.
"""

from __future__ import annotations

import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from gate.checks import terraform_model
from gate.checks.builtin_rules import builtin_rules
from gate.checks.policy_rules import evaluate
from gate.cost.resources import kind_of
from gate.cost.rules import RULES as PRICE_RULES
from gate.models import Severity
from gate.services import CATALOG
from gate.services.kit import Service
from gate.spec import ResourceSpec
from gate.synth import terraform
from gate.synth.registry import SYNTHESISERS, new_context
from tests.conftest import ROOT
from tests.synth_cases import CASES

REGION = "us-east-1"
NAMES = list(CATALOG)
POLICY_RULES = {r.id: r for r in builtin_rules()}
HEAVY = ("checkov", "cfnlint", "moto", "litellm")

# (service, requirement) -> why the service does not meet it yet.
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def _contract(service: str, requirement: str, check: Callable[[], None]) -> None:
    """Run one requirement; a known gap must still be a gap (strict), anything else must hold."""
    gap = KNOWN_GAPS.get((service, requirement))
    if gap is None:
        check()
        return
    try:
        check()
    except AssertionError:
        pytest.xfail(f"{service} has no {requirement}: {gap}")
    pytest.fail(f"{service} now has a {requirement}: remove it from KNOWN_GAPS")


def _model_kind(model: type[Any]) -> str:
    return str(model.model_fields["kind"].default)


def _cases(service: Service) -> list[str]:
    """The synth cases that have a resource of one of the service's kinds."""
    kinds = set(service.kinds)
    return [name for name, spec in sorted(CASES.items()) if kinds & {r.kind for r in spec.resources}]


def test_the_catalogue_is_explicit_and_every_kind_has_one_service() -> None:
    kinds = [kind for service in CATALOG.values() for kind in service.kinds]
    assert len(kinds) == len(set(kinds)), "two services claim one spec kind"
    union = {_model_kind(m) for m in typing.get_args(typing.get_args(ResourceSpec)[0])}
    assert set(kinds) == union, "every member of the spec union belongs to exactly one service"
    assert set(SYNTHESISERS) == union
    assert all(service.folder == ROOT / "gate" / "services" / service.folder.name for service in CATALOG.values())


@pytest.mark.parametrize("name", NAMES)
def test_service_has_a_lexicon_for_each_of_its_models(name: str) -> None:
    service = CATALOG[name]
    models = {_model_kind(m) for m in service.models}
    assert service.recognisers, f"{name}: no lexicon (recognisers)"
    assert {r.kind for r in service.recognisers} == models == set(service.kinds)
    assert all(r.default_name for r in service.recognisers)


@pytest.mark.parametrize("name", NAMES)
def test_service_writes_both_formats_for_each_kind(name: str) -> None:
    service = CATALOG[name]
    cases = _cases(service)
    for synth in service.synthesisers:
        case = next((c for c in cases if synth.kind in {r.kind for r in CASES[c].resources}), None)
        assert case is not None, f"{name}: no synth case in tests/synth_cases.py has a {synth.kind}"
        spec = CASES[case]
        ctx = new_context(spec, REGION)
        res = next(r for r in spec.resources if r.kind == synth.kind)
        cfn = synth.cloudformation(res, ctx)
        assert cfn and all(str(body.get("Type", "")).startswith("AWS::") for body in cfn.values())
        blocks = synth.terraform(res, ctx)
        assert blocks and all(b.type == "resource" and b.labels[0].startswith("aws_") for b in blocks)


@pytest.mark.parametrize("name", NAMES)
def test_service_has_a_price_rule_or_is_explicitly_free(name: str) -> None:
    pricing = CATALOG[name].pricing
    assert pricing.rules or pricing.free or pricing.free_prefixes, f"{name}: no price rule and not marked free"
    for rule in pricing.rules:
        assert PRICE_RULES[rule.kind] is rule.rule
        assert rule.cfn_types and rule.tf_types, f"{name}: price rule {rule.kind} names no resource types"
        assert {kind_of(t) for t in (*rule.cfn_types, *rule.tf_types)} == {rule.kind}


@pytest.mark.parametrize("name", NAMES)
def test_service_maps_its_terraform_for_the_policies(name: str) -> None:
    service = CATALOG[name]

    def check() -> None:
        assert service.terraform.types, "no Terraform resource type mapped"
        mapped = set(service.terraform.types)
        for case in _cases(service):
            found, _ = terraform_model.resources(terraform.render(CASES[case], REGION), "main.tf")
            if {r.tf_type for r in found} & mapped:
                return
        raise AssertionError("none of its synth cases' Terraform is read by its mapping")

    _contract(name, "terraform mapping", check)


@pytest.mark.parametrize("name", NAMES)
def test_service_has_an_importer_in_its_folder(name: str) -> None:
    """``devops-gate import`` reads the service: its readers live in ``<folder>/importer.py`` and the importer's
    registry (built from the catalogue) runs every one of them, once."""
    from gate.importer.registry import READERS

    service = CATALOG[name]

    def check() -> None:
        assert service.importers, "no importer (a Reader in importer.py)"
        for reader in service.importers:
            assert type(reader).__module__ == f"gate.services.{service.folder.name}.importer", type(reader).__module__
            assert READERS.get(reader.service) is reader, f"{reader.service} is not in the importer's READERS"

    _contract(name, "importer", check)


def test_every_importer_reader_comes_from_the_catalogue() -> None:
    from gate.importer.registry import ALIASES, READERS

    from_catalogue = [r for service in CATALOG.values() for r in service.importers]
    assert sorted(READERS) == sorted(r.service for r in from_catalogue)
    assert set(ALIASES.values()) <= set(READERS)


def test_import_order_comes_from_the_readers_and_is_the_order_resources_refer_in() -> None:
    """Each reader says where it runs (``import_order``, unique): what others refer to is read and written first.
    The order is the one gate/importer/registry.py listed by hand before the readers carried it."""
    from gate.importer.registry import READERS

    ranks = [r.import_order for service in CATALOG.values() for r in service.importers]
    assert len(ranks) == len(set(ranks)), sorted(ranks)
    assert [r.import_order for r in READERS.values()] == sorted(ranks)
    order = list(READERS)
    refers = {"subnet": "vpc", "ec2": "iam", "rds": "subnet", "elasticache": "subnet", "lambda": "iam"}
    refers |= {"sns": "sqs", "lambda-trigger": "lambda"}
    assert all(order.index(first) < order.index(later) for later, first in refers.items()), order
    assert order == [
        *("vpc", "subnet", "iam", "ec2", "s3", "logs", "sqs", "sns", "dynamodb"),
        *("rds", "elasticache", "lambda", "lambda-trigger"),
    ]


@pytest.mark.parametrize(
    "grantable", [g for s in CATALOG.values() for g in s.lexicon.grants if g.target_head], ids=lambda g: g.prefix
)
def test_named_actions_name_a_grantable_resource_by_its_head_word(grantable: Any) -> None:
    """'s3:GetObject on the bucket reports', 'sqs:SendMessage to the SQS queue jobs': a run of named actions takes
    its target's kind from the service's Grantable entry (its lexicon), with or without the IAM prefix before it."""
    from gate.interpret import named_actions

    action = next(iter(grantable.actions.values()))[0]
    for noun in (grantable.target_head, f"{grantable.prefix} {grantable.target_head}"):
        (run,) = named_actions.runs(f"allow {action} on the existing {noun} orders-v2")
        assert (run.noun, run.name) == (grantable.target_head, "orders-v2")
        assert named_actions.kind_of(run.noun) == grantable.kind
    heads = [g.target_head for s in CATALOG.values() for g in s.lexicon.grants if g.target_head]
    assert len(heads) == len(set(heads)), heads


@pytest.mark.parametrize("name", NAMES)
def test_service_compliance_tags_live_in_its_rule_files(name: str) -> None:
    """Its compliance mapping is in its folder: each rule's tags name a known control, and are the tags the
    compliance report reads for that rule."""
    from gate.compliance.mappings import parse_tag

    service = CATALOG[name]

    def check() -> None:
        assert service.compliance, "no policy, so no compliance mapping"
        for rule_id, tags in service.compliance.items():
            assert tags, f"{rule_id}: no compliance tags"
            assert all(parse_tag(tag) is not None for tag in tags), f"{rule_id}: unknown control in {tags}"
            assert tags == POLICY_RULES[rule_id].compliance, rule_id

    _contract(name, "policy", check)


def _fixture(path: Path) -> dict[str, Any]:
    body = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(body, dict) and "Type" in body, f"{path}: a fixture is one resource with Type and Properties"
    return body


@pytest.mark.parametrize("name", NAMES)
def test_service_policies_have_a_good_and_a_bad_fixture(name: str) -> None:
    service = CATALOG[name]

    def check() -> None:
        assert service.policies, "no policy"
        paired = 0
        for rule_id in service.policies:
            assert (service.fixtures / f"{rule_id}.yaml").is_file(), f"{rule_id}: no rule file in its policies/"
            assert rule_id in POLICY_RULES, f"{rule_id} is not among the rules the gate loads"
            rule = POLICY_RULES[rule_id]
            good, bad = service.fixtures / f"{rule_id}.good.yaml", service.fixtures / f"{rule_id}.bad.yaml"
            if good.is_file() or bad.is_file():
                assert good.is_file() and bad.is_file(), f"{rule_id}: a good fixture needs a bad one, and back"
                for path, expected in ((good, "pass"), (bad, "fail")):
                    body = _fixture(path)
                    assert rule.applies_to(body["Type"]), f"{path.name}: {rule_id} does not cover {body['Type']}"
                    assert evaluate(rule.require, body) == expected, f"{path.name} should {expected}"
                paired += 1
        assert paired, "no policy has a good and a bad fixture"
        stray = {p.name.split(".")[0] for p in service.fixtures.glob("*.yaml")} - set(service.policies)
        assert not stray, f"fixtures for rules the service does not list: {sorted(stray)}"

    _contract(name, "policy", check)


@pytest.mark.parametrize("name", NAMES)
def test_service_case_passes_cfn_lint_checkov_and_our_policies(name: str) -> None:
    from tests.test_synth_quality import (  # cfn-lint and checkov only for this test
        _security_reports,
        test_cloudformation_has_no_cfn_lint_error,
    )

    cases = _cases(CATALOG[name])
    assert cases, f"{name}: no synth case in tests/synth_cases.py"
    for case in cases:
        test_cloudformation_has_no_cfn_lint_error(case)
        findings = [f for report in _security_reports(case) for f in report.findings]
        high = [f"{f.check_id} {f.resource}" for f in findings if f.severity >= Severity.HIGH and f.waived is None]
        assert high == [], f"{case}: HIGH or CRITICAL findings"


@pytest.mark.parametrize("name", NAMES)
def test_service_case_creates_on_moto_or_is_a_documented_gap(name: str) -> None:
    """tests/test_synth_moto.py creates every case not in its MOTO_GAPS on the session's moto server (the cases'
    physical names are unique, so each is created once per session): here, that the service has such a case,
    and that what moto's CloudFormation skips of the service's own resources is on the README's moto gap list."""
    from moto.cloudformation.parsing import get_model_map

    from tests.test_synth_moto import MOTO_GAPS

    service = CATALOG[name]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    creatable = [c for c in _cases(service) if c not in MOTO_GAPS]
    if not creatable:
        assert service.moto_gap and service.moto_gap in readme, f"{name}: no case creates on moto, and no gap listed"
        return
    section = readme.split("### What the embedded AWS covers", 1)[1].split("\n## ", 1)[0]
    for case in creatable:
        ctx = new_context(CASES[case], REGION)
        own = {
            body["Type"]
            for res in CASES[case].resources
            if res.kind in service.kinds
            for body in SYNTHESISERS[res.kind].cloudformation(res, ctx).values()
        }
        skipped = sorted(t for t in own - set(get_model_map()) if f"`{t}`" not in section)
        assert skipped == [], f"{name} ({case}): moto does not create these and the README does not say so"


def test_importing_the_catalogue_imports_no_heavy_tool() -> None:
    code = f"import sys, gate.services; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
