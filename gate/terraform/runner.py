"""Running the ``terraform`` binary: found on PATH, never prompted, every failure a GateError with its reason.

A terraform binary is not promised on every machine: :func:`require` says so with the fix (install it, or
pass the ``terraform show -json`` output instead). ``plugin_mirror`` (``terraform.plugin_mirror`` in
.gate.yml) points Terraform at a provider mirror folder through a CLI config file of ours, for machines
without network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gate.errors import GateError

_TIMEOUT = 1800.0
_INSTALL = (
    "install Terraform (https://developer.hashicorp.com/terraform/install) and put it on PATH, or pass the plan "
    "as JSON: terraform show -json plan.out > plan.json; devops-gate check plan.json"
)


def binary() -> str | None:
    return shutil.which("terraform")


def require() -> str:
    found = binary()
    if found is None:
        raise GateError("terraform is not on PATH", source="--tf-plan", fix=_INSTALL)
    return found


def cli_config(mirror: str, folder: Path) -> Path:
    """A CLI config file that installs providers from the filesystem mirror ``mirror`` only."""
    if not Path(mirror).is_dir():
        raise GateError(
            "is not a folder", source=f"terraform.plugin_mirror {mirror}", fix="point it at a provider mirror"
        )
    path = folder / "terraform.rc"
    text = json.dumps(str(Path(mirror).resolve()))
    path.write_text(f"provider_installation {{\n  filesystem_mirror {{\n    path = {text}\n  }}\n}}\n")
    return path


@dataclass
class Terraform:
    """One terraform binary with its environment (a CLI config for a provider mirror, extra variables)."""

    path: str
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def found(cls, mirror: str | None = None, env: Mapping[str, str] | None = None) -> Terraform:
        tf = cls(require(), dict(env or {}))
        if mirror:
            folder = Path(tempfile.mkdtemp(prefix="devops-gate-tfrc-"))
            tf.env["TF_CLI_CONFIG_FILE"] = str(cli_config(mirror, folder))
        return tf

    def run(self, args: Sequence[str], cwd: Path, timeout: float = _TIMEOUT) -> str:
        """stdout of ``terraform ARGS`` in ``cwd``; a non-zero exit is a GateError with Terraform's own error."""
        env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", **self.env}
        try:
            done = subprocess.run(
                [self.path, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise GateError(f"terraform {args[0]} did not finish in {timeout:.0f} s", source=str(cwd)) from None
        except OSError as exc:
            raise GateError(f"cannot run terraform ({exc.strerror})", source=self.path, fix=_INSTALL) from exc
        if done.returncode != 0:
            raise GateError(
                f"terraform {args[0]} failed: {_error(done.stderr or done.stdout)}",
                source=str(cwd),
                fix="run the same terraform command there to see the whole output",
            )
        return done.stdout

    def show_json(self, planfile: Path, cwd: Path | None = None) -> dict[str, Any]:
        """``terraform show -json PLANFILE`` in ``cwd`` (default: the current folder), which must be the root the
        plan was made in, initialised (Terraform reads the providers' schemas from it)."""
        out = self.run(["show", "-no-color", "-json", str(planfile.resolve())], cwd or Path.cwd())
        try:
            data = json.loads(out)
        except json.JSONDecodeError as exc:
            raise GateError(f"terraform show -json gave no JSON ({exc})", source=str(planfile)) from exc
        if not isinstance(data, dict):
            raise GateError("terraform show -json gave no JSON object", source=str(planfile))
        return data


def _error(text: str) -> str:
    """Terraform's error lines without its box drawing, on one line."""
    lines = [line.strip(" │╷╵\t") for line in re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines()]
    kept = [line for line in lines if line]
    errors = [i for i, line in enumerate(kept) if line.startswith("Error:")]
    start = errors[0] if errors else max(len(kept) - 3, 0)
    return " ".join(kept[start : start + 4]) or "(no message)"
