"""``/gate ...`` comments on a pull request, acted on only for people with write access: ``plan``,
``unlock``, ``allow-data-loss <id>``, ``explain <id>``; ``help`` and unknown commands get a reply."""

from __future__ import annotations

from pathlib import Path

from gate.checks.builtin_rules import builtin_rules
from gate.checks.checkov_check import severity_map
from gate.checks.policy_rules import PolicyRule, load_rules
from gate.config import GateConfig
from gate.errors import GateError
from gate.intake.github_event import CommentCommand, help_text, parse_command
from gate.publish import locking
from gate.publish.job import Job, job_config
from gate.publish.plan_job import plan_pr
from gate.report import markdown
from gate.vcs import WRITE_PERMISSIONS


def handle_comment(job: Job) -> int:
    issue, comment = job.payload.get("issue") or {}, job.payload.get("comment") or {}
    pr, author = int(issue["number"]), str((comment.get("user") or {}).get("login") or "")
    parsed = parse_command(comment.get("body"))
    if parsed.result == "ignore":
        job.log("devops-gate: not a /gate command; nothing to do")
        return 0
    if parsed.result == "reply":
        job.client.create_comment(pr, parsed.reply or help_text())
        return 0
    if job.client.permission(author) not in WRITE_PERMISSIONS:
        job.client.create_comment(pr, refusal(author, parsed))
        job.log(f"devops-gate: {author} has no write access; the command was refused")
        return 0
    try:
        job.client.react(int(comment["id"]), "eyes")  # an acknowledgement only: its failure stops nothing
    except GateError as exc:
        job.log(f"devops-gate: could not react to the comment: {exc.message}")
    if parsed.name == "plan":
        return plan_pr(job, pr, parsed.argument or None)
    if parsed.name == "unlock":
        return locking.unlock(job, pr, author)
    if parsed.name == "allow-data-loss":
        job.client.create_comment(
            pr,
            f"devops-gate: data loss on {markdown.code(parsed.argument)} is allowed by "
            f"{markdown.code(author)}; planning again.",
        )
        return plan_pr(job, pr)
    job.client.create_comment(pr, explain(parsed.argument, job_config(job.settings)))
    return 0


def refusal(author: str, parsed: CommentCommand) -> str:
    return (
        f"Sorry {markdown.code(author)}, devops-gate runs {markdown.code('/gate ' + (parsed.name or ''))} only for "
        "people with write access to this repository. A maintainer can run it for you.\n"
    )


def explain(finding_id: str, config: GateConfig) -> str:
    rules: list[PolicyRule] = builtin_rules()
    for folder in config.policy_dirs:
        if Path(folder).is_dir():
            rules += load_rules(Path(folder))
    rule = next((r for r in rules if r.id.lower() == finding_id.lower()), None)
    if rule is not None:
        lines = [f"**{markdown.code(rule.id)}** ({rule.severity.name}): {markdown.escape(rule.title)}", ""]
        lines += [f"- applies to: {', '.join(markdown.code(t) for t in rule.resource_types)}"]
        if rule.remediation:
            lines.append(f"- how to fix: {markdown.escape(rule.remediation)}")
        if rule.compliance:
            lines.append(f"- compliance: {markdown.escape(', '.join(rule.compliance))}")
        if rule.docs:
            lines.append(f"- docs: <{rule.docs}>" if rule.docs.startswith("https://") else "")
        return "\n".join(line for line in lines if line is not None) + "\n"
    severity = severity_map().get(finding_id.upper())
    if finding_id.upper().startswith("CKV"):
        level = severity.name if severity else "MEDIUM (not rated by the gate)"
        return (
            f"**{markdown.code(finding_id.upper())}** is a checkov check, rated {level} by the gate "
            "(`policies/checkov-severity.yaml`). The finding's row in the gate's comment has its fix and a docs link.\n"
        )
    return f"devops-gate knows no finding {markdown.code(finding_id)}. {help_text()}"
