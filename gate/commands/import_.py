"""``devops-gate import``: bring existing resources under the gate. Reads the account (every call through
gate.cloud) into the typed spec, template.yaml, main.tf with Terraform ``import`` blocks and gate-plan.json
(the findings and cost of what exists today); ``--stack`` plans the CloudFormation IMPORT change set that
``devops-gate apply`` executes; ``--report`` lists what no stack (and no given Terraform state) holds."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gate.cloud.aws import AwsTarget
from gate.commands.common import add_common, finish, settings
from gate.errors import GateError
from gate.iac import make_file
from gate.importer.adopt import adopt
from gate.importer.build import Selection, build, discover
from gate.importer.coverage import coverage, table
from gate.importer.registry import READERS, chosen
from gate.models import ChangeContext, IaCBundle
from gate.pipeline import TEMPLATE_FILE, TERRAFORM_FILE, Run, gate_bundle
from gate.synth import cfn_yaml

HELP = "import existing resources of a region into the spec, CloudFormation and Terraform; --report: IaC coverage"
SPEC_FILE = "spec.json"
COVERAGE_FILE = "coverage.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", help="the region to read (default: aws.region in .gate.yml)")
    parser.add_argument("--types", help=f"comma-separated services to read (default: all of {','.join(READERS)})")
    parser.add_argument("--tag", help="only resources with this tag, key=value")
    parser.add_argument("--name-prefix", help="only resources whose name starts with this")
    parser.add_argument("--endpoint-url", help="AWS endpoint (e.g. a moto server); default aws.endpoint_url")
    parser.add_argument(
        "--stack", help="adopt into this new stack: plan a CloudFormation IMPORT change set for 'devops-gate apply'"
    )
    parser.add_argument("--report", action="store_true", help="list resources no stack or Terraform state holds")
    parser.add_argument(
        "--state",
        action="append",
        default=[],
        help="with --report: a Terraform state file whose resources count as managed",
    )
    parser.add_argument("--json", action="store_true", help="with --report: print the JSON instead of the table")
    add_common(parser)


def _selection(args: argparse.Namespace) -> Selection:
    tag = None
    if args.tag:
        key, sep, value = str(args.tag).partition("=")
        if not sep or not key:
            raise GateError(f"--tag {args.tag!r} is not key=value", fix="pass --tag team=payments")
        tag = (key, value)
    return Selection(tag=tag, name_prefix=args.name_prefix)


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    endpoint = args.endpoint_url or config.aws.endpoint_url
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise GateError(f"endpoint {endpoint!r} is not a URL", fix="pass --endpoint-url http://host:port")
    target = AwsTarget(region=args.region or config.aws.region, endpoint_url=endpoint)
    readers, selection = chosen(args.types), _selection(args)
    out = Path(args.out)
    if args.report:
        cov = coverage(target, readers, selection, args.state)
        out.mkdir(parents=True, exist_ok=True)
        (out / COVERAGE_FILE).write_text(json.dumps(cov.as_json(), indent=2) + "\n", encoding="utf-8")
        print(json.dumps(cov.as_json(), indent=2) if args.json else table(cov), end="" if not args.json else "\n")
        return 0
    if args.state:
        raise GateError("--state is read by --report only", fix="add --report, or drop --state")
    estate = build(discover(target, readers, selection), target.region)
    bundle = IaCBundle(
        origin="synthesised",
        files=(
            make_file(TEMPLATE_FILE, "cloudformation", cfn_yaml.dump(estate.template)),
            make_file(TERRAFORM_FILE, "terraform", estate.terraform),
        ),
    )
    if args.stack:
        config = config.model_copy(update={"stack_name": args.stack})
    plan = gate_bundle(bundle, Run(config=config, context=ChangeContext()), spec=estate.spec)
    if args.stack:
        plan = adopt(plan, target, config)
    else:  # no IMPORT change set: a CREATE of resources that exist must never be applied from this plan
        plan = plan.model_copy(update={"template_sha256": None, "stack_name": None, "base": None})
    out.mkdir(parents=True, exist_ok=True)
    spec_text = estate.spec.model_dump_json(indent=2) if estate.spec else "null"
    (out / SPEC_FILE).write_text(spec_text + "\n", encoding="utf-8")
    return finish(plan, args.out)
