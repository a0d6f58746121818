"""A CloudFormation template as the checks see it: language extensions expanded, and what cannot be read
listed as *not evaluated* with its reason (never a resource of type ``?``, never a crash that switches a
check off for every other file).

- ``Transform: AWS::LanguageExtensions`` (``Fn::ForEach``, ``Fn::Length``, ``Fn::ToJsonString``, ``Fn::FindInMap``
  defaults) is expanded with cfn-lint's own transform, in-process, as ``cfn-lint`` and CloudFormation do.
- A resource whose ``Type`` is not a string (a Rain module, ``Type: !Rain::Module ../vpc.yml``, or any other
  pre-processor's placeholder) is dropped from the view and listed, so every other resource is still checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gate.checks.parse_cache import by_content
from gate.errors import GateError
from gate.synth import cfn_yaml

LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"


@dataclass(frozen=True)
class NotEvaluated:
    """A part of a template no check could read (a resource, or the whole template), and why."""

    file: str
    resource: str | None  # a logical id or 'Fn::ForEach::Name'; None: the template as a whole
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class CheckedTemplate:
    template: dict[str, Any]  # Resources hold only readable resources (callers never mutate it)
    not_evaluated: tuple[NotEvaluated, ...]
    expanded: bool  # language extensions were expanded: tools that read files get ``as_json()`` instead

    @property
    def resources(self) -> dict[str, Any]:
        found = self.template.get("Resources")
        return found if isinstance(found, dict) else {}

    def as_json(self) -> str:
        return json.dumps(self.template, default=str, indent=1)


def _line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else None


def uses_language_extensions(template: dict[str, Any]) -> bool:
    declared = template.get("Transform")
    names = declared if isinstance(declared, list) else [declared]
    return LANGUAGE_EXTENSIONS in names


@by_content
def parsed_template(content: str, path: str) -> dict[str, Any]:
    """The template as written (not expanded): one parse per template per run, shared by the checks, the
    resource rows, the cost and the fixes (callers never mutate it)."""
    return cfn_yaml.load(content, path)


@by_content
def checked_template(content: str, path: str) -> CheckedTemplate:
    """The template of ``content`` (a bad template raises GateError, naming the file, as before)."""
    template = parsed_template(content, path)
    missed: list[NotEvaluated] = []
    expanded = False
    if uses_language_extensions(template):
        template, problem = _expand(content, path)
        if problem is None:
            expanded = True
            template = _resolve_functions(template)
        else:
            missed.append(NotEvaluated(path, None, problem))
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return CheckedTemplate(template, tuple(missed), expanded)
    readable: dict[str, Any] = {}
    for logical, body in resources.items():
        reason = _unreadable(str(logical), body)
        if reason:
            missed.append(NotEvaluated(path, str(logical), reason, _line(body)))
        else:
            readable[logical] = body
    if len(readable) != len(resources):
        template = {**template, "Resources": readable}
    return CheckedTemplate(template, tuple(missed), expanded)


def _unreadable(logical: str, body: Any) -> str | None:
    if logical.startswith("Fn::ForEach::"):
        return "Fn::ForEach loop not expanded (declare 'Transform: AWS::LanguageExtensions' or fix the loop)"
    if not isinstance(body, dict):
        return "the resource is not a mapping"
    rtype = body.get("Type")
    if isinstance(rtype, str):
        return None
    if isinstance(rtype, dict) and len(rtype) == 1:
        ((key, value),) = rtype.items()
        if str(key).startswith(("Rain::", "Fn::Rain::")):
            key = str(key).removeprefix("Fn::")
            return (
                f"Type is a {key} ({value}): a Rain pre-processor placeholder; "
                "gate the output of 'rain pkg' to check what it expands to"
            )
        return f"Type is {key} {value!s:.80}, not a resource type"
    return "the resource has no Type" if rtype is None else f"Type is {type(rtype).__name__}, not a string"


def _expand(content: str, path: str) -> tuple[dict[str, Any], str | None]:
    """cfn-lint's decoder and language-extension transform (kept in its private module: the same code the
    cfn-lint CLI runs; pinned by the tests on the Fn::ForEach fixtures)."""
    from cfnlint.decode.decode import decode_str
    from cfnlint.template import Template
    from cfnlint.template.transforms._language_extensions import language_extension

    decoded, errors = decode_str(content)
    if errors or decoded is None:
        raise GateError(
            f"cfn-lint could not decode it: {errors[0].message if errors else 'empty'}",
            source=path,
            fix="fix the template",
        )
    matches, out = language_extension(Template(path, decoded))
    if matches or out is None:
        reason = matches[0].message if matches else "the transform returned nothing"
        return decoded, f"AWS::LanguageExtensions could not be expanded: {reason}"
    return out, None


def _resolve_functions(node: Any) -> Any:
    """``Fn::Length`` of a literal list and ``Fn::ToJsonString`` of a value without intrinsics, as CloudFormation
    computes them (cfn-lint's transform validates them but leaves them in place), in the transform's
    output. Anything else stays an
    intrinsic, which every check reads as a value it cannot know."""
    if isinstance(node, list):
        return [_resolve_functions(item) for item in node]
    if not isinstance(node, dict):
        return node
    resolved = node  # the transform's own copy: changed in place, so its line marks stay
    for key, value in node.items():
        resolved[key] = _resolve_functions(value)
    if len(resolved) == 1:
        ((key, value),) = resolved.items()
        if key == "Fn::Length" and isinstance(value, list):
            return len(value)
        if key == "Fn::ToJsonString" and not _has_intrinsic(value):
            return json.dumps(value, separators=(",", ":"))
    return resolved


def _has_intrinsic(node: Any) -> bool:
    if isinstance(node, list):
        return any(_has_intrinsic(item) for item in node)
    if isinstance(node, dict):
        return any(str(k) == "Ref" or str(k).startswith("Fn::") or _has_intrinsic(v) for k, v in node.items())
    return False
