"""The Terraform root as it was at the PR's base commit: saved next to gate-plan.json when the root is planned,
and applied again when an alarm fires after the reviewed planfile was applied (the rollback).

At plan time (``check --tf-root`` with ``--base-ref``, or ``origin/$GITHUB_BASE_REF`` in a pull_request job) the
root's Terraform files at the base commit are copied with ``git show`` into ``terraform-base/`` beside the
planfile, and their sha256 goes into gate-plan.json (:class:`~gate.models.TerraformRun`), which the reviewer's
anchor covers. The rollback checks that copy, initialises it in a scratch folder with the same backend settings
(a local state stays the root's own ``terraform.tfstate``) and runs ``terraform apply`` of it. A root that did
not exist at the base is rolled back with ``terraform apply -destroy``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath

from gate.config import TerraformSettings
from gate.cost import git_base
from gate.errors import GateError
from gate.iac import SKIP_DIRS
from gate.models import TerraformRun
from gate.terraform.runner import Terraform

BASE_DIR = "terraform-base"
_CONFIG_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")


def is_config(name: str) -> bool:
    return name.endswith(_CONFIG_SUFFIXES) or name == ".terraform.lock.hcl"


def root_sha256(root: Path) -> str:
    """sha256 over the root's Terraform files and its local modules below it (path and content hash)."""
    if not root.is_dir():
        raise GateError("is not a folder", source=str(root), fix="pass the Terraform root folder")
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not SKIP_DIRS.intersection(p.parts)):
        if is_config(path.name):
            content = hashlib.sha256(path.read_bytes()).hexdigest()
            digest.update(f"{path.relative_to(root).as_posix()}\0{content}\n".encode())
    return digest.hexdigest()


def base_commit(base_ref: str | None) -> tuple[Path, str] | None:
    """The repository and the base commit: ``--base-ref``, else ``origin/$GITHUB_BASE_REF``; None without either
    (said on stderr: an alarm after the apply then cannot be rolled back by the gate)."""
    if base_ref is not None:
        return git_base._resolve(base_ref)
    branch = os.environ.get("GITHUB_BASE_REF", "").strip()
    try:
        if branch:
            return git_base._resolve(f"origin/{branch}", source="GITHUB_BASE_REF")
        why = "no --base-ref and no GITHUB_BASE_REF"
    except GateError as exc:
        why = f"GITHUB_BASE_REF is {branch} but {exc.message}"
    print(
        f"devops-gate: WARNING: {why}: the root's base configuration is not recorded, so a rollback after an "
        "alarm cannot re-apply it (pass --base-ref)",
        file=sys.stderr,
        flush=True,
    )
    return None


def save(root: str, base: tuple[Path, str], out_dir: Path) -> dict[str, str]:
    """Copy the root's Terraform files at the base commit to ``out_dir/terraform-base``; the TerraformRun fields."""
    top, commit = base
    rel = git_base._in_repo(top, root).as_posix()
    folder = out_dir / BASE_DIR
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    listed = git_base._git(["ls-tree", "-r", "-z", "--name-only", commit, "--", rel], top)
    if listed.returncode != 0:
        raise GateError(f"git ls-tree {commit[:12]} failed: {git_base._last_line(listed.stderr)}", source=root)
    for name in filter(None, listed.stdout.decode("utf-8", "surrogateescape").split("\0")):
        inside = PurePosixPath(name).relative_to(rel) if rel != "." else PurePosixPath(name)
        if SKIP_DIRS.intersection(inside.parts) or not is_config(inside.name):
            continue
        path = folder / inside
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(git_base._show(top, commit, name), encoding="utf-8")
    return {"base_commit": commit, "base_config": BASE_DIR, "base_config_sha256": root_sha256(folder)}


def roll_back(run: TerraformRun, plan_path: str, tf: Terraform, settings: TerraformSettings) -> str:
    """Apply the root's configuration at the base commit (or destroy what a root new in the PR made); what was
    done. GateError when there is no verified base configuration or Terraform fails."""
    if run.base_config is None or run.base_commit is None or run.base_config_sha256 is None:
        raise GateError(
            "the plan recorded no base configuration of the root, so there is nothing to re-apply",
            source=plan_path,
            fix="roll back by hand (terraform apply of the base commit's root); plan with --base-ref next time",
        )
    folder = Path(plan_path).parent / run.base_config
    if root_sha256(folder) != run.base_config_sha256:
        raise GateError(
            "the base configuration beside gate-plan.json is not the one recorded at plan time",
            source=str(folder),
            fix="roll back by hand: terraform apply of the root at the base commit " + run.base_commit[:12],
        )
    root, commit = Path(run.root), run.base_commit[:12]
    variables = [f"-var={k}={v}" for k, v in settings.variables.items()]
    if not any(p.is_file() for p in folder.rglob("*")):
        tf.run(["apply", "-destroy", "-auto-approve", "-no-color", "-input=false", *variables], root)
        return f"destroyed what root {run.root} manages (terraform apply -destroy): it was not there at {commit}"
    # a root without a backend of its own keeps its state in its folder: the base configuration applies to it
    local = not (root / ".terraform" / "terraform.tfstate").is_file()
    state = [f"-state={(root / 'terraform.tfstate').resolve()}"] if local else []
    backend = [f"-backend-config={k}={v}" for k, v in settings.backend_config.items()]
    with tempfile.TemporaryDirectory(prefix="devops-gate-tf-base-") as scratch:
        work = Path(scratch) / "root"
        shutil.copytree(folder, work)
        tf.run(["init", "-no-color", "-input=false", *backend], work)
        tf.run(["apply", "-auto-approve", "-no-color", "-input=false", *variables, *state], work)
    return f"re-applied the configuration of {run.root} at the base commit {commit} (terraform apply)"
