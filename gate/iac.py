"""IaC bundles: build them from synthesised templates or from files people wrote, hash them, list their
resources, and write them to a folder for the tools that read files."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from gate.config import ProjectSettings
from gate.errors import GateError
from gate.models import IaCBundle, IaCFile, IaCFormat, NotEvaluated, ResourceRow, TerraformProject
from gate.terraform.parse import is_terraform, parse_file, resource_blocks

_CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template")
NOT_EVALUATED = "(not evaluated)"  # the type shown for a resource no check could read
SKIP_DIRS = frozenset({".git", ".terraform", "node_modules", ".venv", "__pycache__", ".external_modules"})


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_file(path: str, fmt: IaCFormat, content: str) -> IaCFile:
    return IaCFile(path=path, format=fmt, sha256=sha256(content), content=content)


def bundle_sha256(bundle: IaCBundle) -> str:
    digest = hashlib.sha256()
    for f in sorted(bundle.files, key=lambda f: f.path):
        digest.update(f"{f.path}\0{f.format}\0{f.sha256}\n".encode())
    return digest.hexdigest()


def copy_name(path: str) -> PurePosixPath:
    """The relative name a bundle file's copy gets under a folder of ours: never absolute, never above the folder
    (``/abs/t.yaml`` -> ``abs/t.yaml``, ``../infra/t.yaml`` -> ``_up/infra/t.yaml``), so a copy can neither
    overwrite its input nor land next to it."""
    parts = [p for p in PurePosixPath(path.replace("\\", "/")).parts if p not in ("/", ".", "")]
    safe = [("_up" if p == ".." else p) for p in parts if not p.endswith(":")]  # 'C:' drive letters too
    if not safe:
        raise GateError("is not a file name", source=path)
    return PurePosixPath(*safe)


def under(folder: Path, bundle_path: str) -> Path:
    """Where a bundle file's copy is in a work folder: always inside it, by its :func:`copy_name`."""
    return folder.joinpath(*copy_name(bundle_path).parts)


