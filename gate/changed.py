"""Only what changed (``devops-gate check DIR --changed-only``): of a repository's IaC, gate the files that differ
from the PR's base commit, plus what they reference, and list the rest as unchanged (not gated).

- Changed: ``git diff --name-only <base>`` (the working tree against the base commit: committed, staged and
  unstaged edits) and the untracked files git does not ignore; one git call each, whatever the repository's size.
- A changed CloudFormation template brings the nested stacks it names by a local ``TemplateURL`` (as
  ``aws cloudformation package`` reads them), transitively.
- Terraform is gated by project (a root folder is planned whole): a project is gated when a file in its folder,
  or in a folder of a module it calls, changed; all of its files and its modules' files come along.

A 500-template repository with one changed template then costs about what a one-template repository does.
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from gate.errors import GateError
from gate.models import IaCBundle, IaCFile

_TIMEOUT = 60.0


@dataclass(frozen=True)
class Narrowed:
    bundle: IaCBundle | None  # None: nothing under the paths changed
    gated: tuple[str, ...]  # bundle paths kept (changed, or referenced by a changed file)
    unchanged: tuple[str, ...]  # bundle paths left out


def changed_files(top: Path, commit: str, paths: Sequence[str]) -> set[Path]:
    """Absolute paths of the files of the repository that differ from ``commit`` (or are new and untracked):
    the whole tree, since a module a root under ``paths`` calls may live elsewhere (each path must be in it)."""
    for given in paths:
        _in_repo(top, given)
    rels: list[str] = []
    out: set[Path] = set()
    for args in (
        ["diff", "--name-only", "-z", "--no-renames", commit, "--", *rels],
        ["ls-files", "--others", "--exclude-standard", "-z", "--", *rels],
    ):
        done = _git(args, top)
        if done.returncode != 0:
            err = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["(no message)"])[-1]
            raise GateError(f"git {args[0]} against {commit[:12]} failed: {err}", source="--changed-only")
        out.update((top / n).resolve() for n in done.stdout.decode("utf-8", "surrogateescape").split("\0") if n)
    return out


def narrow(bundle: IaCBundle, changed: set[Path]) -> Narrowed:
    """The part of ``bundle`` to gate: the changed files and what they bring along (see the module's doc)."""
    by_abs = {Path(f.path).resolve(): f for f in bundle.files}
    keep = {by_abs[p].path for p in changed if p in by_abs}
    keep |= _nested_stacks(bundle, keep)
    keep |= _terraform_projects(bundle, keep)
    files = tuple(f for f in bundle.files if f.path in keep)
    unchanged = tuple(f.path for f in bundle.files if f.path not in keep)
    if not files:
        return Narrowed(None, (), unchanged)
    dirs = {posixpath.dirname(f.path) or "." for f in files if f.format == "terraform"}
    projects = tuple(p for p in bundle.projects if p.dir in dirs)
    return Narrowed(
        bundle.model_copy(update={"files": files, "projects": projects}), tuple(f.path for f in files), unchanged
    )


def _nested_stacks(bundle: IaCBundle, keep: set[str]) -> set[str]:
    cfn = {f.path: f for f in bundle.by_format("cloudformation")}
    todo, seen = [p for p in keep if p in cfn], set(keep)
    while todo:
        parent = cfn[todo.pop()]
        for url in _template_urls(parent):
            child = posixpath.normpath(posixpath.join(posixpath.dirname(parent.path), url))
            if child in cfn and child not in seen:
                seen.add(child)
                todo.append(child)
    return seen - keep


def _template_urls(f: IaCFile) -> list[str]:
    from gate.synth import cfn_yaml

    try:
        body = cfn_yaml.load(f.content, f.path)
    except GateError:
        return []  # the checks report the unreadable file itself
    resources = body.get("Resources") if isinstance(body, dict) else None
    urls: list[str] = []
    for res in (resources or {}).values():
        if isinstance(res, dict) and res.get("Type") == "AWS::CloudFormation::Stack":
            url: Any = (res.get("Properties") or {}).get("TemplateURL")
            if isinstance(url, str) and "://" not in url:
                urls.append(url)
    return urls


def _terraform_projects(bundle: IaCBundle, keep: set[str]) -> set[str]:
    from gate.terraform.projects import projects_of

    tf = bundle.by_format("terraform")
    changed_dirs = {posixpath.dirname(f.path) or "." for f in tf if f.path in keep}
    if not changed_dirs:
        return set()
    wanted: set[str] = set()
    for project in projects_of(bundle):
        dirs = {project.dir, *(c.dir for c in project.modules if c.dir is not None)}
        if dirs & changed_dirs:
            wanted |= dirs
    return {f.path for f in tf if (posixpath.dirname(f.path) or ".") in wanted}


def _in_repo(top: Path, given: str) -> str:
    try:
        return PurePosixPath(Path(given).resolve().relative_to(top).as_posix()).as_posix()
    except ValueError:
        raise GateError(
            f"is outside the git repository {top}", source=given, fix="pass paths inside the repository"
        ) from None


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=_TIMEOUT)
    except FileNotFoundError:
        raise GateError("git is not installed or not on PATH", source="--changed-only", fix="install git") from None
    except subprocess.TimeoutExpired:
        raise GateError(f"git {args[0]} did not finish in {_TIMEOUT:.0f} s", source="--changed-only") from None
