"""report.html: one self-contained page, checked in Debian's headless Chromium (renders, no console message,
the filter script ran, a screenshot that is not blank).  `--update-golden` also refreshes docs/report.png."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gate.config import GateConfig
from gate.iac import load_paths
from gate.models import ChangeContext, GatePlan
from gate.pipeline import Run, gate_bundle, write_outputs
from gate.report.html import render_report
from tests import browser
from tests.conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 11, 25)


def _plan() -> GatePlan:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)  # relative paths on the page (and in the screenshot kept in docs/)
        bundle = load_paths([str((FIXTURES / "diagram" / "app.yaml").relative_to(ROOT))])
        return gate_bundle(bundle, Run(config=GateConfig(), context=ChangeContext(), today=TODAY))


class _Loads(HTMLParser):
    """Everything the page would fetch when viewed: scripts, styles, images, frames, objects."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        for key in ("src", "srcset", "data", "poster"):
            if values.get(key):
                self.loads.append(f"{tag} {key}={values[key]}")
        if tag == "link":
            self.loads.append(f"link {values.get('href')}")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[GatePlan, Path]:
    out = tmp_path_factory.mktemp("report")
    plan = _plan()
    written = write_outputs(plan, out)
    return plan, written["report.html"]


def test_report_is_self_contained(report: tuple[GatePlan, Path]) -> None:
    plan, path = report
    html = path.read_text(encoding="utf-8")
    parser = _Loads()
    parser.feed(html)
    assert parser.loads == [], "nothing is fetched when the page is viewed"
    assert "url(" not in html and "@import" not in html
    assert "default-src 'none'" in html, "a CSP forbids any load the page did not inline"
    assert len(parser.ids) == len(set(parser.ids)), "anchors are unique"
    for anchor in ("verdict-reasons", "diagram", "changes", "findings", "checks"):
        assert anchor in parser.ids
    assert plan.findings and all(f.check_id in html for f in plan.findings), "every finding is on the page"
    fixes = [f.remediation for f in plan.findings if f.remediation]
    assert fixes and all(fix.split("&")[0].split("<")[0][:30] in html for fix in fixes)
    if shutil.which("dot"):
        assert '<div class="diagram" id="diagram-svg"><svg' in html
        assert all(f">{row.logical_id}</text>" in html or row.logical_id in html for row in plan.resources)
    else:
        assert 'id="diagram-mermaid"' in html


def test_untrusted_text_is_escaped() -> None:
    plan = _plan()
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    request = plan.model_copy(update={"request": plan.request}).model_dump()
    request["request"] = {"text": hostile, "origin": "pr-body"}
    html = render_report(GatePlan.model_validate(request))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_report_renders_in_headless_chromium(
    report: tuple[GatePlan, Path], tmp_path: Path, update_golden: bool
) -> None:
    plan, path = report
    shot = tmp_path / "report.png"
    taken = browser.run(path, tmp_path / "profile-1", f"--screenshot={shot}", "--window-size=1280,1400")
    assert taken.console == [], f"console messages: {taken.console}"
    image = browser.read_png(shot)
    assert (image.width, image.height) == (1280, 1400)
    assert len(image.colours()) > 20 and image.share_not_white() > 0.05, "the screenshot is not blank"
    dom = browser.run(path, tmp_path / "profile-2", "--dump-dom")
    assert dom.console == []
    assert 'data-ready="true"' in dom.output, "the page's script ran to the end"
    total = len(plan.findings)
    assert re.search(rf'id="finding-count"[^>]*>{total} of {total} shown<', dom.output)
    docs = ROOT / "docs" / "report.png"
    if update_golden or not docs.exists():
        docs.write_bytes(shot.read_bytes())
