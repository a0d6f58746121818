"""``devops-gate plan``: a natural-language change request -> reviewed plan, checks and verdict.

The formats are known from the arguments, so ``run`` forks the checkov worker with them before it imports the
interpreter, the synthesisers and the pipeline (issue 19)."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from gate.checks import scan_worker
from gate.commands.common import add_common, settings
from gate.errors import GateError

if TYPE_CHECKING:
    from gate.models import IaCFormat
    from gate.refine_plan import NoChange

HELP = "interpret a change request, synthesise IaC, run the checks and decide"
EPILOG = """refining a plan:
  devops-gate plan --previous gate-out/gate-plan.json --request "make it t3.large instead"
  reads the text as one more refinement of the previous plan's request, as a '/gate plan <text>' comment on the
  PR does, and writes the refined plan to --out. A refinement that changes nothing answers "no change" and keeps
  the previous plan, its sha256 and its verdict (nothing is written; the exit code is the previous verdict's).
  A --previous that is missing, not a gate-plan.json of a change request, or edited (a sha256 that does not
  match) is an error (exit 2). Data-loss allowances are not carried over: pass --allow-data-loss again."""
FORMATS: dict[str, tuple[IaCFormat, ...]] = {
    "cloudformation": ("cloudformation",),
    "terraform": ("terraform",),
    "both": ("cloudformation", "terraform"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--request", help="the change request text")
    source.add_argument("--request-file", help="a file holding the change request")
    source.add_argument("--event", help="a GitHub webhook payload (pull_request or issue_comment)")
    parser.add_argument(
        "--event-name",
        default=os.environ.get("GITHUB_EVENT_NAME"),
        help="the event's name (default: GITHUB_EVENT_NAME, or recognised from the payload)",
    )
    parser.add_argument(
        "--previous",
        metavar="GATE_PLAN",
        help="refine this gate-plan.json: --request / --request-file is then the refinement (see below)",
    )
    parser.add_argument("--endpoint-url", help="also preview the change set on this AWS endpoint (e.g. a moto server)")
    parser.add_argument(
        "--allow-data-loss",
        action="append",
        default=[],
        metavar="LOGICAL_ID",
        help="allow removing/replacing this stateful resource (repeatable)",
    )
    parser.add_argument("--env", help="plan against this environment of .gate.yml (first region, prefixed stack)")
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="both",
        help="IaC to synthesise: template.yaml (cloudformation), main.tf (terraform) or both (default)",
    )
    parser.add_argument(
        "--llm",
        metavar="MODEL",
        help="interpret the request with this litellm model (e.g. openai/gpt-4o); the API key comes from the "
        "environment. Default: llm.model in .gate.yml, else the offline interpreter",
    )
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    scan_worker.prewarm_early(config.checks.enabled, FORMATS[args.format])  # before the imports below
    from gate.cloud.aws import AwsTarget
    from gate.commands import console
    from gate.commands.common import finish
    from gate.deploy import environments
    from gate.intake import github_event, local
    from gate.interpret.choose import with_llm
    from gate.models import ChangeContext
    from gate.pipeline import Run, plan_request
    from gate.plan_file import load_previous
    from gate.refine_plan import NoChange, refine_plan

    if args.llm:
        config = with_llm(config, args.llm)
    previous = load_previous(args.previous) if args.previous else None
    context = ChangeContext() if previous is None else previous.context.model_copy(update={"allow_data_loss": ()})
    if args.event and previous is not None:
        raise GateError(
            "--previous takes the refinement from --request or --request-file, not --event",
            fix="a PR comment '/gate plan <text>' refines the PR's plan; locally pass --request TEXT",
        )
    if args.event:
        payload = github_event.load_event(args.event, config.limits.event_bytes)
        context, request = github_event.from_payload(
            payload, github_event.event_name_of(payload, args.event_name), args.event
        )
    elif args.request_file:
        request = local.from_file(args.request_file)
    else:
        request = local.from_text(args.request)
    target = None
    endpoint = args.endpoint_url or config.aws.endpoint_url
    if endpoint:
        if not endpoint.startswith(("http://", "https://")):
            raise GateError(f"endpoint {endpoint!r} is not a URL", fix="pass --endpoint-url http://host:port")
        target = AwsTarget(region=config.aws.region, endpoint_url=endpoint)
    if args.allow_data_loss:
        allowed = tuple(dict.fromkeys((*context.allow_data_loss, *args.allow_data_loss)))
        context = context.model_copy(update={"allow_data_loss": allowed})
    if args.env:
        config, target = environments.for_plan(config, args.env, endpoint, "devops-gate-plan")
    run_ = Run(config=config, context=context, target=target, environment=args.env, progress=console.progress())
    if previous is None:
        return finish(plan_request(request, run_, formats=FORMATS[args.format]), args.out)
    refined = refine_plan(previous, request.text, run_, FORMATS[args.format])
    if isinstance(refined, NoChange):
        return no_change(refined, args.previous)
    return finish(refined, args.out)


def no_change(answer: NoChange, previous_path: str) -> int:
    """The answer to a refinement that changes nothing: the reviewed plan stays, with its sha256 and verdict."""
    from gate.plan_file import plan_file_sha256
    from gate.redact import redact

    plan = answer.previous
    print(f"devops-gate: no change: {redact(answer.note.value)!r}: the plan already holds what this asks for")
    print(f"  the reviewed plan is kept as it was: {previous_path} ({plan.verdict.decision.replace('-', ' ').upper()})")
    print(f"plan sha256: {plan_file_sha256(previous_path)}")
    code: int = plan.verdict.exit_code
    return code
