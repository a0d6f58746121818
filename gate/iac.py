"""IaC bundles: build them from synthesised templates or from files people wrote, hash them, list their
resources, and write them to a folder for the tools that read files."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gate.errors import GateError
from gate.models import IaCBundle, IaCFile, IaCFormat, ResourceRow
from gate.synth import cfn_yaml

_CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "__pycache__"}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_file(path: str, fmt: IaCFormat, content: str) -> IaCFile:
    return IaCFile(path=path, format=fmt, sha256=sha256(content), content=content)


def bundle_sha256(bundle: IaCBundle) -> str:
    digest = hashlib.sha256()
    for f in sorted(bundle.files, key=lambda f: f.path):
        digest.update(f"{f.path}\0{f.format}\0{f.sha256}\n".encode())
    return digest.hexdigest()


def write_bundle(bundle: IaCBundle, folder: Path) -> None:
    for f in bundle.files:
        target = folder / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.content, encoding="utf-8")


def looks_like_cfn(text: str) -> bool:
    return "AWSTemplateFormatVersion" in text or ("Resources" in text and "Type" in text and "AWS::" in text)


def load_paths(paths: list[str]) -> IaCBundle:
    """Hand-written CloudFormation (.yaml/.yml/.json/.template) and Terraform (.tf) files and folders."""
    files: list[IaCFile] = []
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise GateError(
                "does not exist", source=given, fix="pass files or folders with CloudFormation or Terraform"
            )
        candidates = (
            [root]
            if root.is_file()
            else sorted(p for p in root.rglob("*") if p.is_file() and not SKIP_DIRS.intersection(p.parts))
        )
        for path in candidates:
            fmt = format_of(path)
            if fmt is None:
                if root.is_file():
                    raise GateError(
                        "is neither CloudFormation nor Terraform",
                        source=given,
                        fix="pass .tf files or CloudFormation templates (.yaml/.yml/.json/.template)",
                    )
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise GateError("cannot be read as UTF-8 text", source=str(path), fix="check the file") from exc
            if fmt == "cloudformation" and not looks_like_cfn(text):
                if root.is_file():
                    raise GateError(
                        "has no CloudFormation Resources",
                        source=given,
                        fix="pass a CloudFormation template or a .tf file",
                    )
                continue
            files.append(make_file(path.as_posix(), fmt, text))
    if not files:
        raise GateError(
            "no CloudFormation or Terraform files found",
            source=" ".join(paths),
            fix="pass the folder or files with the infrastructure code",
        )
    return IaCBundle(origin="hand-written", files=tuple(files))


def format_of(path: Path) -> IaCFormat | None:
    if path.suffix == ".tf":
        return "terraform"
    if path.suffix in _CFN_SUFFIXES:
        return "cloudformation"
    return None


def resource_rows(bundle: IaCBundle) -> list[ResourceRow]:
    """One row per resource; ``depends_on`` lists the resources it must be created after: every reference
    to another resource of the file (``Ref``, ``Fn::GetAtt``, ``${X}`` in ``Fn::Sub``; Terraform
    ``aws_x.name.attr``) plus explicit ``DependsOn`` / ``depends_on``, in order of first mention."""
    rows: list[ResourceRow] = []
    for f in bundle.files:
        if f.format == "cloudformation":
            template = cfn_yaml.load(f.content, f.path)
            resources = template.get("Resources") or {}
            names = {str(k) for k in resources}
            for logical, body in resources.items():
                body = body if isinstance(body, dict) else {}
                rows.append(
                    ResourceRow(
                        logical_id=str(logical),
                        type=str(body.get("Type", "?")),
                        file=f.path,
                        spec_name=_spec_name(body),
                        depends_on=_cfn_depends_on(str(logical), body, names),
                    )
                )
        else:
            rows.extend(_terraform_rows(f))
    return rows


_SUB_VAR = re.compile(r"\$\{(?!!)([^}]+)\}")  # ${Name} or ${Name.Attr}; ${!Literal} is escaped text


def _cfn_depends_on(logical: str, body: dict[str, Any], names: set[str]) -> tuple[str, ...]:
    explicit = body.get("DependsOn") or []
    found: list[str] = [str(d) for d in ([explicit] if isinstance(explicit, str) else explicit)]
    for key, value in body.items():
        if key not in ("Type", "DependsOn", "Metadata"):
            _cfn_refs(value, found, set())
    return tuple(dict.fromkeys(d for d in found if d in names and d != logical))


def referenced_names(node: Any) -> set[str]:
    """Every name (resource, parameter, pseudo parameter) that ``node``'s intrinsics refer to."""
    found: list[str] = []
    _cfn_refs(node, found, set())
    return set(found)


