"""The cost base of hand-written IaC from git: the same paths at the PR's base ref, as infracost's diff does.

``--base-ref REF`` names it; without it, in GitHub Actions, ``origin/$GITHUB_BASE_REF`` when that resolves in
the clone. Every file is read with ``git show COMMIT:path``; a path that did not exist at the base is new (it
cost nothing before), and a file deleted since the base is still read, so its resources show as removed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gate.errors import GateError
from gate.iac import SKIP_DIRS, format_of, looks_like_cfn, make_file
from gate.models import IaCFile

_TIMEOUT = 60.0
_FETCH_HINT = "in GitHub Actions, actions/checkout with fetch-depth: 0"


@dataclass(frozen=True)
class GitBase:
    """What 'before' is (``label``, for CostReport.base) and the given paths' files at that commit."""

    label: str
    files: tuple[IaCFile, ...] = ()

    def by_format(self, fmt: str) -> tuple[IaCFile, ...]:
        return tuple(f for f in self.files if f.format == fmt)


def choose_base(base_ref: str | None, paths: Sequence[str]) -> GitBase | None:
    """``--base-ref`` when given (an error names the ref and the fix); else ``origin/$GITHUB_BASE_REF`` when it
    resolves (when it does not, the label says why the base is empty); else None (no git base)."""
    if base_ref is not None:
        top, commit = _resolve(base_ref)
        return read_base(top, commit, paths, label=f"git {base_ref} at {commit[:12]}")
    branch = os.environ.get("GITHUB_BASE_REF", "").strip()
    if not branch:
        return None
    ref = f"origin/{branch}"
    try:
        top, commit = _resolve(ref, source="GITHUB_BASE_REF")
    except GateError as exc:
        return GitBase(label=f"empty: GITHUB_BASE_REF is {branch} but {exc.message} (fix: {exc.fix})")
    return read_base(top, commit, paths, label=f"git {ref} at {commit[:12]}, from GITHUB_BASE_REF")


def read_base(top: Path, commit: str, paths: Sequence[str], *, label: str) -> GitBase:
    """The CloudFormation/Terraform files under ``paths`` at ``commit``, named as ``load_paths`` names them at
    head (so resources of the same file line up); non-IaC files are passed over as ``load_paths`` does."""
    files: dict[str, IaCFile] = {}
    for given in paths:
        rel = _in_repo(top, given)
        listed = _git(["ls-tree", "-r", "-z", "--name-only", commit, "--", rel.as_posix()], top)
        if listed.returncode != 0:
            raise GateError(f"git ls-tree {commit[:12]} failed: {_last_line(listed.stderr)}", source=given)
        for name in filter(None, listed.stdout.decode("utf-8", "surrogateescape").split("\0")):
            inside = PurePosixPath(name).relative_to(rel.as_posix()) if rel.as_posix() != name else None
            path = (Path(given) / inside if inside is not None else Path(given)).as_posix()
            fmt = format_of(Path(name))
            if fmt is None or path in files or (inside is not None and SKIP_DIRS.intersection(Path(path).parts)):
                continue
            text = _show(top, commit, name)
            if fmt == "cloudformation" and not looks_like_cfn(text):
                continue
            files[path] = make_file(path, fmt, text)
    return GitBase(label=label, files=tuple(files.values()))


def _resolve(ref: str, source: str = "--base-ref") -> tuple[Path, str]:
    """The repository's top folder and the commit ``ref`` names."""
    if not ref or ref.startswith("-"):
        raise GateError(f"base ref {ref!r} is not a git ref", source=source, fix="pass a branch, tag or commit")
    top = _git(["rev-parse", "--show-toplevel"], Path.cwd(), source=source)
    if top.returncode != 0:
        raise GateError(
            "the current folder is not in a git repository",
            source=source,
            fix="run devops-gate from the repository's checkout, or drop --base-ref",
        )
    root = Path(top.stdout.decode().strip())
    found = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root, source=source)
    if found.returncode != 0:
        branch = ref.removeprefix("origin/")
        raise GateError(
            f"base ref {ref!r} is not a commit in this clone",
            source=source,
            fix=f"git fetch origin {branch} ({_FETCH_HINT}), or pass a branch, tag or sha that exists",
        )
    return root, found.stdout.decode().strip()


def _in_repo(top: Path, given: str) -> PurePosixPath:
    try:
        return PurePosixPath(Path(given).resolve().relative_to(top).as_posix())
    except ValueError:
        raise GateError(
            f"is outside the git repository {top}", source=given, fix="pass paths inside the repository"
        ) from None


def _show(top: Path, commit: str, name: str) -> str:
    shown = _git(["show", f"{commit}:{name}"], top)
    if shown.returncode != 0:
        raise GateError(f"git show {commit[:12]}:{name} failed: {_last_line(shown.stderr)}", source="--base-ref")
    try:
        return shown.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GateError(f"is not UTF-8 text at {commit[:12]}", source=name, fix="check the file") from exc


def _git(args: list[str], cwd: Path, source: str = "--base-ref") -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=_TIMEOUT)
    except FileNotFoundError:
        raise GateError(
            "git is not installed or not on PATH", source=source, fix="install git, or drop --base-ref"
        ) from None
    except subprocess.TimeoutExpired:
        raise GateError(f"git {args[0]} did not finish in {_TIMEOUT:.0f} s", source=source) from None


def _last_line(stderr: bytes) -> str:
    return (stderr.decode("utf-8", "replace").strip().splitlines() or ["(no message)"])[-1]