def write_bundle(bundle: IaCBundle, folder: Path) -> None:
    """Write copies of the bundle's files under ``folder`` (a fresh folder), each by its :func:`copy_name`."""
    root = folder.resolve()
    while root.name == "_up":  # workdir_for puts the work folder below the temp root by the paths' leading '..'
        root = root.parent
    for f in bundle.files:
        target = place(folder, f.path)
        if root not in target.resolve().parents:  # a path above the temp root, or a symlink planted under it
            raise GateError("would be written outside its folder", source=f.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as handle:
            handle.write(f.content)


_ABSOLUTE = "_abs"  # absolute bundle paths are written under this folder, never over the originals


def workdir_for(tmp: Path, bundle: IaCBundle) -> Path:
    """The folder in ``tmp`` to write ``bundle`` into so that every path lands inside ``tmp`` with the layout kept:
    a module called as ``../../`` is written two levels above the project that calls it, still inside ``tmp``."""
    depth = 0
    for f in bundle.files:
        parts = PurePosixPath(os.path.normpath(f.path)).parts
        if parts and parts[0] != "/":
            ups = next((i for i, part in enumerate(parts) if part != ".."), len(parts))
            depth = max(depth, ups)
    return tmp.joinpath(*(["_up"] * depth)) if depth else tmp


def place(workdir: Path, bundle_path: str) -> Path:
    """Where a bundle file's copy goes: relative paths keep their layout (see :func:`workdir_for`), absolute ones
    go under ``_abs``; either way inside the temp root, never onto the file the path names."""
    if bundle_path.startswith("/"):
        return workdir / _ABSOLUTE / bundle_path.lstrip("/")
    return workdir / os.path.normpath(bundle_path)


def bundle_path(workdir: Path, written: str) -> str:
    """The bundle path of a file written by :func:`write_bundle` (the inverse of :func:`place`)."""
    relative = PurePosixPath(os.path.relpath(os.path.normpath(written), os.path.normpath(workdir)))
    if relative.parts and relative.parts[0] == _ABSOLUTE:
        return "/" + "/".join(relative.parts[1:])
    return relative.as_posix()


def looks_like_cfn(text: str) -> bool:
    return "AWSTemplateFormatVersion" in text or ("Resources" in text and "Type" in text and "AWS::" in text)


def load_paths(
    paths: list[str],
    projects: Sequence[ProjectSettings] = (),
    *,
    download: bool = False,
    max_file_bytes: int | None = None,
) -> IaCBundle:
    """Hand-written CloudFormation (.yaml/.yml/.json/.template) and Terraform (.tf, .tf.json) files and folders.

    Terraform is read by project (:mod:`gate.terraform.projects`): each project's files, and the files of every
    module it calls (local sources, ``.terraform/modules``), wherever they are; ``projects`` are the
    ``projects:`` of .gate.yml. A folder with Terraform that is not scanned is listed in ``not_evaluated``. A
    CloudFormation file over ``max_file_bytes`` is refused before it is read (limits.template_bytes)."""
    from gate.terraform import projects as tf_projects

    files: dict[str, IaCFile] = {}
    found: dict[str, TerraformProject] = {}
    passed: dict[str, NotEvaluated] = {}
    for given in paths:
        if "\x00" in given:
            raise GateError(
                f"the path {given!r} holds a NUL byte", fix="remove the NUL (\\0) character; it would cut the name"
            )
        root = Path(given)
        if not root.exists():
            raise GateError(
                "does not exist", source=given, fix="pass files or folders with CloudFormation or Terraform"
            )
        if root.is_file():
            if format_of(root) == "terraform":
                layout = tf_projects.layout_of_file(given, download=download)
            else:
                _add(files, _cfn_file(root, given, alone=True, max_bytes=max_file_bytes))
                continue
        else:
            for path in sorted(p for p in root.rglob("*") if p.is_file() and not SKIP_DIRS.intersection(p.parts)):
                if format_of(path) == "cloudformation":
                    _add(files, _cfn_file(path, given, alone=False, max_bytes=max_file_bytes))
            layout = tf_projects.layout(given, projects, download=download)
        for f in tf_projects.bundle_files(layout):
            _add(files, f)
        found.update((p.dir, p) for p in layout.projects)
        passed.update((n.path, n) for n in layout.not_evaluated)
    if not files:
        raise GateError(
            "no CloudFormation or Terraform files found",
            source=" ".join(paths),
            fix="pass the folder or files with the infrastructure code",
        )
    return IaCBundle(
        origin="hand-written",
        files=tuple(files.values()),
        projects=tuple(found.values()),
        not_evaluated=tuple(n for path, n in passed.items() if path not in found),
    )


def _add(files: dict[str, IaCFile], f: IaCFile | None) -> None:
    """One file per path; a file that is a project's own and another's module is kept as the project's."""
    if f is None:
        return
    known = files.get(f.path)
    if known is None or (known.role == "module" and f.role == "root"):
        files[f.path] = f


def _cfn_file(path: Path, given: str, *, alone: bool, max_bytes: int | None = None) -> IaCFile | None:
    """A CloudFormation template, or None for a file in a folder that is not one (``alone``: given by name)."""
    if format_of(path) is None:
        if not alone:
            return None
        raise GateError(
            "is neither CloudFormation nor Terraform",
            source=given,
            fix="pass .tf/.tf.json files or CloudFormation templates (.yaml/.yml/.json/.template)",
        )
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise GateError(
            f"is {size:,} bytes, over the {max_bytes:,} one IaC file may be",
            source=str(path),
            fix="split it into smaller templates or modules, or raise limits.template_bytes",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError("cannot be read as UTF-8 text", source=str(path), fix="check the file") from exc
    if not looks_like_cfn(text):
        if not alone:
            return None
        raise GateError(
            "has no CloudFormation Resources",
            source=given,
            fix="pass a CloudFormation template, or Terraform as .tf or .tf.json",
        )
    return make_file(path.as_posix(), "cloudformation", text)


def format_of(path: Path) -> IaCFormat | None:
    if is_terraform(path.name):
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
            from gate.checks.cfn_template import checked_template  # the checks' view: extensions expanded

            checked = checked_template(f.content, f.path)
            resources = checked.resources
            names = {str(k) for k in resources}
            for logical, body in resources.items():
                rows.append(
                    ResourceRow(
                        logical_id=str(logical),
                        type=str(body.get("Type", "?")),
                        file=f.path,
                        spec_name=_spec_name(body),
                        depends_on=_cfn_depends_on(str(logical), body, names),
                    )
                )
            rows.extend(
                ResourceRow(logical_id=missed.resource, type=NOT_EVALUATED, file=f.path)
                for missed in checked.not_evaluated
                if missed.resource is not None
            )
        elif f.format == "terraform-plan":  # every planned resource, module resources included
            from gate.terraform.plan_json import depends_on, load, resource_values

            data = load(f.content, f.path)
            planned = [(address, rtype) for address, rtype, _ in resource_values(data)]
            refs = depends_on(data, [address for address, _ in planned])
            rows.extend(
                ResourceRow(logical_id=address, type=rtype, file=f.path, depends_on=refs[address])
                for address, rtype in planned
            )
        elif f.role == "root":  # a module's resources are counted by the Terraform plan, not per file
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
    blocks = resource_blocks(parse_file(f))
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


def resource_total(rows: Sequence[ResourceRow]) -> str:
    """'45' or '45 in 12 files': the headline; ``count_by_file`` has the breakdown."""
    files = len({row.file for row in rows})
    return f"{len(rows)} in {files} files" if files > 1 else str(len(rows))
