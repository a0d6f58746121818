"""The GitHub Actions runtime, the way @actions/toolkit does it.

Inputs come from ``INPUT_<NAME>`` (name upper-cased, spaces to underscores, hyphens kept); booleans accept
only ``true | True | TRUE | false | False | FALSE``. Outputs go to ``$GITHUB_OUTPUT`` (heredoc syntax with a
random delimiter), the job summary to ``$GITHUB_STEP_SUMMARY``, annotations are workflow commands on stdout
(``::error file=F,line=L,title=T::message``) with their data and properties escaped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from gate.errors import GateError
from gate.models import GatePlan, Severity

_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")
SUMMARY_LIMIT = 1024 * 1024  # GitHub refuses a step summary over 1 MiB
AnnotationLevel = Literal["error", "warning", "notice"]


def input_env_name(name: str) -> str:
    return "INPUT_" + name.replace(" ", "_").upper()


def get_input(name: str, env: Mapping[str, str] | None = None, *, required: bool = False, default: str = "") -> str:
    env = os.environ if env is None else env
    value = env.get(input_env_name(name), "").strip()
    if required and not value:
        raise GateError(f"input '{name}' is required and not supplied", fix=f"set '{name}:' under 'with:'")
    return value or default


def get_boolean(name: str, env: Mapping[str, str] | None = None, *, default: bool = False) -> bool:
    value = get_input(name, env)
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise GateError(
        f"input '{name}' is {value!r}, which is not a boolean",
        fix="use true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE)",
    )


def set_output(name: str, value: str, env: Mapping[str, str] | None = None) -> None:
    """Append ``name`` to $GITHUB_OUTPUT (no-op outside Actions)."""
    _append_file("GITHUB_OUTPUT", _key_value(name, value), env)


def _key_value(name: str, value: str) -> str:
    delimiter = f"ghadelimiter_{uuid.uuid4()}"
    if delimiter in name or delimiter in value:  # pragma: no cover - a random uuid
        raise GateError("an output contains its own delimiter")
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def append_summary(markdown_text: str, env: Mapping[str, str] | None = None) -> None:
    """Append markdown to the job summary, cut to GitHub's 1 MiB limit (no-op outside Actions)."""
    data = markdown_text.encode("utf-8")
    if len(data) > SUMMARY_LIMIT:
        note = "\n\n_(summary cut at GitHub's 1 MiB limit; gate-plan.json in the artifact has everything)_\n"
        data = data[: SUMMARY_LIMIT - len(note.encode())] + note.encode()
        markdown_text = data.decode("utf-8", errors="ignore")
    _append_file("GITHUB_STEP_SUMMARY", markdown_text if markdown_text.endswith("\n") else markdown_text + "\n", env)


def _append_file(variable: str, text: str, env: Mapping[str, str] | None) -> None:
    env = os.environ if env is None else env
    path = env.get(variable)
    if not path:
        return
    try:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise GateError(f"cannot write ${variable} ({exc.strerror})", source=path) from exc


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: AnnotationLevel, message: str, *, file: str | None = None, line: int | None = None, title: str | None = None
) -> str:
    """One workflow command, e.g. ``::error file=template.yaml,line=3,title=GATE-S3-001::...``."""
    props = []
    if file:
        props.append(f"file={_escape_property(file)}")
    if line:
        props.append(f"line={int(line)}")
    if title:
        props.append(f"title={_escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{_escape_data(message)}"


def plan_annotations(plan: GatePlan, file_prefix: str = "") -> list[str]:
    """One annotation per live finding: HIGH and above are errors, MEDIUM warnings, the rest notices."""
    out: list[str] = []
    for f in plan.findings:
        if f.waived:
            continue
        level: AnnotationLevel = (
            "error" if f.severity >= Severity.HIGH else "warning" if f.severity >= Severity.MEDIUM else "notice"
        )
        message = f"{f.severity.name} {f.title}" + (f" (resource {f.resource})" if f.resource else "")
        if f.remediation:
            message += f"\nFix: {f.remediation}"
        file = f"{file_prefix}{f.file}" if f.file else None
        out.append(annotation(level, message, file=file, line=f.line, title=f"{f.tool} {f.check_id}"))
    return out
