"""Copy the GitHub REST operations the tests use out of GitHub's official OpenAPI description.

Run from the repository root when an operation is added:
``.venv/bin/python -m tests.fakes.extract_openapi`` (reads ``../shared/fixtures/github/api.github.com.openapi.json.gz``,
writes ``tests/fixtures/github/openapi-subset.json``). Parameters are inlined, request bodies kept whole (with
every ``$ref`` they use resolved), responses reduced to their status codes. ``description`` and ``examples``
annotations are dropped, but a schema *property* of that name (the commit status body's ``description``) is
kept: it is part of what a request may send and is validated like any other property.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "fixtures" / "github" / "api.github.com.openapi.json.gz"
TARGET = ROOT / "tests" / "fixtures" / "github" / "openapi-subset.json"

OPERATIONS: tuple[tuple[str, str], ...] = (
    ("get", "/repos/{owner}/{repo}"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/files"),
    ("get", "/repos/{owner}/{repo}/contents/{path}"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/events"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("delete", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("post", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
    ("post", "/repos/{owner}/{repo}/statuses/{sha}"),
    ("post", "/repos/{owner}/{repo}/check-runs"),
    ("patch", "/repos/{owner}/{repo}/check-runs/{check_run_id}"),
    ("get", "/repos/{owner}/{repo}/collaborators/{username}/permission"),
    ("get", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls"),
    ("get", "/repos/{owner}/{repo}/actions/artifacts"),
    ("get", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}"),
)


_ANNOTATIONS = ("description", "examples")


def _resolve(node: Any, spec: dict[str, Any], depth: int = 0, *, names: bool = False) -> Any:
    """Inline ``$ref``s and drop annotations. ``names`` is true for a ``properties`` mapping, whose keys are
    property names (a property called ``description`` is a property, not an annotation)."""
    if depth > 40:
        raise ValueError("reference cycle")
    if isinstance(node, dict):
        if "$ref" in node and not names:
            target: Any = spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _resolve(target, spec, depth + 1)
        return {
            k: _resolve(v, spec, depth + 1, names=not names and k in ("properties", "patternProperties"))
            for k, v in node.items()
            if names or k not in _ANNOTATIONS
        }
    if isinstance(node, list):
        return [_resolve(v, spec, depth + 1) for v in node]
    return node


def extract(spec: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path in OPERATIONS:
        op = spec["paths"][path][method]
        paths.setdefault(path, {})[method] = {
            "operationId": op["operationId"],
            "parameters": _resolve(op.get("parameters", []), spec),
            "requestBody": _resolve(op["requestBody"], spec) if "requestBody" in op else None,
            "responses": sorted(op.get("responses", {})),
        }
    return {
        "source": f"@octokit/openapi {spec['info']['version']} (MIT, see openapi.LICENSE), subset",
        "openapi": spec["openapi"],
        "paths": paths,
    }


def main() -> None:
    spec = json.loads(gzip.decompress(SOURCE.read_bytes()))
    TARGET.write_text(json.dumps(extract(spec), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {TARGET} ({len(OPERATIONS)} operations)")


if __name__ == "__main__":
    main()
