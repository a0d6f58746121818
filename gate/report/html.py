"""``report.html``: the plan as one self-contained page (styles, script and the diagram inline; nothing is
fetched when it is viewed), rendered from ``templates/report.html.j2`` with HTML autoescaping.

The diagram is Graphviz's SVG when ``dot`` is installed; otherwise the page shows the Mermaid source and says
how to draw it.  Links to documentation stay links: following one is the reader's choice, not a page load.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from gate.cost import format as cost_format
from gate.errors import GateError
from gate.iac import count_by_file
from gate.models import GatePlan
from gate.redact import redact
from gate.report import spec_text, templating
from gate.report.comment import findings_summary
from gate.report.diagram import dot, mermaid
from gate.report.diagram.graph import build, legend_text
from gate.report.diagram.mermaid import STYLES

REPORT_FILE = "report.html"
_VERDICT = {"pass": "passed", "needs-approval": "needs approval", "blocked": "blocked"}
_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return templating.environment(
        "gate.report",
        {
            "describe": spec_text.describe,
            "money": cost_format.money,
            "signed": cost_format.signed,
            "slug": lambda value: re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)).strip("-") or "x",
        },
        html=True,
    )


def _svg(source: str) -> Markup | None:
    """Graphviz's SVG of the diagram (its labels are XML-escaped by Graphviz), or None without Graphviz."""
    try:
        svg = dot.to_image(source, "svg").decode("utf-8")
    except GateError:
        return None
    svg = _PROLOG.sub("", svg, count=1)
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.S | re.I)  # Graphviz writes none; be sure
    return Markup(svg)  # noqa: S704 - Graphviz output from labels dot.quote escaped


def _table(items: Any) -> tuple[list[str], list[list[str]]] | None:
    """Rows of any list of models or mappings as (columns, cells): the page shows what the spec holds."""
    if not items:
        return None
    dicts = [i.model_dump(mode="json") if hasattr(i, "model_dump") else dict(i) for i in items]
    columns = list(dict.fromkeys(k for d in dicts for k in d))
    return columns, [[_cell(d.get(c)) for c in columns] for d in dicts]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def render_report(plan: GatePlan) -> str:
    graph = build(plan)
    by_severity, _ = findings_summary(plan)
    readings = _table(getattr(plan.spec, "readings", None) if plan.spec else None)  # 'Read as', when present
    context: dict[str, Any] = {
        "plan": plan,
        "verdict_label": _VERDICT[plan.verdict.decision],
        "graph": graph,
        "svg": _svg(dot.render(graph)) if graph.size else None,
        "mermaid_source": mermaid.render(graph) if graph.size else "",
        "legend": [(legend_text(graph, status), STYLES[status]) for status in graph.statuses],
        "findings_by_severity": by_severity,
        "resource_counts": count_by_file(plan.resources),
        "readings": readings,
    }
    return redact(_env().get_template("report.html.j2").render(**context))


def write_report(plan: GatePlan, out_dir: Path) -> Path:
    path = out_dir / REPORT_FILE
    path.write_text(render_report(plan), encoding="utf-8")
    return path
