"""IaC bundles: build them from synthesised templates or from files people wrote, hash them, list their
resources, and write them to a folder for the tools that read files."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gate.errors import GateError
from gate.models import IaCBundle, IaCFile, IaCFormat, ResourceRow
from gate.synth import cfn_yaml

_CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template")
_SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "__pycache__"}


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


def _looks_like_cfn(text: str) -> bool:
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
            else sorted(p for p in root.rglob("*") if p.is_file() and not _SKIP_DIRS.intersection(p.parts))
        )
        for path in candidates:
            fmt = _format_of(path)
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
            if fmt == "cloudformation" and not _looks_like_cfn(text):
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


def _format_of(path: Path) -> IaCFormat | None:
    if path.suffix == ".tf":
        return "terraform"
    if path.suffix in _CFN_SUFFIXES:
        return "cloudformation"
    return None


def resource_rows(bundle: IaCBundle) -> list[ResourceRow]:
    rows: list[ResourceRow] = []
    for f in bundle.files:
        if f.format == "cloudformation":
            template = cfn_yaml.load(f.content, f.path)
            for logical, body in (template.get("Resources") or {}).items():
                body = body if isinstance(body, dict) else {}
                depends = body.get("DependsOn") or []
                rows.append(
                    ResourceRow(
                        logical_id=str(logical),
                        type=str(body.get("Type", "?")),
                        file=f.path,
                        spec_name=_spec_name(body),
                        depends_on=tuple(str(d) for d in ([depends] if isinstance(depends, str) else depends)),
                    )
                )
        else:
            rows.extend(_terraform_rows(f))
    return rows


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
    rows: list[ResourceRow] = []
    for block in parsed.get("resource", []):
        for rtype, instances in block.items():
            for name in instances:
                rows.append(ResourceRow(logical_id=f"{rtype}.{name}", type=rtype, file=f.path))
    return rows
