"""The merge side's layering, read from the source (the AST, every import, in functions and TYPE_CHECKING blocks
too): adapters and the deploy engine never call commands, and intake, publish and commands import each other in
one direction only (commands -> publish -> intake), so there is no cycle between them; and no module in gate/ is
over 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GATE = Path(__file__).resolve().parent.parent / "gate"
LAYERS = ("intake", "publish", "commands")
MAX_LINES = 400


def _module(path: Path) -> str:
    parts = path.relative_to(GATE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every gate module ``path`` imports, wherever the import statement is."""
    found: set[str] = set()
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "gate" or name.startswith("gate.")}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def _sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (GATE / folder).rglob("*.py"))


def test_the_walk_sees_imports_inside_functions_and_type_checking() -> None:
    """The checker itself: a lazy import in a function and one under TYPE_CHECKING are both found."""
    probe = GATE / "publish" / "flow.py"
    assert "gate.deploy.drift" in _imports(probe)  # imported inside _run_job only
    assert {"gate.intake.route", "gate.publish.plan_job"} <= _imports(probe)
    assert "gate.deploy.spine" in _imports(GATE / "publish" / "checks.py")  # under TYPE_CHECKING only


@pytest.mark.parametrize("path", _sources("publish", "deploy"), ids=lambda p: str(p.relative_to(GATE)))
def test_adapters_and_deploy_never_import_commands(path: Path) -> None:
    calls = sorted(m for m in _imports(path) if m == "gate.commands" or m.startswith("gate.commands."))
    assert calls == [], f"{path.relative_to(GATE)} imports {calls}: call gate.deploy.spine / gate.pipeline instead"


@pytest.mark.parametrize("path", _sources("deploy"), ids=lambda p: str(p.relative_to(GATE)))
def test_the_deploy_engine_knows_none_of_its_callers(path: Path) -> None:
    """Approvals and announcements reach the spine as ports (gate/deploy/spine.py), never as imports."""
    callers = sorted(m for m in _imports(path) if _layer(m) is not None)
    assert callers == [], f"{path.relative_to(GATE)} imports {callers}"


def test_no_import_cycle_between_intake_publish_and_commands() -> None:
    edges: dict[str, set[str]] = {layer: set() for layer in LAYERS}
    why: dict[tuple[str, str], list[str]] = {}
    for path in _sources(*LAYERS):
        source = _layer(_module(path))
        assert source is not None
        for imported in _imports(path):
            target = _layer(imported)
            if target is not None and target != source:
                edges[source].add(target)
                why.setdefault((source, target), []).append(f"{_module(path)} -> {imported}")

    def cycle(start: str, node: str, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for nxt in sorted(edges[node]):
            if nxt == start:
                return (*seen, nxt)
            if nxt not in seen:
                found = cycle(start, nxt, (*seen, nxt))
                if found:
                    return found
        return None

    for layer in LAYERS:
        found = cycle(layer, layer, (layer,))
        detail = [line for a, b in zip(found or (), (found or ())[1:], strict=False) for line in why[(a, b)]]
        assert found is None, f"import cycle {' -> '.join(found or ())}: {detail}"
    # the one direction, stated: commands may use publish and intake, publish may use intake, intake neither
    assert edges["intake"] == set(), why
    assert edges["publish"] <= {"intake"}, why


@pytest.mark.parametrize("path", sorted(GATE.rglob("*.py")), ids=lambda p: str(p.relative_to(GATE)))
def test_every_module_stays_small(path: Path) -> None:
    """STYLE.md: modules under ~400 lines, every one in gate/ (a module past that asks to be split)."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(GATE)} has {lines} lines: split it along its jobs or stages"


def test_one_plan_reader() -> None:
    readers = [_module(p) for p in GATE.rglob("*.py") if "def load_plan(" in p.read_text(encoding="utf-8")]
    assert readers == ["gate.plan_file"]
