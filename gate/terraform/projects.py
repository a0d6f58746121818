"""The Terraform projects of a repository, and the files each one needs (its own, and its modules').

A project is a root that is planned on its own, as Atlantis projects are: the folder given on the command
line, each folder in ``projects:`` of ``.gate.yml``, or, when none are configured, each folder with a
``backend`` or ``provider`` block or a ``terraform.tfvars``. Examples, tests and nested modules are not
projects unless configured: a module is scanned where a project calls it (once per call, as checkov does),
an example only when it is listed. Every folder with Terraform that is neither is listed as not evaluated.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gate.config import ProjectSettings
from gate.errors import GateError
from gate.iac import SKIP_DIRS, make_file
from gate.models import IaCBundle, IaCFile, ModuleCall, NotEvaluated, TerraformProject
from gate.terraform.modules import BundleTree, DiskTree, FileTree, join, module_calls
from gate.terraform.parse import parse

EXAMPLE_DIRS = frozenset({"examples", "example", "test", "tests", "testing"})
_ROOT_FILES = ("terraform.tfvars", "terraform.tfvars.json")
_MARKER = re.compile(r'^\s*(backend|provider)\s+"?([\w-]+)"?\s*\{', re.M)


@dataclass(frozen=True)
class Layout:
    projects: tuple[TerraformProject, ...]
    files: tuple[tuple[str, str, bool], ...]  # path, content, is a module file
    not_evaluated: tuple[NotEvaluated, ...]


def root_marker(folder: str, files: dict[str, str]) -> str | None:
    """What makes ``folder`` a root: a backend block, a provider block, or a terraform.tfvars."""
    for name in _ROOT_FILES:
        if (Path(folder) / name).is_file():
            return name
    if any(n.name.endswith(".auto.tfvars") for n in Path(folder).iterdir()):
        return "*.auto.tfvars"
    for name, content in sorted(files.items()):
        if name.endswith(".tf.json"):
            try:
                parsed = parse(content, name)
            except GateError:  # the checks report the unreadable file; a marker it may hold is not seen here
                parsed = {}
            if any("backend" in block for block in parsed.get("terraform", [])):
                return f"backend block in {name}"
            if parsed.get("provider"):
                return f"provider block in {name}"
            continue
        match = _MARKER.search(content)
        if match:
            return f"{match.group(1)} block in {name}"
    return None


def layout(given: str, configured: Sequence[ProjectSettings], *, download: bool = False) -> Layout:
    """The projects under the folder ``given`` (named as given, e.g. ``examples/complete`` or ``.``)."""
    disk = DiskTree()
    top = posixpath.normpath(given)
    folders = _terraform_folders(top, disk)
    projects: dict[str, TerraformProject] = {}
    passed: dict[str, str] = {}
    chosen = _configured(top, folders, configured)
    if configured:
        for folder in folders:
            if folder in chosen:
                projects[folder] = chosen[folder]
            elif folder == top and not chosen:
                projects[folder] = TerraformProject(dir=folder, name=folder, reason="given")
            else:
                passed[folder] = "not in projects: of .gate.yml"
    else:
        for folder in folders:
            reason = _project_reason(top, folder, disk)
            if reason.startswith("!"):
                passed[folder] = reason[1:]
            else:
                projects[folder] = TerraformProject(dir=folder, name=folder, reason=reason)
    calls = {d: module_calls(disk, d, download=download) for d in projects}
    module_dirs = {c.dir for found in calls.values() for c in found if c.dir is not None}
    # a detected root that another project calls is a nested module, not a project of its own
    for folder in [d for d in projects if d in module_dirs and projects[d].reason not in ("given", "configured")]:
        del projects[folder]
    files: list[tuple[str, str, bool]] = []
    for folder in projects:
        files.extend((join(folder, n), c, False) for n, c in sorted((disk.files_in(folder) or {}).items()))
    for folder in sorted(module_dirs - set(projects)):
        files.extend((join(folder, n), c, True) for n, c in sorted((disk.files_in(folder) or {}).items()))
    skipped = [
        NotEvaluated(path=folder, reason=reason) for folder, reason in passed.items() if folder not in module_dirs
    ]
    return Layout(
        projects=tuple(p.model_copy(update={"modules": tuple(calls[d])}) for d, p in projects.items()),
        files=tuple(files),
        not_evaluated=tuple(skipped),
    )


def layout_of_file(path: str, *, download: bool = False) -> Layout:
    """One Terraform file given by name: a project of that file alone (in its folder), with its modules."""
    disk = DiskTree()
    folder = posixpath.dirname(posixpath.normpath(path)) or "."
    name = posixpath.basename(path)
    content = (disk.files_in(folder) or {})[name]
    tree = _OneFile(disk, folder, {name: content})
    calls = module_calls(tree, folder, download=download)
    project = TerraformProject(dir=folder, name=path, reason="given", modules=tuple(calls))
    files = [(join(folder, name), content, False)]
    for d in sorted({c.dir for c in calls if c.dir is not None} - {folder}):
        files.extend((join(d, n), c, True) for n, c in sorted((disk.files_in(d) or {}).items()))
    return Layout(projects=(project,), files=tuple(files), not_evaluated=())


class _OneFile:
    """The disk, except that one folder holds only the file given by name."""

    def __init__(self, disk: DiskTree, folder: str, files: dict[str, str]) -> None:
        self._disk, self._folder, self._files = disk, folder, files

    def files_in(self, folder: str) -> dict[str, str] | None:
        return self._files if folder == self._folder else self._disk.files_in(folder)

    def text(self, path: str) -> str | None:
        return self._disk.text(path)


def _terraform_folders(top: str, tree: FileTree) -> list[str]:
    found: list[str] = []
    for here, dirs, _ in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        folder = posixpath.normpath(Path(here).as_posix())
        if tree.files_in(folder):
            found.append(folder)
    return found


def _configured(top: str, folders: list[str], configured: Sequence[ProjectSettings]) -> dict[str, TerraformProject]:
    wanted = {Path(p.dir).resolve(): p for p in configured}
    out: dict[str, TerraformProject] = {}
    for folder in folders:
        setting = wanted.get(Path(folder).resolve())
        if setting is not None:
            out[folder] = TerraformProject(dir=folder, name=setting.name or setting.dir, reason="configured")
    return out


def _project_reason(top: str, folder: str, tree: FileTree) -> str:
    """Why ``folder`` is a project, or ``!why not``."""
    if folder == top:
        return "given"
    parts = Path(posixpath.relpath(folder, top)).parts
    if EXAMPLE_DIRS.intersection(parts):
        return "!an example or test: scanned only when listed in projects: of .gate.yml"
    if "modules" in parts:
        return "!a nested module: scanned where a project calls it"
    marker = root_marker(folder, tree.files_in(folder) or {})
    if marker is None:
        return "!not a root (no backend or provider block, no terraform.tfvars) and no project calls it"
    return marker


def bundle_files(found: Layout) -> list[IaCFile]:
    return [
        make_file(path, "terraform", content).model_copy(update={"role": "module" if module else "root"})
        for path, content, module in found.files
    ]


def projects_of(bundle: IaCBundle, *, download: bool = False) -> list[TerraformProject]:
    """The bundle's projects; for a bundle that carries none (a PR's changed files, a synthesised main.tf), each
    folder with root Terraform files, its module calls resolved against the bundle (a module not in it is not
    evaluated)."""
    if bundle.projects:
        return list(bundle.projects)
    tree = BundleTree(bundle)
    roots = dict.fromkeys(posixpath.dirname(f.path) or "." for f in bundle.by_format("terraform") if f.role == "root")
    return [
        TerraformProject(
            dir=d, name=d, reason="Terraform files", modules=tuple(module_calls(tree, d, download=download))
        )
        for d in roots
    ]


def calls_by_folder(bundle: IaCBundle) -> dict[str, list[ModuleCall]]:
    """Module folder -> the calls that read it (a module's resources are evaluated once per call)."""
    out: dict[str, list[ModuleCall]] = {}
    for project in projects_of(bundle):
        for call in project.modules:
            if call.dir is not None:
                out.setdefault(call.dir, []).append(call)
    return out