def _cfn_refs(node: Any, found: list[str], local: set[str]) -> None:
    """Resource names referenced by intrinsics under ``node`` (``local``: Fn::Sub's own variables)."""
    if isinstance(node, list):
        for item in node:
            _cfn_refs(item, found, local)
        return
    if not isinstance(node, dict):
        return
    if len(node) == 1:
        key, inner = next(iter(node.items()))
        if key == "Ref" and isinstance(inner, str):
            found.append(inner)
            return
        if key == "Fn::GetAtt":
            target = inner[0] if isinstance(inner, list) and inner else str(inner).split(".", 1)[0]
            found.append(str(target))
            return
        if key == "Fn::Sub":
            text, variables = (inner[0], inner[1]) if isinstance(inner, list) and len(inner) == 2 else (inner, {})
            own = set(variables) if isinstance(variables, dict) else set()
            if isinstance(text, str):
                found.extend(m.group(1).split(".", 1)[0] for m in _SUB_VAR.finditer(text) if m.group(1) not in own)
            _cfn_refs(variables, found, own)
            return
    for value in node.values():
        _cfn_refs(value, found, local)


def count_by_file(rows: Sequence[ResourceRow]) -> str:
    """'2 in template.yaml, 7 in main.tf': the same change rendered twice is not twice the resources."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.file] = counts.get(row.file, 0) + 1
    if len(counts) <= 1:
        return str(len(rows))
    return ", ".join(f"{n} in {path}" for path, n in counts.items())


def _spec_name(body: dict[str, Any]) -> str | None:
    meta = body.get("Metadata")
    value = meta.get("gate:spec") if isinstance(meta, dict) else None
    return str(value) if value else None


def _terraform_rows(f: IaCFile) -> list[ResourceRow]:
    from hcl2.api import loads as hcl_loads

    try:
        parsed = hcl_loads(f.content)
    except Exception as exc:  # hcl2 raises lark errors of several types
        raise GateError(
            f"is not valid Terraform: {str(exc).splitlines()[0]}",
            source=f.path,
            fix="run 'terraform fmt' / 'terraform validate' on it",
        ) from exc
    blocks: list[tuple[str, str, Any]] = [
        (rtype, str(name), body)
        for group in parsed.get("resource", [])
        for rtype, instances in group.items()
        for name, body in instances.items()
    ]
    declared = {f"{rtype}.{name}" for rtype, name, _ in blocks}
    rows: list[ResourceRow] = []
    for rtype, name, body in blocks:
        address = f"{rtype}.{name}"
        found: list[str] = []
        _tf_refs(body, found)
        depends = tuple(dict.fromkeys(d for d in found if d in declared and d != address))
        rows.append(ResourceRow(logical_id=address, type=rtype, file=f.path, depends_on=depends))
    return rows


# type.name at the start of a reference (not data.type.name, var.x.y or an attribute path a.b.c's tail)
_TF_REF = re.compile(r"(?<![\w.\-])([A-Za-z][\w-]*)\.([A-Za-z_][\w-]*)")


def _tf_refs(node: Any, found: list[str]) -> None:
    """Resource addresses referenced in the block's expressions (python-hcl2 keeps them as ``${...}``)."""
    if isinstance(node, str):
        if "${" in node:  # an expression (jsonencode bodies nest, so the whole string is read)
            found.extend(f"{m.group(1)}.{m.group(2)}" for m in _TF_REF.finditer(node))
    elif isinstance(node, list):
        for item in node:
            _tf_refs(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if not str(key).startswith("__"):
                _tf_refs(value, found)
