"""`devops-gate diagram`: mermaid, dot, svg/png (Graphviz), drawio. The XML outputs parse and name every
resource; draw.io's file is structurally what draw.io opens (cells, parents before children, edge ends)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gate.cli import main
from gate.config import GateConfig
from gate.errors import GateError
from gate.iac import load_paths
from gate.models import ChangeContext, GatePlan
from gate.pipeline import Run, gate_bundle, write_outputs
from gate.report.diagram import dot
from tests.conftest import FIXTURES, ROOT

needs_graphviz = pytest.mark.skipif(
    not __import__("shutil").which("dot"), reason="Graphviz ('dot') is not installed; .ci/run installs it"
)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[GatePlan, Path]:
    out = tmp_path_factory.mktemp("diagram")
    config = GateConfig(checks=GateConfig().checks.model_copy(update={"enabled": ("policies",)}))
    bundle = load_paths([str(FIXTURES / "diagram" / "app.yaml"), str(FIXTURES / "diagram" / "app.tf")])
    plan = gate_bundle(bundle, Run(config=config, context=ChangeContext()))
    return plan, write_outputs(plan, out)["gate-plan.json"]


def _export(path: Path, fmt: str, tmp_path: Path) -> Path:
    target = tmp_path / f"change.{fmt}"
    assert main(["diagram", str(path), "--format", fmt, "-o", str(target)]) == 0
    return target


@needs_graphviz
def test_svg_parses_and_names_every_resource(planned: tuple[GatePlan, Path], tmp_path: Path) -> None:
    plan, path = planned
    svg = ET.parse(_export(path, "svg", tmp_path)).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    for row in plan.resources:
        assert any(row.logical_id in (t or "") for t in texts), row.logical_id
    assert any("(VPC)" in (t or "") for t in texts) and any("Lambda function" in (t or "") for t in texts)


@needs_graphviz
def test_png_is_an_image(planned: tuple[GatePlan, Path], tmp_path: Path) -> None:
    _, path = planned
    assert _export(path, "png", tmp_path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_drawio_is_structurally_a_drawio_file(planned: tuple[GatePlan, Path], tmp_path: Path) -> None:
    plan, path = planned
    mxfile = ET.parse(_export(path, "drawio", tmp_path)).getroot()
    assert mxfile.tag == "mxfile"
    (diagram,) = mxfile.findall("diagram")
    cells = diagram.findall("./mxGraphModel/root/mxCell")
    ids = [c.get("id") for c in cells]
    assert ids[:2] == ["0", "1"] and len(ids) == len(set(ids)), "root cells first; ids unique"
    seen: set[str | None] = set()
    for cell in cells:
        assert cell.get("parent") is None or cell.get("parent") in seen, "a parent comes before its children"
        seen.add(cell.get("id"))
        if cell.get("vertex") == "1":
            geometry = cell.find("mxGeometry")
            assert geometry is not None and geometry.get("as") == "geometry"
            assert all(float(geometry.get(k) or -1) >= 0 for k in ("x", "y", "width", "height"))
        if cell.get("edge") == "1":
            assert cell.get("source") in seen | set(ids) and cell.get("target") in set(ids)
            assert "html=1" not in (cell.get("style") or "")
    values = [c.get("value") or "" for c in cells]
    for row in plan.resources:
        assert any(v.startswith(f"+ {row.logical_id}") for v in values), row.logical_id
    containers = [c for c in cells if "swimlane" in (c.get("style") or "")]
    assert {c.get("id") for c in containers} >= {"r_Network", "r_AppSubnetA", "r_aws_vpc_network"}


def test_mermaid_and_dot_to_stdout(planned: tuple[GatePlan, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, path = planned
    assert main(["diagram", str(path)]) == 0
    assert capsys.readouterr().out.startswith("flowchart LR\n")
    assert main(["diagram", str(path), "--format", "dot"]) == 0
    source = capsys.readouterr().out
    assert source.startswith("digraph change {") and "subgraph cluster_r_Network" in source
    assert "lhead=cluster_r_AppSubnetA" in source, "an edge to a subnet ends on its border"


def test_dot_labels_cannot_escape_their_string() -> None:
    assert dot.quote('a"];\n x [label="b') == '"a\\"];\\n x [label=\\"b"'
    assert dot.quote("a\\") == '"a\\\\"'


def test_no_graphviz_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GateError) as caught:
        dot.to_image("digraph {}", "svg")
    assert "apt-get install graphviz" in caught.value.render()


def test_a_bad_plan_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "gate-plan.json"
    bad.write_text("{}")
    assert main(["diagram", str(bad)]) == 2
    assert "is not a valid gate-plan.json" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["diagram", "{plan}", "--format", "drawio"], ["completion", "bash"]])
def test_no_heavy_imports(planned: tuple[GatePlan, Path], command: list[str]) -> None:
    """diagram and completion never import checkov, cfn-lint, litellm or moto (seconds of start-up each)."""
    _, path = planned
    argv = [a.replace("{plan}", str(path)) for a in command]
    code = (
        "import sys\nfrom gate.cli import main\n"
        f"assert main({argv!r}) == 0\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'checkov', 'cfnlint', 'litellm', 'moto'})\n"
        "print('heavy:' + ','.join(heavy), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "heavy:", done.stderr
