"""The golden Mermaid diagrams rendered by real Mermaid (the npm package GitHub's renderer is built on, fetched
with `npm pack` at test time, never committed) in headless Chromium: each parses, and every resource node is
in the SVG.  `--update-golden` also refreshes docs/diagram-change-set.png."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests import browser
from tests.conftest import GOLDEN, ROOT
from tests.test_diagram import parse

MERMAID = "mermaid@11"
_RESULT = re.compile(r"RESULT(\{.*\})END")


@pytest.fixture(scope="module")
def mermaid_js(tmp_path_factory: pytest.TempPathFactory) -> Path:
    browser.chromium()
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed, so the mermaid package cannot be fetched")
    work = tmp_path_factory.mktemp("mermaid")
    done = subprocess.run(
        [npm, "pack", MERMAID, "--silent"], cwd=work, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"npm pack {MERMAID} failed (no registry here?): {done.stderr.strip()[:200]}")
    with tarfile.open(work / done.stdout.strip().splitlines()[-1]) as tar:
        member = tar.getmember("package/dist/mermaid.min.js")
        (work / "mermaid.min.js").write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
    return work / "mermaid.min.js"


def _page(mermaid_js: Path, sources: dict[str, str], show: str | None = None) -> str:
    shown = f'document.getElementById("shown").innerHTML = (await mermaid.render("s", srcs[{json.dumps(show)}])).svg;'
    return f"""<html><head><meta charset="utf-8"></head><body><div id="shown"></div><pre id="out" hidden></pre>
<script src="{mermaid_js.as_uri()}"></script><script>
mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
const srcs = {json.dumps(sources)};
(async () => {{
  const out = {{}};
  let n = 0;
  for (const [name, src] of Object.entries(srcs)) {{
    try {{
      const svg = (await mermaid.render("d" + (n++), src)).svg;
      const ids = (svg.match(/id="[^"]*flowchart-(r_[A-Za-z0-9_]+?)-[0-9]+"/g) || [])
        .map(s => s.replace(/^id="[^"]*flowchart-/, "").replace(/-[0-9]+"$/, ""));
      out[name] = {{ok: true, ids: [...new Set(ids)].sort(), clusters: (svg.match(/class="cluster/g) || []).length}};
    }} catch (e) {{ out[name] = {{ok: false, error: String((e && e.message) || e)}}; }}
  }}
  {shown if show else ""}
  document.getElementById("out").textContent = "RESULT" + JSON.stringify(out) + "END";
}})();
</script></body></html>"""


def test_goldens_render_in_real_mermaid(mermaid_js: Path, tmp_path: Path, update_golden: bool) -> None:
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("diagram-*.mmd"))}
    assert len(sources) == 4  # a change set, a generated VPC stack, hand-written IaC, a Terraform plan with a module
    page = tmp_path / "render.html"
    page.write_text(_page(mermaid_js, sources))
    dom = browser.run(page, tmp_path / "profile", "--dump-dom", "--virtual-time-budget=30000")
    match = _RESULT.search(dom.output)
    assert match, dom.output[-2000:]
    results = json.loads(match.group(1))
    for name, source in sources.items():
        assert results[name]["ok"], f"{name}: {results[name].get('error')}"
        nodes, subgraphs, _, _ = parse(source)
        assert set(results[name]["ids"]) == nodes, f"{name}: every resource node is drawn"
        assert results[name]["clusters"] >= len(subgraphs), f"{name}: every VPC and subnet is a box"
    shot = tmp_path / "change-set.png"
    page.write_text(_page(mermaid_js, sources, show="diagram-change-set.mmd"))
    browser.run(page, tmp_path / "profile-2", f"--screenshot={shot}", "--window-size=900,520")
    assert browser.read_png(shot).share_not_white() > 0.02
    docs = ROOT / "docs" / "diagram-change-set.png"
    if update_golden or not docs.exists():
        docs.write_bytes(shot.read_bytes())


def test_hostile_labels_stay_text(mermaid_js: Path, tmp_path: Path) -> None:
    from gate.report.diagram import mermaid

    hostile = '<img src=x onerror=alert(1)>"] --> X\n%%{init: {"theme": "dark"}}%%'
    source = f'flowchart LR\n  r_A["{mermaid.text(hostile)}"]\n  r_B["b"]\n  r_A --> r_B\n'
    page = tmp_path / "hostile.html"
    page.write_text(_page(mermaid_js, {"h": source}, show="h"))
    dom = browser.run(page, tmp_path / "profile", "--dump-dom", "--virtual-time-budget=30000")
    results = json.loads(_RESULT.search(dom.output).group(1))  # type: ignore[union-attr]
    assert results["h"]["ok"] and results["h"]["ids"] == ["r_A", "r_B"], "one node, not an injected edge"
    assert "<img" not in dom.output.split('id="out"')[0], "the label is text, not HTML"
