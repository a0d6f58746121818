"""Terraform plans given to ``check``: a ``terraform show -json`` file among the paths, or a binary planfile
(``--tf-plan``) the gate turns into JSON with ``terraform show -json`` itself (terraform on PATH)."""

from __future__ import annotations

import json
from pathlib import Path

from gate.errors import GateError
from gate.iac import make_file
from gate.models import IaCFile
from gate.terraform import plan_json
from gate.terraform.runner import Terraform

_PEEK = 4096


def is_plan_path(path: str) -> bool:
    """A ``.json`` file (not ``.tf.json``) whose first bytes look like ``terraform show -json`` output."""
    given = Path(path)
    if not given.is_file() or not given.name.endswith(".json") or given.name.endswith(".tf.json"):
        return False
    try:
        with given.open(encoding="utf-8") as handle:
            head = handle.read(_PEEK)
    except (OSError, UnicodeDecodeError):
        return False
    if '"format_version"' in head and '"resource_changes"' in head:
        return True
    return head.lstrip().startswith("{") and '"format_version"' in head and _is_plan(given)


def _is_plan(path: Path) -> bool:
    try:
        return plan_json.is_plan(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False


def plan_file(path: str, max_bytes: int | None = None) -> IaCFile:
    """A plan JSON file as a bundle file (validated: a plan that does not parse is refused here)."""
    given = Path(path)
    size = given.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise GateError(
            f"is {size:,} bytes, over the {max_bytes:,} one IaC file may be",
            source=path,
            fix="split the root, or raise limits.template_bytes",
        )
    try:
        text = given.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError("cannot be read as UTF-8 text", source=path, fix=plan_json.FIX) from exc
    plan_json.load(text, path)
    return make_file(given.as_posix(), "terraform-plan", text)


def from_planfile(planfile: str, mirror: str | None = None) -> IaCFile:
    """``terraform show -json PLANFILE`` run in the current folder: the initialised root the plan was made in."""
    path = Path(planfile)
    if not path.is_file():
        raise GateError("does not exist", source=planfile, fix="pass the file 'terraform plan -out' wrote")
    data = Terraform.found(mirror=mirror).show_json(path)
    return make_file(f"{path.as_posix()}.json", "terraform-plan", json.dumps(data, indent=2, sort_keys=True) + "\n")
