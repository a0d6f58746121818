"""Module calls, resolved the way ``terraform init`` and checkov resolve them.

A local source (``./x``, ``../x``) is read from the folder it names; a registry, git or other remote source
only from ``.terraform/modules`` (``modules.json``, written by ``terraform init``). Nothing is downloaded
here; checkov downloads remote modules itself only when ``terraform.download_external_modules`` is set. A
module that cannot be read is kept with the reason, so the report can say what was not evaluated.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from gate.errors import GateError
from gate.models import IaCBundle, ModuleCall
from gate.terraform.parse import is_terraform, parse

MAX_DEPTH = 16  # deeper nesting than this is a cycle (a module calling itself through others)
_LOCAL = ("./", "../")


class FileTree(Protocol):
    """Terraform files by folder: the disk (``devops-gate check``) or a bundle (what the checks see)."""

    def files_in(self, folder: str) -> dict[str, str] | None:
        """name -> content of the Terraform files in ``folder``; None when there is no such folder."""
        ...

    def text(self, path: str) -> str | None: ...


class DiskTree:
    def __init__(self) -> None:
        self._cache: dict[str, dict[str, str] | None] = {}

    def files_in(self, folder: str) -> dict[str, str] | None:
        if folder not in self._cache:
            here = Path(folder)
            if not here.is_dir():
                self._cache[folder] = None
            else:
                found: dict[str, str] = {}
                for entry in sorted(here.iterdir()):
                    if entry.is_file() and is_terraform(entry.name):
                        try:
                            found[entry.name] = entry.read_text(encoding="utf-8")
                        except (OSError, UnicodeDecodeError) as exc:
                            raise GateError(
                                "cannot be read as UTF-8 text", source=str(entry), fix="check the file"
                            ) from exc
                self._cache[folder] = found
        return self._cache[folder]

    def text(self, path: str) -> str | None:
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None


class BundleTree:
    def __init__(self, bundle: IaCBundle) -> None:
        self._by_dir: dict[str, dict[str, str]] = {}
        for f in bundle.by_format("terraform"):
            folder, name = posixpath.split(f.path)
            self._by_dir.setdefault(folder or ".", {})[name] = f.content

    def files_in(self, folder: str) -> dict[str, str] | None:
        return self._by_dir.get(folder)

    def text(self, path: str) -> str | None:
        folder, name = posixpath.split(path)
        return (self._by_dir.get(folder or ".") or {}).get(name)


def join(folder: str, relative: str) -> str:
    return posixpath.normpath(posixpath.join(folder, relative))


def module_calls(tree: FileTree, project_dir: str, *, download: bool = False) -> list[ModuleCall]:
    """Every module call under the project, depth first. ``download``: a remote source not in
    ``.terraform/modules`` is left to checkov to fetch (no folder, no reason) instead of not evaluated."""
    installed = installed_modules(tree, project_dir)
    return list(_walk(tree, project_dir, (), installed, 0, download))


def installed_modules(tree: FileTree, project_dir: str) -> dict[str, str]:
    """``.terraform/modules/modules.json`` of a project after ``terraform init``: key (``a.b``) -> folder."""
    raw = tree.text(join(project_dir, ".terraform/modules/modules.json"))
    if raw is None:
        return {}
    try:
        doc = json.loads(raw)
        return {str(m["Key"]): join(project_dir, str(m["Dir"])) for m in doc.get("Modules", []) if m.get("Key")}
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise GateError(
            "is not a modules.json that terraform init writes",
            source=join(project_dir, ".terraform/modules/modules.json"),
            fix="run 'terraform init' again, or delete the .terraform folder",
        ) from exc


def _walk(
    tree: FileTree, folder: str, keys: tuple[str, ...], installed: dict[str, str], depth: int, download: bool
) -> Iterator[ModuleCall]:
    for name, content in sorted((tree.files_in(folder) or {}).items()):
        path = join(folder, name)
        try:
            parsed = parse(content, path)
        except GateError:
            if not keys:
                raise  # a project's own file: the error is the project's
            continue  # the module's own call is reported as unreadable by its caller
        for group in parsed.get("module", []) or []:
            for label, body in group.items():
                if not isinstance(body, dict):
                    continue
                key = (*keys, str(label))
                call = _resolve(tree, folder, path, key, body, installed, download)
                yield call
                if call.dir is not None:
                    if depth >= MAX_DEPTH:
                        yield call.model_copy(update={"dir": None, "not_evaluated": "nested too deep (a cycle?)"})
                        continue
                    yield from _walk(tree, call.dir, key, installed, depth + 1, download)


def _resolve(
    tree: FileTree,
    folder: str,
    path: str,
    key: tuple[str, ...],
    body: dict[str, object],
    installed: dict[str, str],
    download: bool,
) -> ModuleCall:
    raw = body.get("source")
    source = raw[0] if isinstance(raw, list) and raw else raw
    line = body.get("__start_line__")
    call = ModuleCall(
        address=".".join(f"module.{k}" for k in key),
        source=str(source),
        file=path,
        line=int(line) if isinstance(line, int) else None,
    )
    if not isinstance(source, str) or "${" in source:
        return call.model_copy(update={"not_evaluated": "its source is not a literal string"})
    at = installed.get(".".join(key))
    if at is None and source.startswith(_LOCAL):
        at = join(folder, source)
    if at is None and download:
        return call  # checkov downloads it (terraform.download_external_modules)
    if at is None:
        return call.model_copy(
            update={
                "not_evaluated": f"remote source {source} is not in .terraform/modules: run 'terraform init' before "
                "the gate, or set terraform.download_external_modules: true in .gate.yml to let checkov fetch it"
            }
        )
    files = tree.files_in(at)
    if files is None:
        return call.model_copy(update={"not_evaluated": f"its folder {at} is not there"})
    if not files:
        return call.model_copy(update={"not_evaluated": f"its folder {at} has no Terraform files"})
    for name, content in files.items():
        try:
            parse(content, join(at, name))
        except GateError as exc:
            return call.model_copy(update={"not_evaluated": f"{join(at, name)} cannot be read: {exc.message}"})
    return call.model_copy(update={"dir": at})
