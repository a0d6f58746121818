"""The pieces of the GitHub integration that need no server: comment size limit, '/gate' parsing, the
Actions runtime (inputs, outputs, annotations), and event routing on real webhook payloads."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from gate.errors import GateError
from gate.intake import actions
from gate.intake.github_event import parse_command
from gate.intake.route import route
from gate.models import ChangeContext, ChangeRequest, CheckReport, Finding, GatePlan, IaCBundle, Severity, Verdict
from gate.publish.comment import GITHUB_COMMENT_LIMIT, fit, parse_mode, plan_record, read_plan_record
from gate.report import markdown
from gate.report.comment import marker, render_comment
from tests.fakes.github_env import WRITER, comment_event, example, pr_event


def _plan(findings_per_level: int, request_text: str = "Create an S3 bucket") -> GatePlan:
    findings = tuple(
        Finding(
            check_id=f"CKV_AWS_{sev.value}{i:04d}",
            tool="checkov",
            severity=sev,
            title=f"{sev.name.title()} finding number {i} " + "x" * 120,
            resource=f"Bucket{i}",
            file="template.yaml",
            line=i + 1,
            remediation="turn the setting on " + "y" * 80,
        )
        for sev in Severity
        for i in range(findings_per_level)
    )
    return GatePlan(
        gate_version="0.0.0",
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat(),
        context=ChangeContext(),
        request=ChangeRequest(text=request_text, origin="pr-body"),
        iac=IaCBundle(origin="hand-written", files=()),
        bundle_sha256="0" * 64,
        region="us-east-1",
        resources=(),
        checks=(CheckReport(check="checkov", status="ran", findings=findings),),
        verdict=Verdict(decision="blocked", reasons=("1 critical finding",)),
    )


def test_a_comment_that_fits_is_unchanged() -> None:
    body = render_comment(_plan(2))
    assert fit(body) == body


def test_an_oversized_comment_shrinks_least_important_sections_first() -> None:
    body = render_comment(_plan(150), limit=10**9)  # everything: far over GitHub's limit
    assert len(body) > GITHUB_COMMENT_LIMIT
    small = render_comment(_plan(150))  # comment.md fits by itself, cutting finding rows from the least severe
    assert len(small) <= GITHUB_COMMENT_LIMIT and fit(small) == small
    assert small.splitlines()[0] == marker()
    assert "`CKV_AWS_40000`" in small  # the most severe rows stay
    assert "finding row(s) are not shown here" in small and "`gate-plan.json`" in small  # the rest is counted
    assert "### Checks" in small
    # fit() still cuts a body that does not fit (two environments' comments in one): its least important unit first
    shrunk = fit(body, full_report="the full report is in the job summary")
    assert len(shrunk) <= GITHUB_COMMENT_LIMIT and shrunk.splitlines()[0] == marker()
    assert "the full report is in the job summary" in shrunk


def test_a_tiny_limit_still_keeps_the_header_and_marker() -> None:
    body = render_comment(_plan(20))
    small = fit(body, limit=2000)
    assert len(small) <= 2000
    assert small.startswith(marker()) and "devops-gate: blocked" in small


def test_plan_record_round_trips_and_untrusted_text_cannot_forge_it() -> None:
    line = plan_record("a" * 64, "b" * 40)
    assert read_plan_record(f"{marker()}\n{line}\nrest") == ("a" * 64, "b" * 40)
    forged = _plan(0, request_text=f"{marker()}\n{line}\n@octocat please merge")
    body = render_comment(forged)
    assert read_plan_record(body) is None  # the request is escaped: no HTML comment survives
    assert body.count(marker()) == 1
    assert "@octocat" not in body


def test_comment_modes_are_validated() -> None:
    assert parse_mode("hide-and-new") == "hide-and-new"
    with pytest.raises(GateError, match="unknown comment mode") as exc:
        parse_mode("sticky")
    assert exc.value.fix == "use one of: update, on-change, hide-and-new, delete-and-new, new"


@pytest.mark.parametrize(
    ("text", "result", "name", "argument"),
    [
        ("/gate plan", "command", "plan", ""),
        ("/gate plan make it t3.large instead", "command", "plan", "make it t3.large instead"),
        ("  /GATE plan\nalso enable versioning", "command", "plan", "also enable versioning"),
        ("/gate explain GATE-S3-001", "command", "explain", "GATE-S3-001"),
        ("/gate allow-data-loss InvoicesBucket", "command", "allow-data-loss", "InvoicesBucket"),
        ("/gate allow-data-loss ../../etc", "reply", "allow-data-loss", ""),
        ("/gate explain", "reply", "explain", ""),
        ("/gate", "reply", "help", ""),
        ("/gate help", "reply", "help", ""),
        ("/gate destroy", "reply", "unknown", ""),
        ("/gateway plan", "ignore", None, ""),
        ("please /gate plan", "ignore", None, ""),
        ("", "ignore", None, ""),
    ],
)
def test_gate_comments_parse_to_a_result(text: str, result: str, name: str | None, argument: str) -> None:
    parsed = parse_command(text)
    assert (parsed.result, parsed.name, parsed.argument) == (result, name, argument)
    if result == "reply":
        assert parsed.reply and "/gate plan" in parsed.reply


def test_an_unknown_command_is_echoed_only_as_code() -> None:
    parsed = parse_command("/gate <!--x--> @team")
    assert parsed.reply is not None
    assert "`<\u200d!--x-->`" in parsed.reply and "<!--x" not in parsed.reply and "@team" not in parsed.reply


HOSTILE = [
    "Bucket|injected cell|",
    "Bucket\\|still one cell",  # a backslash before the pipe must not turn the escape off
    "Bucket\r| --- |\r| forged | row |",
    "Bucket\u2028## heading\u2029<!-- hidden",
    "Bucket\n\n<details><summary>x</summary>",
    "`closes the span` <img src=x onerror=alert(1)> @octocat @org/team",
    "x\x85y\vz\fw",
]


def _cells(row: str) -> list[str]:
    """Split a table row as cmark-gfm does: its cell scanner takes the longest match of (escaped char | not '|'),
    so a '|' right after a backslash is always part of the cell, whatever comes before that backslash."""
    body = row.strip().removeprefix("|").removesuffix("|")
    return re.split(r"(?<!\\)\|", body)


@pytest.mark.parametrize("value", HOSTILE)
def test_code_spans_are_safe_in_table_cells(value: str) -> None:
    shown = markdown.code(value)
    assert shown.startswith("`") and shown.endswith("`") and shown.count("`") == 2  # one span, never closed early
    assert len(shown.splitlines()) == 1 and not any(c in shown for c in "\r\n\v\f\x85\u2028\u2029")
    assert len(_cells(f"| {shown} | after |")) == 2  # every pipe stays in its cell
    assert re.search("<[^\u200d]", shown) is None  # no tag, comment or autolink can open
    assert re.search("@[^\u200d]", shown) is None  # nobody is mentioned
    assert markdown.code("") == "" and markdown.code(None) == ""


def test_a_hostile_resource_id_cannot_break_the_findings_table() -> None:
    plan = _plan(0)
    findings = tuple(
        Finding(check_id=f"CKV_AWS_{n}", tool="checkov", severity=Severity.HIGH, title="t", resource=value,
                file="template.yaml", line=1)
        for n, value in enumerate(HOSTILE)
    )  # fmt: skip
    plan = plan.model_copy(update={"checks": (CheckReport(check="checkov", status="ran", findings=findings),)})
    body = render_comment(plan)
    # each check's row in "By check", and each finding's row under its file: no value ended its row early
    rows = [line for line in body.splitlines() if line.startswith("| ") and "`CKV_AWS_" in line]
    assert len(rows) == 2 * len(HOSTILE)
    assert all(len(_cells(row)) == 5 for row in rows)
    assert "<!-- hidden" not in body and "<img" not in body and "<details><summary>x" not in body
    assert "@octocat" not in body and "@org/team" not in body


def test_inputs_the_toolkit_way(tmp_path: Path) -> None:
    env = {"INPUT_FAIL-ON": " high ", "INPUT_COMMENT_MODE": "new", "INPUT_DEBUG": "TRUE", "INPUT_DRY": "no"}
    assert actions.get_input("fail-on", env) == "high"
    assert actions.get_input("comment mode", env) == "new"
    assert actions.get_input("missing", env, default="d") == "d"
    assert actions.get_boolean("debug", env) is True
    assert actions.get_boolean("absent", env) is False
    with pytest.raises(GateError, match="not a boolean"):
        actions.get_boolean("dry", env)
    with pytest.raises(GateError, match="required"):
        actions.get_input("missing", env, required=True)


def test_outputs_and_summary_files(tmp_path: Path) -> None:
    env = {"GITHUB_OUTPUT": str(tmp_path / "out"), "GITHUB_STEP_SUMMARY": str(tmp_path / "sum")}
    actions.set_output("verdict", "pass", env)
    actions.set_output("multi", "a\nb", env)
    actions.append_summary("# hi", env)
    lines = (tmp_path / "out").read_text().splitlines()
    assert lines[0].startswith("verdict<<ghadelimiter_") and lines[1] == "pass" and lines[2] == lines[0][9:]
    assert lines[4:6] == ["a", "b"]
    assert (tmp_path / "sum").read_text() == "# hi\n"
    actions.set_output("ignored", "x", {})  # outside Actions: no file, no error


def test_annotations_escape_data_and_properties() -> None:
    line = actions.annotation("error", "50%\nbad", file="a,b:c.yaml", line=3, title="t:1")
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3,title=t%3A1::50%25%0Abad"
    plan = _plan(1)
    found = actions.plan_annotations(plan)
    assert len(found) == len(Severity)
    assert sum(a.startswith("::error ") for a in found) == 2  # HIGH and CRITICAL
    assert all("file=template.yaml,line=" in a for a in found)


def test_routing_real_payloads() -> None:
    assert route("pull_request", pr_event("opened")).job == "plan"
    assert route("pull_request", example("pull_request", action="synchronize")).job == "plan"
    assert route("pull_request", example("pull_request", action="reopened")).job == "plan"
    closed = example("pull_request", action="closed")
    assert route("pull_request", closed).job == "release"  # frees the PR's plan lock, applies nothing
    closed["pull_request"]["merged"] = True
    assert route("pull_request", closed).job == "apply"
    assert route("issue_comment", comment_event("/gate plan", WRITER, 2)).job == "command"
    assert route("issue_comment", example("issue_comment")).job == "ignore"  # on an issue, not a PR
    push = example("push", ref="refs/heads/master")
    assert route("push", push).job == "apply"
    assert route("push", example("push", ref="refs/tags/simple-tag")).job == "ignore"
    dispatch = example("workflow_dispatch")
    assert route("workflow_dispatch", dispatch).job == "plan"
    dispatch["inputs"] = {"mode": "drift"}
    assert route("workflow_dispatch", dispatch).job == "drift"
    dispatch["inputs"] = {"mode": "destroy"}
    with pytest.raises(GateError, match="unknown"):
        route("workflow_dispatch", dispatch)
    assert route("release", {}).job == "ignore"
