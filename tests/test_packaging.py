"""The wheel a user installs carries what the gate needs at run time, not only the editable checkout does."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from gate.services import CATALOG
from tests.conftest import ROOT


def _wheel_names(source: Path, out: Path) -> set[str]:
    """Build the wheel of ``source`` into ``out``; the names of the files in it."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(source), "-w", str(out)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("devops_gate-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def _assert_policies(names: set[str]) -> None:
    """The cross-service policies/ as gate/data/policies/, and every service's rule files in its folder (where
    gate/checks/builtin_rules.py finds them through the catalogue)."""
    shipped = {n.removeprefix("gate/data/policies/") for n in names if n.startswith("gate/data/policies/")}
    assert shipped == {p.name for p in (ROOT / "policies").glob("*.yaml")}
    rule_files = {
        f"gate/services/{service.folder.name}/policies/{rule_id}.yaml"
        for service in CATALOG.values()
        for rule_id in service.policies
    }
    assert rule_files and rule_files <= names, sorted(rule_files - names)


def test_the_wheel_ships_the_builtin_policies_and_templates(tmp_path: Path) -> None:
    names = _wheel_names(ROOT, tmp_path)
    _assert_policies(names)
    assert "gate/report/templates/comment.md.j2" in names
    assert any(n.startswith("gate/data/prices/") for n in names)


def _dockerfile_stages() -> list[list[str]]:
    """The Dockerfile's instructions per stage (continuation lines joined)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def test_the_wheel_built_from_exactly_what_the_dockerfile_copies_has_the_policies(tmp_path: Path) -> None:
    """No Docker daemon here: copy what the build stage COPYs, nothing else, and build the wheel from that."""
    build, _final = _dockerfile_stages()
    context = tmp_path / "context"
    context.mkdir()
    for line in build:
        if line.upper().startswith("COPY "):
            *sources, dest = line.split()[1:]
            for source in sources:
                origin = ROOT / source
                if origin.is_dir():
                    shutil.copytree(origin, context / dest.rstrip("/").removeprefix("./"), dirs_exist_ok=True)
                else:
                    shutil.copy2(origin, context / origin.name)
    _assert_policies(_wheel_names(context, tmp_path))


def test_the_dockerfile_reads_like_hadolint_would_want() -> None:
    """What hadolint checks that matters here, read from the file: pinned base images, apt lists removed,
    --no-install-recommends, pip without cache, the final stage installing the lock hash-checked and the
    wheel non-editably, no build tools or sources copied into the final image."""
    stages = _dockerfile_stages()
    assert len(stages) == 2, "multi-stage: build, then the slim final image"
    for stage in stages:
        image = stage[0].split()[1]
        assert ":" in image and not image.endswith(":latest"), image
        for line in stage:
            if "apt-get install" in line:
                assert "--no-install-recommends" in line and "rm -rf /var/lib/apt/lists/*" in line
            if (line.startswith("RUN") and "pip install" in line) or "pip wheel" in line:
                assert "--no-cache-dir" in line, line
    final = " ".join(stages[1])
    assert "--require-hashes" in final and "requirements/runtime.lock" in final
    assert " -e " not in final and "COPY --from=build /dist/" in final
    assert "COPY gate" not in final and "build-essential" not in final and "gcc" not in final
