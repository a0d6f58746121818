"""``devops-gate action``: the GitHub Action's entry point.

Reads ``GITHUB_EVENT_NAME``/``GITHUB_EVENT_PATH`` and the action's inputs (``INPUT_<NAME>``), then plans (the
PR's change request and the hand-written IaC it changes), answers ``/gate`` commands, or applies the reviewed
plan on merge (see gate/publish/flow.py and gate/deploy/spine.py).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from gate.config import DEFAULT_CONFIG_FILE, LimitSettings, load_config
from gate.errors import GateError
from gate.intake import actions
from gate.intake.github_event import load_event
from gate.intake.pr_iac import parse_globs
from gate.publish.checks import parse_publish_as
from gate.publish.comment import DEFAULT_BOT_LOGIN, parse_mode
from gate.publish.flow import run_job
from gate.publish.github import DEFAULT_API_URL, GitHubClient
from gate.publish.job import ActionSettings, Job

HELP = "run as a GitHub Action: plan a PR, answer /gate commands, apply on merge"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--github-retries", type=int, default=4, help="retries of a failed GitHub call (default 4)")
    parser.add_argument(
        "--github-max-wait", type=float, default=30.0, help="longest single wait before a retry, seconds"
    )
    parser.add_argument("--github-write-interval", type=float, default=1.0, help="pause between GitHub writes, seconds")
    parser.add_argument(
        "--github-budget",
        type=float,
        default=180.0,
        help="seconds all GitHub calls of the run may take together, retries and waits included (default 180)",
    )
    parser.add_argument(
        "--github-rate-limit-wait",
        type=float,
        default=60.0,
        help="longest wait for a GitHub rate limit to reset, within the budget; past it the run fails with the reset "
        "time (default 60)",
    )


def settings_from_inputs() -> ActionSettings:
    get = actions.get_input
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    repo, run_id = os.environ.get("GITHUB_REPOSITORY", ""), os.environ.get("GITHUB_RUN_ID", "")
    return ActionSettings(
        config_path=config_input(get("config")),
        out=get("out", default="gate-out"),
        fail_on=get("fail-on") or None,
        comment_mode=parse_mode(get("comment-mode", default="update")),
        environment=get("environment", default="default"),
        bot_login=get("bot-login", default=DEFAULT_BOT_LOGIN),
        plan_artifact=get("plan-artifact", default="gate-plan-pr-{pr}"),
        plan_file=get("plan") or None,
        request=get("request") or None,
        aws_region=get("aws-region") or None,
        llm_model=get("llm-model") or None,
        endpoint_url=get("endpoint-url") or None,
        dispatch_mode=get("mode"),
        run_url=f"{server}/{repo}/actions/runs/{run_id}" if repo and run_id else None,
        iac_paths=parse_globs(get("iac-paths")),
        publish_as=parse_publish_as(get("publish-as", default="both")),
        plan_drafts=actions.get_boolean("plan-drafts"),
    )


def config_input(value: str) -> str | None:
    """The ``config`` input as a path for ``load_config``; ``None`` means '.gate.yml when present, else defaults'.

    The runner always sets ``INPUT_CONFIG`` (to the input's default, ``.gate.yml``, when the workflow leaves it
    out), so that default path may be missing: a repository without a ``.gate.yml`` runs on the defaults. Any
    other path that is given and missing stays an error (``cannot read the config file``).
    """
    if not value or Path(value) == Path(DEFAULT_CONFIG_FILE):
        return None
    return value


def run(args: argparse.Namespace) -> int:
    event_name = os.environ.get("GITHUB_EVENT_NAME", "")
    event_path = os.environ.get("GITHUB_EVENT_PATH", "")
    if not event_name or not event_path:
        raise GateError(
            "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set",
            fix="run 'devops-gate action' inside GitHub Actions; locally use 'devops-gate plan --event FILE'",
        )
    try:  # limits.event_bytes bounds the read; a bad config is reported by the job itself, on the PR
        limit = load_config(config_input(actions.get_input("config")))[0].limits.event_bytes
    except GateError:
        limit = LimitSettings().event_bytes
    payload = load_event(event_path, limit)
    repository = os.environ.get("GITHUB_REPOSITORY") or (payload.get("repository") or {}).get("full_name") or ""
    if actions.get_boolean("debug"):
        print(f"devops-gate: event {event_name} on {repository}")
    client = GitHubClient(
        repository,
        actions.get_input("github-token") or os.environ.get("GITHUB_TOKEN", ""),
        os.environ.get("GITHUB_API_URL", DEFAULT_API_URL),
        retries=args.github_retries,
        max_wait=args.github_max_wait,
        seconds_between_writes=args.github_write_interval,
        budget=args.github_budget,
        rate_limit_wait=args.github_rate_limit_wait,
    )
    return run_job(Job(client=client, settings=settings_from_inputs(), event_name=event_name, payload=payload))
