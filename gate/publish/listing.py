"""One listing of a pull request's comments per run, shared by every step that reads them (the sticky comment,
``/gate plan`` refinements, ``/gate allow-data-loss`` allowances, the reviewed-plan record on merge, a stale
re-plan): the VCS client with ``list_comments`` answered from the first (paginated) listing of the run, kept up to
date with the comments the run itself writes. Comments others write while the run goes on are not seen: the run
works on the PR as it was when it started.
"""

from __future__ import annotations

from typing import Any, cast

from gate.vcs import Comment, VcsClient


class _ListedOnce:
    """The VCS client; comments listed once per PR, then served (and updated) from memory."""

    def __init__(self, inner: VcsClient) -> None:
        self.inner = inner
        self._listed: dict[int, list[Comment]] = {}

    def list_comments(self, pr: int) -> list[Comment]:
        if pr not in self._listed:
            self._listed[pr] = list(self.inner.list_comments(pr))
        return list(self._listed[pr])

    def create_comment(self, pr: int, body: str) -> Comment:
        made = self.inner.create_comment(pr, body)
        if pr in self._listed:
            self._listed[pr].append(made)
        return made

    def update_comment(self, comment_id: int, body: str) -> Comment:
        edited = self.inner.update_comment(comment_id, body)
        for comments in self._listed.values():
            comments[:] = [edited if c.id == comment_id else c for c in comments]
        return edited

    def delete_comment(self, comment_id: int) -> None:
        self.inner.delete_comment(comment_id)
        for comments in self._listed.values():
            comments[:] = [c for c in comments if c.id != comment_id]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def listed_once(client: VcsClient) -> VcsClient:
    """``client`` with one listing of each PR's comments for the run (a hidden comment stays listed, as on
    GitHub)."""
    return cast(VcsClient, _ListedOnce(client))
