"""The fake GitHub's pull request files: seeding a PR's changed files (``change_file``), listing them
(``GET /repos/{o}/{r}/pulls/{n}/files``, paginated as GitHub does: ``per_page`` up to 100, a ``Link`` header, at
most 3000 files; ``page_of`` pages issue comments the same way) and reading a file at a commit
(``GET /repos/{o}/{r}/contents/{path}?ref=``; every read is recorded in ``fake.reads``, so tests can assert which
commit a file was read at).
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakes.github_server import FakeGitHub

FILES_LIMIT = 3000  # GitHub lists at most this many files of a pull request


def change_file(
    fake: FakeGitHub, pr: int, path: str, head: str | None, base: str | None = None, previous: str | None = None
) -> None:
    """The PR changes ``path``: ``head`` and ``base`` are its text at the PR's head and base commits (``None``:
    not there); ``previous`` is a renamed file's old path (``base`` is then the old path's text)."""
    pull = fake.pulls[pr]
    head_sha, base_sha = pull["head"]["sha"], pull["base"]["sha"]
    if head is not None:
        fake.trees.setdefault(head_sha, {})[path] = head
    if base is not None:
        fake.trees.setdefault(base_sha, {})[previous or path] = base
    status = "renamed" if previous else "removed" if head is None else "added" if base is None else "modified"
    lines = (head or base or "").count("\n")
    entry: dict[str, Any] = {
        "sha": hashlib.sha1((head or "").encode()).hexdigest(),  # stands in for the git blob id
        "filename": path,
        "status": status,
        "additions": 0 if head is None else lines,
        "deletions": 0 if base is None else lines,
        "changes": lines,
        "blob_url": f"https://github.com/{fake.full_name}/blob/{head_sha}/{path}",
        "raw_url": f"https://github.com/{fake.full_name}/raw/{head_sha}/{path}",
        "contents_url": f"https://api.github.com/repos/{fake.full_name}/contents/{path}?ref={head_sha}",
        "patch": "@@ -1 +1 @@",
    }
    if previous:
        entry["previous_filename"] = previous
    fake.pull_files.setdefault(pr, []).append(entry)
    pull["changed_files"] = len(fake.pull_files[pr])


def files_page(fake: FakeGitHub, pr: int, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
    """One page of the PR's files, with GitHub's ``Link`` header (``next``/``last``) when there are more."""
    if pr not in fake.pulls:
        return 404, {"message": "Not Found"}, {}
    files = fake.pull_files.get(pr, [])[:FILES_LIMIT]
    return page_of(files, f"{fake.url}/repos/{fake.full_name}/pulls/{pr}/files", query)


def page_of(items: list[Any], url: str, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
    """One page of ``items`` as GitHub pages a list: ``per_page`` (default 30, at most 100) and ``page``, with a
    ``Link`` header (``next``/``last``, ``prev``/``first``) when there is more than one page."""
    per_page = min(int((query.get("per_page") or ["30"])[0]), 100)
    page = max(int((query.get("page") or ["1"])[0]), 1)
    last = max(1, -(-len(items) // per_page))
    base = f"{url}?per_page={per_page}&page="
    links = [f'<{base}{page + 1}>; rel="next"', f'<{base}{last}>; rel="last"'] if page < last else []
    if page > 1:
        links += [f'<{base}{page - 1}>; rel="prev"', f'<{base}1>; rel="first"']
    return 200, items[(page - 1) * per_page : page * per_page], {"Link": ", ".join(links)} if links else {}


def content(fake: FakeGitHub, path: str, ref: str | None) -> tuple[int, Any, dict[str, str]]:
    """A file's text at ``ref`` (default: the default branch), as the contents API's base64 file object."""
    fake.reads.append((path, ref))
    tree = fake.trees.get(ref or str(fake.repository.get("default_branch")), {})
    text = tree.get(path)
    if text is None and any(p.startswith(path.rstrip("/") + "/") for p in tree):
        return 200, _listing(fake, tree, path.rstrip("/"), ref), {}
    if text is None:
        return 404, {"message": "Not Found"}, {}
    data = text.encode("utf-8")
    sha = hashlib.sha1(data).hexdigest()  # stands in for the git blob id
    url = f"https://api.github.com/repos/{fake.full_name}/contents/{path}?ref={ref}"
    return 200, {
        "type": "file", "encoding": "base64", "size": len(data), "name": path.rsplit("/", 1)[-1], "path": path,
        "content": base64.encodebytes(data).decode("ascii"), "sha": sha, "url": url,
        "git_url": f"https://api.github.com/repos/{fake.full_name}/git/blobs/{sha}",
        "html_url": f"https://github.com/{fake.full_name}/blob/{ref}/{path}",
        "download_url": f"https://raw.githubusercontent.com/{fake.full_name}/{ref}/{path}",
        "_links": {"self": url, "git": None, "html": None},
    }, {}  # fmt: skip


def _listing(fake: FakeGitHub, tree: dict[str, str], folder: str, ref: str | None) -> list[dict[str, Any]]:
    """A folder at ``ref`` as the contents API lists it: one entry per file or sub-folder directly in it."""
    entries: dict[str, dict[str, Any]] = {}
    for path, text in sorted(tree.items()):
        if not path.startswith(folder + "/"):
            continue
        name, _, rest = path[len(folder) + 1 :].partition("/")
        here = f"{folder}/{name}"
        kind = "dir" if rest else "file"
        sha = hashlib.sha1((text if kind == "file" else here).encode()).hexdigest()
        url = f"https://api.github.com/repos/{fake.full_name}/contents/{here}?ref={ref}"
        raw = f"https://raw.githubusercontent.com/{fake.full_name}/{ref}/{here}" if kind == "file" else None
        entries.setdefault(name, {
            "type": kind, "size": len(text.encode()) if kind == "file" else 0, "name": name, "path": here,
            "sha": sha, "url": url, "git_url": f"https://api.github.com/repos/{fake.full_name}/git/blobs/{sha}",
            "html_url": f"https://github.com/{fake.full_name}/blob/{ref}/{here}",
            "download_url": raw,
            "_links": {"self": url, "git": None, "html": None},
        })  # fmt: skip
    return list(entries.values())
