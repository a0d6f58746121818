"""A pull request's hand-written IaC, read through the GitHub API as data: PR files -> IaCBundle + cost base.

The files the PR changes (``GET /pulls/{n}/files``, every page) that match the ``iac-paths`` globs are read at
the PR's **head** commit through the contents API (``?ref=<head sha>``) and kept when they are Terraform
(``.tf``) or CloudFormation (sniffed as ``devops-gate check`` does); the modules the changed Terraform calls are
read at the same commit too (:mod:`gate.intake.pr_modules`). Nothing from the PR is checked out,
installed or run: a fork's files are text like its description. The cost base is the same paths at the PR's
**base** commit (a 404 there: a new file, it cost nothing before); a renamed file's base is its old path, and a
removed file is read at the base only, so its resources count as removed in the cost. Removed files are not
gated (there is nothing left to check), and are listed so the comment can say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Protocol

from gate.cost.git_base import GitBase
from gate.errors import GateError
from gate.iac import format_of, looks_like_cfn, make_file
from gate.intake.pr_modules import called_modules
from gate.models import IaCBundle, IaCFile
from gate.vcs import ChangedFile, PullInfo

DEFAULT_IAC_PATHS: tuple[str, ...] = ("**/*.tf", "**/*.template", "**/*.yaml", "**/*.yml", "**/*.json")
GITHUB_FILES_LIMIT = 3000  # GitHub lists at most this many files of a pull request


class PullFiles(Protocol):
    """The part of the VCS port this stage needs."""

    def list_pull_files(self, pr: int) -> list[ChangedFile]: ...

    def file_at(self, path: str, ref: str) -> str | None: ...

    def folder_at(self, path: str, ref: str) -> list[str] | None: ...


@dataclass(frozen=True)
class GatedFile:
    path: str
    status: str
    new: bool  # absent at the base: no cost base


@dataclass(frozen=True)
class PullIaC:
    """What the PR changes in IaC: ``bundle`` (None when no IaC file is added or changed), its cost ``base``."""

    head_sha: str
    base_sha: str
    base_ref: str
    bundle: IaCBundle | None
    base: GitBase
    gated: tuple[GatedFile, ...] = ()
    removed: tuple[str, ...] = ()  # IaC files the PR deletes: not gated, counted as removed in the cost
    passed_over: tuple[str, ...] = ()  # match iac-paths but are neither CloudFormation nor Terraform
    modules: tuple[str, ...] = ()  # untouched module files the changed Terraform calls, read at the head commit


# iac-paths -------------------------------------------------------------------------------------------
def parse_globs(value: str) -> tuple[str, ...]:
    """The ``iac-paths`` input: globs separated by commas or newlines; empty means the default."""
    globs = tuple(part.strip() for part in re.split(r"[,\n]", value) if part.strip())
    return globs or DEFAULT_IAC_PATHS


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """GitHub Actions' ``paths`` filter syntax: ``*`` within one folder, ``**`` across folders, ``?`` one
    character (never ``/``), ``[...]`` a character class."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + re.escape(body[1:]) if body.startswith("!") else re.escape(body)) + "]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out) + r"\Z")


def selected(path: str, globs: Sequence[str]) -> bool:
    """Whether ``path`` matches ``globs``; as in GitHub's filters a ``!glob`` excludes, and the last match wins."""
    chosen = False
    for glob in globs:
        negated = glob.startswith("!")
        if _glob_regex(glob[1:] if negated else glob).match(path):
            chosen = not negated
    return chosen


# reading the PR ---------------------------------------------------------------------------------------
def _safe(path: str) -> str:
    """A path from the API names a file inside the repository; anything else is refused, never written."""
    parts = PurePosixPath(path).parts
    if not path or path.startswith("/") or ".." in parts or "\\" in path or "\0" in path:
        raise GateError("is not a file path inside the repository", source=repr(path)[:200])
    return path


def read_pull_iac(
    source: PullFiles, pull: PullInfo, globs: Sequence[str], log: Callable[[str], None] = print
) -> PullIaC:
    """The PR's changed IaC at its head commit, and the same paths at its base commit (the cost base)."""
    if not pull.head_sha or not pull.base_sha:
        raise GateError(
            f"pull request #{pull.number} has no head or base commit",
            fix="re-run the workflow on the pull request event",
        )
    listed = source.list_pull_files(pull.number)
    if len(listed) >= GITHUB_FILES_LIMIT and (pull.changed_files or 0) > len(listed):
        raise GateError(
            f"pull request #{pull.number} changes {pull.changed_files} files; GitHub lists only the first "
            f"{GITHUB_FILES_LIMIT}, so the gate cannot see every IaC file it changes",
            fix="split the pull request",
        )
    files: list[IaCFile] = []
    base: list[IaCFile] = []
    gated: list[GatedFile] = []
    removed: list[str] = []
    passed_over: list[str] = []
    for changed in listed:
        path = _safe(changed.path)
        fmt = format_of(Path(path))  # the name only: nothing is read from disk
        if not selected(path, globs):
            continue
        if fmt is None:
            passed_over.append(path)
            continue
        if changed.status == "removed":
            before = source.file_at(path, pull.base_sha)
            if before is not None and (fmt == "terraform" or looks_like_cfn(before)):
                base.append(make_file(path, fmt, before))
                removed.append(path)
            continue
        text = source.file_at(path, pull.head_sha)
        if text is None:
            raise GateError(
                f"is not in the pull request's head commit {pull.head_sha[:12]}",
                source=path,
                fix="the branch moved while the gate ran; the next run plans the new head",
            )
        if fmt == "cloudformation" and not looks_like_cfn(text):
            passed_over.append(path)
            continue
        files.append(make_file(path, fmt, text))
        old_path = _safe(changed.previous_path) if changed.status == "renamed" and changed.previous_path else path
        before = source.file_at(old_path, pull.base_sha)
        if before is not None and (fmt == "terraform" or looks_like_cfn(before)):
            base.append(make_file(path, fmt, before))  # named as at head, so the resources line up
        gated.append(GatedFile(path=path, status=changed.status, new=before is None))
    modules = called_modules(source, pull.head_sha, files)
    log(
        f"devops-gate: #{pull.number} changes {len(listed)} files: {len(files)} IaC file(s) to gate at "
        f"{pull.head_sha[:12]}, {len(removed)} removed, {len(passed_over)} matched iac-paths but are not IaC"
        + (f"; {len(modules)} module file(s) they call read at the same commit" if modules else "")
    )
    label = f"GitHub base {pull.base_ref or 'branch'} at {pull.base_sha[:12]}"
    return PullIaC(
        head_sha=pull.head_sha,
        base_sha=pull.base_sha,
        base_ref=pull.base_ref,
        bundle=IaCBundle(origin="hand-written", files=(*files, *modules)) if files else None,
        base=GitBase(label=label, files=tuple(base)),
        gated=tuple(gated),
        removed=tuple(removed),
        passed_over=tuple(passed_over),
        modules=tuple(m.path for m in modules),
    )
