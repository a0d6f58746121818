"""The VCS port: what the gate needs from a code host (comments, statuses, permissions, PR files, artifacts).

One adapter per host implements :class:`VcsClient` (``gate/publish/github.py`` for GitHub); the gate's logic
(``gate/publish/``, ``gate/intake/pr_iac.py``) only talks to this Protocol, like Atlantis' ``vcs.Client``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

StatusState = Literal["success", "failure", "pending", "error"]
Permission = Literal["admin", "maintain", "write", "triage", "read", "none"]
WRITE_PERMISSIONS: frozenset[str] = frozenset({"admin", "maintain", "write"})
CheckConclusion = Literal["success", "failure", "action_required", "neutral"]
AnnotationLevel = Literal["notice", "warning", "failure"]
# GitHub takes at most 50 annotations per create/update request, and a message of at most 64 KB.
ANNOTATIONS_PER_REQUEST = 50
_MESSAGE_LIMIT = 4000
_TITLE_LIMIT = 255


@dataclass(frozen=True)
class Annotation:
    path: str
    line: int
    level: AnnotationLevel
    title: str
    message: str

    def to_api(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "start_line": self.line,
            "end_line": self.line,
            "annotation_level": self.level,
            "title": self.title[:_TITLE_LIMIT],
            "message": self.message[:_MESSAGE_LIMIT],
        }


@dataclass(frozen=True)
class CheckRunReport:
    """What one check run says: sent by :meth:`VcsClient.publish_check_run` in batches of annotations."""

    name: str
    conclusion: CheckConclusion
    title: str
    summary: str
    text: str | None = None
    annotations: tuple[Annotation, ...] = ()

    def batches(self) -> Iterator[tuple[Annotation, ...]]:
        """The annotations 50 at a time (at least one batch, possibly empty, so the run is always created)."""
        yield self.annotations[:ANNOTATIONS_PER_REQUEST]
        for start in range(ANNOTATIONS_PER_REQUEST, len(self.annotations), ANNOTATIONS_PER_REQUEST):
            yield self.annotations[start : start + ANNOTATIONS_PER_REQUEST]


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    author: str
    html_url: str | None = None
    node_id: str | None = None


@dataclass(frozen=True)
class PullInfo:
    number: int
    head_sha: str
    head_repo: str | None
    base_repo: str
    base_ref: str
    state: str
    merged: bool
    merge_commit_sha: str | None
    labels: tuple[str, ...]
    html_url: str | None
    author: str | None
    body: str
    base_sha: str = ""
    changed_files: int | None = None  # as GitHub counts them (its file list stops at 3000)

    @property
    def is_fork(self) -> bool:
        """A PR whose head lives in another repository (or in a deleted one) is a fork PR."""
        return self.head_repo is None or self.head_repo.lower() != self.base_repo.lower()


@dataclass(frozen=True)
class ChangedFile:
    """One file a pull request changes, as GitHub lists it (``GET /repos/{o}/{r}/pulls/{n}/files``)."""

    path: str
    status: str  # added, removed, modified, renamed, copied, changed, unchanged
    previous_path: str | None = None  # a renamed file's path at the base


@dataclass(frozen=True)
class Artifact:
    id: int
    name: str
    head_sha: str | None
    from_fork: bool
    expired: bool
    created_at: str | None


class VcsClient(Protocol):
    """Everything the gate asks of a code host. Methods raise ``GateError`` with a clear message."""

    repository: str

    def list_comments(self, pr: int) -> list[Comment]: ...

    def create_comment(self, pr: int, body: str) -> Comment: ...

    def update_comment(self, comment_id: int, body: str) -> Comment: ...

    def delete_comment(self, comment_id: int) -> None: ...

    def hide_comment(self, comment: Comment) -> None: ...

    def react(self, comment_id: int, content: str) -> None: ...

    def set_status(
        self, sha: str, context: str, state: StatusState, description: str, target_url: str | None
    ) -> None: ...

    def publish_check_run(self, sha: str, report: CheckRunReport, details_url: str | None) -> int:
        """Create the completed check run ``report.name`` on ``sha`` (its annotations 50 a request); its id."""
        ...

    def permission(self, user: str) -> str: ...

    def label_added_by(self, pr: int, label: str) -> str | None:
        """The login that most recently added ``label`` to the PR (from its ``labeled`` events), or ``None``."""
        ...

    def get_pull(self, number: int) -> PullInfo: ...

    def pulls_for_commit(self, sha: str) -> list[PullInfo]: ...

    def list_pull_files(self, pr: int) -> list[ChangedFile]:
        """Every file the PR changes (all pages; GitHub lists at most 3000)."""
        ...

    def file_at(self, path: str, ref: str) -> str | None:
        """The text of ``path`` at commit ``ref``, read as data through the API; ``None`` when it does not exist."""
        ...

    def folder_at(self, path: str, ref: str) -> list[str] | None:
        """The names of the files directly in folder ``path`` at commit ``ref`` (through the API); ``None`` when
        there is no such folder."""
        ...

    def find_artifacts(self, name: str) -> list[Artifact]: ...

    def download_artifact(self, artifact: Artifact, dest: Path) -> Path: ...
