"""The modules a pull request's changed Terraform calls, read through the API as data at the PR's head commit.

A PR that changes a root (``live/prod/main.tf``) and not the module it calls (``modules/bucket``) still has that
module's resources checked: every local module source of the changed Terraform files is followed (nested modules
too, as :func:`gate.terraform.modules.module_calls` follows them on disk) and the module folder's Terraform files
are read with the contents API (``GET /contents/{folder}?ref=<head>`` for the listing, then each file), never
checked out. They join the bundle as module files (``role: module``): scanned where they are called, not gated
as files of their own. A registry or git source is not fetched (there is no ``terraform init`` on a PR), and a
source outside the repository is not read: both are reported by the checks as not evaluated, with the reason.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Protocol

from gate.errors import GateError
from gate.iac import make_file
from gate.models import IaCFile
from gate.terraform.modules import join, module_calls
from gate.terraform.parse import is_terraform

MAX_MODULE_FOLDERS = 100  # folders listed through the API for one PR (each is one request, plus one per file)


class FolderSource(Protocol):
    def file_at(self, path: str, ref: str) -> str | None: ...

    def folder_at(self, path: str, ref: str) -> list[str] | None: ...


class ApiTree:
    """Terraform files by folder at one commit: the PR's changed files where it changes them (a changed root is
    what the PR says, not the rest of its folder), every other folder through the API, each read once."""

    def __init__(self, source: FolderSource, ref: str, changed: Sequence[IaCFile]) -> None:
        self._source, self._ref = source, ref
        self._cache: dict[str, dict[str, str] | None] = {}
        for f in changed:
            folder, name = posixpath.split(f.path)
            self._cache.setdefault(folder or ".", {})
            entry = self._cache[folder or "."]
            if entry is not None:
                entry[name] = f.content
        self.fetched: list[str] = []  # folders read through the API, in order

    def files_in(self, folder: str) -> dict[str, str] | None:
        if folder in self._cache:
            return self._cache[folder]
        if folder.startswith(("/", "../")) or folder == ".." or "\\" in folder or "\0" in folder:
            self._cache[folder] = None  # outside the repository: never asked for
            return None
        if len(self.fetched) >= MAX_MODULE_FOLDERS:
            raise GateError(
                f"the changed Terraform calls modules in more than {MAX_MODULE_FOLDERS} folders; the gate reads at "
                "most that many through the API for one pull request",
                fix="split the pull request, or gate the repository from a checkout with 'devops-gate check'",
            )
        self.fetched.append(folder)
        names = self._source.folder_at("" if folder == "." else folder, self._ref)
        if names is None:
            self._cache[folder] = None
            return None
        found: dict[str, str] = {}
        for name in names:
            if is_terraform(name):
                text = self._source.file_at(join(folder, name), self._ref)
                if text is not None:
                    found[name] = text
        self._cache[folder] = found
        return found

    def text(self, path: str) -> str | None:
        return None  # .terraform/modules/modules.json: a PR has no terraform init


def called_modules(source: FolderSource, ref: str, changed: Sequence[IaCFile]) -> list[IaCFile]:
    """The Terraform files of every module folder the changed Terraform calls (local sources, nested calls
    included) that the PR does not change itself, as module files of the bundle."""
    terraform = [f for f in changed if f.format == "terraform"]
    if not terraform:
        return []
    tree = ApiTree(source, ref, terraform)
    roots = dict.fromkeys(posixpath.dirname(f.path) or "." for f in terraform)
    known = {f.path for f in changed}
    out: dict[str, IaCFile] = {}
    for root in roots:
        for call in module_calls(tree, root):
            if call.dir is None or call.dir in roots:
                continue
            for name, content in sorted((tree.files_in(call.dir) or {}).items()):
                path = join(call.dir, name)
                if path not in known and path not in out:
                    out[path] = make_file(path, "terraform", content).model_copy(update={"role": "module"})
    return list(out.values())
