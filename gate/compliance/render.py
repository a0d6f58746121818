"""The compliance report as markdown (``compliance.md``) and JSON (``compliance.json``)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from gate.compliance.build import control_title
from gate.models import ComplianceReport, GatePlan
from gate.redact import redact, redact_data
from gate.report import markdown, templating

STATUS_LABEL = {"pass": "✅ pass", "fail": "❌ fail", "waived": "⚪ waived", "unknown": "❔ unknown"}


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    # markdown: every untrusted value goes through esc or code
    return templating.environment(
        "gate.compliance",
        {
            "esc": markdown.escape,
            "code": markdown.code,
        },
    )


def render_markdown(plan: GatePlan, report: ComplianceReport) -> str:
    text = (
        _env()
        .get_template("compliance.md.j2")
        .render(plan=plan, report=report, title=control_title, status_label=STATUS_LABEL)
    )
    return redact(text)


def render_json(plan: GatePlan, report: ComplianceReport) -> dict[str, Any]:
    data = {
        "gate_version": plan.gate_version,
        "created_at": plan.created_at,
        "bundle_sha256": plan.bundle_sha256,
        "verdict": plan.verdict.decision,
        "frameworks": [
            {
                **fw.model_dump(mode="json", exclude={"controls"}),
                "controls": [
                    {**c.model_dump(mode="json"), "title": control_title(fw.framework, c.control)} for c in fw.controls
                ],
            }
            for fw in report.frameworks
        ],
    }
    result: dict[str, Any] = redact_data(data)
    return result


MARKDOWN_FILE = "compliance.md"
JSON_FILE = "compliance.json"


def write_compliance(plan: GatePlan, out_dir: Path) -> dict[str, Path]:
    """compliance.md and compliance.json, when the plan has a compliance report."""
    if plan.compliance is None:
        return {}
    md, js = out_dir / MARKDOWN_FILE, out_dir / JSON_FILE
    md.write_text(render_markdown(plan, plan.compliance), encoding="utf-8")
    js.write_text(json.dumps(render_json(plan, plan.compliance), indent=2) + "\n", encoding="utf-8")
    return {MARKDOWN_FILE: md, JSON_FILE: js}
