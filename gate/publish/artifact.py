"""The merge side's input: the PR's reviewed ``gate-plan.json``, found and verified, then handed to apply.

How the reviewed plan travels: the PR workflow uploads ``gate-out/`` as the artifact ``gate-plan-pr-<N>``;
the gate's sticky comment on the PR records the sha256 of that ``gate-plan.json`` and the PR head it was made
for (a hidden line only the gate's own account writes). On merge the gate downloads the PR's artifacts (or
takes ``plan:`` given as a file), and applies only a plan whose sha256 equals the recorded one, made for the
PR's final head commit, from this repository (never a fork), with a passing verdict; the merge side
(gate/publish/merge_apply.py) then applies it with :func:`gate.deploy.spine.apply_reviewed`.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from gate.config import LimitSettings
from gate.errors import GateError
from gate.models import GatePlan
from gate.publish.comment import read_plan_record, sticky_comments
from gate.publish.job import ActionSettings
from gate.vcs import PullInfo, VcsClient

MAX_ARTIFACTS = 5
PLAN_NAME = "gate-plan.json"


def reviewed_plan(
    client: VcsClient,
    pull: PullInfo,
    settings: ActionSettings,
    marker: str,
    log: Callable[[str], None],
    folder: Path,
    limits: LimitSettings | None = None,
) -> Path:
    """The reviewed gate-plan.json: ``plan:`` as given, or from the PR's artifacts, downloaded and extracted
    under ``folder`` (the caller's temp folder, removed when it is done); one that may be applied."""
    path = recorded_plan(client, pull, settings, marker, log, folder, limits)
    _verify(path, pull)
    return path


def recorded_plan(
    client: VcsClient,
    pull: PullInfo,
    settings: ActionSettings,
    marker: str,
    log: Callable[[str], None],
    folder: Path,
    limits: LimitSettings | None = None,
) -> Path:
    """The gate-plan.json whose sha256 the gate's sticky comment records for the PR's head commit, whatever its
    verdict (a '/gate plan' refinement that changes nothing keeps it, gate/publish/refine_pr.py)."""
    stickies = sticky_comments(client, pull.number, marker, settings.bot_login)
    record = read_plan_record(stickies[-1].body) if stickies else None
    if record is None:
        raise GateError(
            f"pull request #{pull.number} has no reviewed plan recorded by devops-gate",
            fix="run the PR gate workflow on the pull request before merging (make devops-gate/plan required)",
        )
    want_sha, want_head = record
    if want_head != pull.head_sha:
        raise GateError(
            f"the reviewed plan was made for commit {want_head[:12]}, but #{pull.number} was merged at "
            f"{pull.head_sha[:12]}",
            fix="let the PR gate run on the final commit before merging",
        )
    candidates = (
        [Path(settings.plan_file)] if settings.plan_file else _download(client, pull, settings, log, folder, limits)
    )
    for path in candidates:
        if hashlib.sha256(path.read_bytes()).hexdigest() == want_sha:
            log(f"devops-gate: reviewed plan {want_sha[:12]} found ({path})")
            return path
    raise GateError(
        f"no plan file matches the reviewed plan {want_sha[:12]} recorded on #{pull.number}",
        fix=f"keep the PR workflow's artifact '{settings.plan_artifact.format(pr=pull.number)}' (or pass plan:)",
    )


def _download(
    client: VcsClient,
    pull: PullInfo,
    settings: ActionSettings,
    log: Callable[[str], None],
    folder: Path,
    limits: LimitSettings | None,
) -> list[Path]:
    name = settings.plan_artifact.format(pr=pull.number)
    found = [a for a in client.find_artifacts(name) if not a.expired and not a.from_fork]
    found.sort(key=lambda a: a.created_at or "", reverse=True)
    paths: list[Path] = []
    for artifact in found[:MAX_ARTIFACTS]:
        archive = client.download_artifact(artifact, folder / f"{artifact.id}.zip")
        target = folder / str(artifact.id)
        extract_zip(archive, target, limits)
        archive.unlink()
        if (target / PLAN_NAME).is_file():
            paths.append(target / PLAN_NAME)
    log(f"devops-gate: {len(paths)} artifact(s) named {name} with a {PLAN_NAME}")
    return paths


def extract_zip(archive: Path, target: Path, limits: LimitSettings | None = None) -> None:
    """Extract plain files only, streaming, within ``limits`` (limits.artifact_bytes in all, and no member that
    inflates more than limits.artifact_ratio times): a zip bomb is refused before it fills the disk or memory,
    and a member with an absolute path or '..' is refused."""
    bounds = limits or LimitSettings()
    fix = "raise limits.artifact_bytes / limits.artifact_ratio in .gate.yml if the plan artifact really is this large"
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            declared = sum(info.file_size for info in infos)
            if declared > bounds.artifact_bytes:
                raise GateError(
                    f"the artifact inflates to {declared:,} bytes, over limits.artifact_bytes "
                    f"({bounds.artifact_bytes:,})",
                    source=str(archive),
                    fix=fix,
                )
            written = 0
            for info in infos:
                parts = PurePosixPath(info.filename).parts
                if info.filename.startswith("/") or ".." in parts:
                    raise GateError(f"artifact member {info.filename!r} escapes its folder", source=str(archive))
                if info.is_dir():
                    continue
                if info.file_size > bounds.artifact_ratio * max(info.compress_size, 1) and info.file_size > _CHUNK:
                    raise GateError(
                        f"artifact member {info.filename!r} inflates {info.file_size // max(info.compress_size, 1):,} "
                        f"times, over limits.artifact_ratio ({bounds.artifact_ratio})",
                        source=str(archive),
                        fix=fix,
                    )
                dest = target.joinpath(*parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as member, dest.open("wb") as out:
                    while chunk := member.read(_CHUNK):  # the sizes in the zip may lie: count what comes out
                        written += len(chunk)
                        if written > bounds.artifact_bytes:
                            raise GateError(
                                f"the artifact inflates past limits.artifact_bytes ({bounds.artifact_bytes:,})",
                                source=str(archive),
                                fix=fix,
                            )
                        out.write(chunk)
    except zipfile.BadZipFile as exc:
        raise GateError("the artifact is not a zip file", source=str(archive)) from exc


_CHUNK = 1024 * 1024


def _verify(path: Path, pull: PullInfo) -> None:
    try:
        plan = GatePlan.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, ValueError) as exc:
        raise GateError("the reviewed plan is not a valid gate-plan.json", source=str(path)) from exc
    ctx = plan.context
    if ctx.is_fork:
        raise GateError("the reviewed plan comes from a fork; devops-gate never applies it", source=str(path))
    if ctx.pr_number != pull.number or ctx.head_sha != pull.head_sha:
        raise GateError(
            f"the plan is for #{ctx.pr_number} at {str(ctx.head_sha)[:12]}, not #{pull.number} at {pull.head_sha[:12]}",
            source=str(path),
        )
    if plan.verdict.decision == "blocked":  # needs-approval goes on: apply applies it only once approved
        raise GateError(f"the reviewed plan's verdict is {plan.verdict.decision}", source=str(path))
