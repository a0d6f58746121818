"""The GitHub adapter of the VCS port, on PyGithub.

Retries are bounded (gate/publish/github_http.py): a 5xx answer, or a 403/429 rate limit, is retried up to
``retries`` times, waiting what GitHub asks for but never more than ``max_wait`` seconds at a time; past that the
call fails with a clear :class:`GateError`.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

import requests
from github import Auth, Github, GithubException
from requests.adapters import HTTPAdapter

from gate.errors import GateError
from gate.publish.github_http import error as _error
from gate.publish.github_http import make_retry
from gate.vcs import Artifact, ChangedFile, CheckRunReport, Comment, PullInfo, StatusState

DEFAULT_API_URL = "https://api.github.com"
# The most a page of PR files or issue comments holds (GitHub's default is 30).
_FILES_PER_PAGE = 100
_COMMENTS_PER_PAGE = 100
# GitHub's limit for a commit status description.
_STATUS_DESCRIPTION_LIMIT = 140


def _login(user: Any) -> str:
    return str(getattr(user, "login", "") or "")


class GitHubClient:
    """One repository on GitHub (or GitHub Enterprise: pass its API URL)."""

    def __init__(
        self,
        repository: str,
        token: str,
        api_url: str = DEFAULT_API_URL,
        *,
        retries: int = 4,
        backoff: float = 0.5,
        max_wait: float = 30.0,
        seconds_between_writes: float = 1.0,
        timeout: int = 30,
        budget: float | None = None,
        rate_limit_wait: float | None = None,
    ) -> None:
        """``budget``: seconds all of this run's GitHub calls may take together (retries and waits included);
        ``rate_limit_wait``: the longest wait for a rate limit to reset (default ``max_wait``)."""
        if not token:
            raise GateError("no GitHub token", fix="pass the github-token input (default: ${{ github.token }})")
        self.repository = repository
        self._token = token
        self._retry = make_retry(retries, backoff, max_wait, budget, rate_limit_wait)
        if budget is not None:
            timeout = max(1, min(timeout, int(budget)))
        self._gh = Github(
            auth=Auth.Token(token),
            base_url=api_url.rstrip("/"),
            retry=self._retry,
            timeout=timeout,
            seconds_between_requests=None,
            seconds_between_writes=seconds_between_writes or None,
            lazy=True,
        )
        self._repo = self._gh.get_repo(repository)

    # comments -------------------------------------------------------------------------------------------
    def list_comments(self, pr: int) -> list[Comment]:
        """``GET /repos/{o}/{r}/issues/{n}/comments``, 100 a page, following GitHub's ``Link`` header to the end
        (the issue itself is not read first)."""
        from github.IssueComment import IssueComment
        from github.PaginatedList import PaginatedList

        try:
            url = f"{self._repo.url}/issues/{pr}/comments"
            pages: PaginatedList[IssueComment] = PaginatedList(
                IssueComment, self._repo.requester, url, {"per_page": _COMMENTS_PER_PAGE}
            )
            return [self._comment(c) for c in pages]
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"listing the comments of #{pr}") from exc

    def create_comment(self, pr: int, body: str) -> Comment:
        try:
            return self._comment(self._repo.get_issue(pr).create_comment(body))
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"commenting on #{pr}") from exc

    def update_comment(self, comment_id: int, body: str) -> Comment:
        try:
            comment = self._issue_comment(comment_id)
            comment.edit(body)
            return self._comment(comment)
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"editing comment {comment_id}") from exc

    def delete_comment(self, comment_id: int) -> None:
        try:
            self._issue_comment(comment_id).delete()
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"deleting comment {comment_id}") from exc

    def hide_comment(self, comment: Comment) -> None:
        try:
            self._issue_comment(comment.id, node_id=comment.node_id).minimize("OUTDATED")
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"hiding comment {comment.id}") from exc

    def react(self, comment_id: int, content: str) -> None:
        try:
            self._issue_comment(comment_id).create_reaction(content)
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"reacting to comment {comment_id}") from exc

    def _issue_comment(self, comment_id: int, node_id: str | None = None) -> Any:
        """A lazy comment object (no GET): edit, delete, react and minimize need only its URL and node id."""
        from github.IssueComment import IssueComment

        attributes: dict[str, Any] = {"id": comment_id, "url": f"{self._repo.url}/issues/comments/{comment_id}"}
        if node_id:
            attributes["node_id"] = node_id
        return IssueComment(self._repo.requester, attributes=attributes)

    @staticmethod
    def _comment(raw: Any) -> Comment:
        return Comment(
            id=int(raw.id),
            body=str(raw.body or ""),
            author=_login(raw.user),
            html_url=raw.html_url,
            node_id=raw.node_id,
        )

    # statuses, permissions ------------------------------------------------------------------------------
    def set_status(self, sha: str, context: str, state: StatusState, description: str, target_url: str | None) -> None:
        text = " ".join(description.split())
        if len(text) > _STATUS_DESCRIPTION_LIMIT:
            text = text[: _STATUS_DESCRIPTION_LIMIT - 1] + "…"
        kwargs: dict[str, Any] = {"state": state, "description": text, "context": context}
        if target_url:
            kwargs["target_url"] = target_url
        try:
            self._repo.get_commit(sha).create_status(**kwargs)
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"setting the {context} status on {sha[:12]}") from exc

    def publish_check_run(self, sha: str, report: CheckRunReport, details_url: str | None) -> int:
        """``POST /repos/{o}/{r}/check-runs`` with the first 50 annotations, then ``PATCH`` for each further 50
        (GitHub appends annotations across updates; each update repeats the output's title and summary)."""
        batches = report.batches()
        output: dict[str, Any] = {"title": report.title, "summary": report.summary}
        if report.text:
            output["text"] = report.text
        extra: dict[str, Any] = {"details_url": details_url} if details_url else {}
        try:
            run = self._repo.create_check_run(
                name=report.name,
                head_sha=sha,
                status="completed",
                conclusion=report.conclusion,
                output={**output, "annotations": [a.to_api() for a in next(batches)]},
                **extra,
            )
            for batch in batches:
                run.edit(output={**output, "annotations": [a.to_api() for a in batch]})
            return int(run.id)
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"creating the check run '{report.name}' on {sha[:12]}") from exc

    def permission(self, user: str) -> str:
        try:
            return str(self._repo.get_collaborator_permission(user))
        except GithubException as exc:
            if exc.status == 404:
                return "none"
            raise _error(exc, f"reading the permission of {user}") from exc
        except requests.RequestException as exc:
            raise _error(exc, f"reading the permission of {user}") from exc

    def label_added_by(self, pr: int, label: str) -> str | None:
        """Who added ``label`` last, from the issue's events (``GET /repos/{o}/{r}/issues/{n}/events``)."""
        try:
            actor: str | None = None
            # Attributes, not raw_data: raw_data would fetch each event again (GET /issues/events/{id}).
            for event in self._repo.get_issue(pr).get_events():
                if event.event == "labeled" and getattr(event.label, "name", None) == label:
                    actor = _login(event.actor) or None
            return actor
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"reading who labelled #{pr} {label}") from exc

    # pull requests -------------------------------------------------------------------------------------
    def get_pull(self, number: int) -> PullInfo:
        try:
            return _pull(self._repo.get_pull(number))
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"reading pull request #{number}") from exc

    def pulls_for_commit(self, sha: str) -> list[PullInfo]:
        try:
            return [_pull(p) for p in self._repo.get_commit(sha).get_pulls()]
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"finding the pull request of commit {sha[:12]}") from exc

    def list_pull_files(self, pr: int) -> list[ChangedFile]:
        """``GET /repos/{o}/{r}/pulls/{n}/files``, 100 a page, following GitHub's ``Link`` header to the end."""
        from github.File import File
        from github.PaginatedList import PaginatedList

        try:
            pages: PaginatedList[File] = PaginatedList(
                File, self._repo.requester, f"{self._repo.url}/pulls/{pr}/files", {"per_page": _FILES_PER_PAGE}
            )
            # raw_data, not the attributes: previous_filename is only there for renamed files
            return [
                ChangedFile(
                    path=str(f.raw_data["filename"]),
                    status=str(f.raw_data.get("status") or "modified"),
                    previous_path=f.raw_data.get("previous_filename"),
                )
                for f in pages
            ]
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"listing the files of #{pr}") from exc

    def file_at(self, path: str, ref: str) -> str | None:
        """``GET /repos/{o}/{r}/contents/{path}?ref=REF``: the file's text as data (nothing is checked out)."""
        try:
            found = self._repo.get_contents(path, ref=ref)
        except GithubException as exc:
            if exc.status == 404:
                return None
            raise _error(exc, f"reading {path} at {ref[:12]}") from exc
        except requests.RequestException as exc:
            raise _error(exc, f"reading {path} at {ref[:12]}") from exc
        if isinstance(found, list) or found.raw_data.get("type") != "file":
            raise GateError(f"is not a file at {ref[:12]}", source=path, fix="list only files in iac-paths")
        if found.raw_data.get("encoding") != "base64":  # GitHub sends no content for files over 1 MB
            raise GateError(
                f"is too large to read through the contents API at {ref[:12]} (over 1 MB)",
                source=path,
                fix="keep IaC files under 1 MB (also CloudFormation's limit for a template), or narrow iac-paths",
            )
        try:
            return found.decoded_content.decode("utf-8")
        except (UnicodeDecodeError, ValueError) as exc:
            raise GateError(f"is not UTF-8 text at {ref[:12]}", source=path, fix="check the file") from exc

    def folder_at(self, path: str, ref: str) -> list[str] | None:
        """``GET /repos/{o}/{r}/contents/{path}?ref=REF`` on a folder: the names of the files directly in it
        (sub-folders left out), read as data; ``None`` when there is no such folder at ``ref``."""
        try:
            found = self._repo.get_contents(path, ref=ref)
        except GithubException as exc:
            if exc.status == 404:
                return None
            raise _error(exc, f"listing {path} at {ref[:12]}") from exc
        except requests.RequestException as exc:
            raise _error(exc, f"listing {path} at {ref[:12]}") from exc
        if not isinstance(found, list):
            return None  # a file, not a folder
        # .type and .name come with the listing (raw_data would fetch each entry again)
        return sorted(str(entry.name) for entry in found if entry.type == "file")

    # artifacts -----------------------------------------------------------------------------------------
    def find_artifacts(self, name: str) -> list[Artifact]:
        try:
            found = []
            for raw in self._repo.get_artifacts(name=name):
                run = raw.raw_data.get("workflow_run") or {}
                found.append(
                    Artifact(
                        id=int(raw.id),
                        name=str(raw.name),
                        head_sha=run.get("head_sha"),
                        from_fork=run.get("head_repository_id") != run.get("repository_id"),
                        expired=bool(raw.expired),
                        created_at=raw.raw_data.get("created_at"),
                    )
                )
            return found
        except (GithubException, requests.RequestException) as exc:
            raise _error(exc, f"listing the artifacts named {name}") from exc

    def download_artifact(self, artifact: Artifact, dest: Path) -> Path:
        """Download the artifact's zip (GitHub answers with a redirect to short-lived storage)."""
        owner, repo = self.repository.split("/", 1)
        url = (
            f"{self._repo.requester.base_url}/repos/{urllib.parse.quote(owner)}/{urllib.parse.quote(repo)}"
            f"/actions/artifacts/{artifact.id}/zip"
        )
        session = requests.Session()
        session.mount("http://", HTTPAdapter(max_retries=self._retry))
        session.mount("https://", HTTPAdapter(max_retries=self._retry))
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/vnd.github+json"}
        try:
            response = session.get(url, headers=headers, timeout=60)
        except requests.RequestException as exc:
            raise _error(exc, f"downloading artifact {artifact.name}") from exc
        if response.status_code != 200:
            raise GateError(
                f"GitHub refused downloading artifact {artifact.name}: HTTP {response.status_code}",
                fix="give the workflow 'actions: read' permission",
            )
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(response.content)
        return dest


def _pull(raw: Any) -> PullInfo:
    data: dict[str, Any] = raw.raw_data
    head, base = data.get("head") or {}, data.get("base") or {}
    return PullInfo(
        number=int(data["number"]),
        head_sha=str(head.get("sha") or ""),
        head_repo=(head.get("repo") or {}).get("full_name"),
        base_repo=str((base.get("repo") or {}).get("full_name") or ""),
        base_ref=str(base.get("ref") or ""),
        state=str(data.get("state") or ""),
        merged=bool(data.get("merged") or data.get("merged_at")),
        merge_commit_sha=data.get("merge_commit_sha"),
        labels=tuple(str(lbl.get("name", "")) for lbl in data.get("labels") or []),
        html_url=data.get("html_url"),
        author=(data.get("user") or {}).get("login"),
        body=str(data.get("body") or ""),
        base_sha=str(base.get("sha") or ""),
        changed_files=data.get("changed_files"),
    )
