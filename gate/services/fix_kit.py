"""What the services' fixers (``gate/services/<name>/fixers.py``) share: they edit a CloudFormation resource body
(a plain dict) in place and set the secure value and nothing else."""

from __future__ import annotations

from typing import Any

from gate.services.kit import Fixer


def props(body: dict[str, Any]) -> dict[str, Any]:
    found = body.get("Properties")
    if not isinstance(found, dict):
        found = body["Properties"] = {}
    return found


def set_path(path: str, value: Any) -> Fixer:
    def fix(body: dict[str, Any], _: dict[str, str]) -> None:
        node = props(body)
        *parents, leaf = path.split(".")
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[leaf] = value

    return fix


def narrow_iam(body: dict[str, Any], template: dict[str, str]) -> None:
    """Narrow IAM statements to what the template seems to need: a guess, applied only when asked
    (``devops-gate fix --include-least-privilege``; :data:`gate.remediate.fixers.LEAST_PRIVILEGE`)."""
    from gate.checks.least_privilege import narrow_body  # the checks import the catalogue: read at fix time

    narrowed, _ = narrow_body(body, template)
    body.clear()
    body.update(narrowed)
