"""``devops-gate import --report``: the resources of a region that no CloudFormation stack holds (and, given
Terraform state files, no state either), by service."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.cloud.aws import AwsTarget
from gate.errors import GateError
from gate.importer.base import Live, Reader, pages
from gate.importer.build import Selection, discover

_GONE = ("DELETE_COMPLETE",)
_STATE_KEYS = ("id", "arn", "name", "bucket", "url")


@dataclass(frozen=True)
class Coverage:
    region: str
    total: dict[str, int]  # service -> resources seen
    unmanaged: dict[str, list[Live]]  # service -> those in no stack and no state
    stacks: int
    states: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "stacks_read": self.stacks,
            "terraform_states": list(self.states),
            "services": {
                svc: {
                    "resources": self.total[svc],
                    "unmanaged": [{"id": r.physical_id, "name": r.label, "arn": r.arn} for r in self.unmanaged[svc]],
                }
                for svc in self.total
            },
            "unmanaged_total": sum(len(v) for v in self.unmanaged.values()),
        }


def stack_ids(target: AwsTarget) -> tuple[set[str], int]:
    """Physical ids of every resource of every stack in the region (and how many stacks were read)."""
    cfn = target.client("cloudformation")
    ids: set[str] = set()
    stacks = [s for s in pages(target, cfn, "list_stacks", "StackSummaries") if s.get("StackStatus") not in _GONE]
    for stack in stacks:
        for res in pages(target, cfn, "list_stack_resources", "StackResourceSummaries", StackName=stack["StackId"]):
            if res.get("PhysicalResourceId"):
                ids.add(str(res["PhysicalResourceId"]))
    return ids, len(stacks)


def state_ids(paths: Sequence[str]) -> set[str]:
    """Ids and ARNs of every resource instance in Terraform state files (format version 4)."""
    ids: set[str] = set()
    for path in paths:
        try:
            state = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise GateError(
                f"cannot read the Terraform state ({exc})", source=path, fix="pass a terraform.tfstate file"
            ) from exc
        if not isinstance(state, dict) or state.get("version") != 4:
            raise GateError(
                "not a Terraform state (format version 4)",
                source=path,
                fix="pass the JSON of 'terraform state pull' (or a terraform.tfstate file)",
            )
        for res in state.get("resources") or []:
            if res.get("mode") != "managed":
                continue
            for inst in res.get("instances") or []:
                attrs = inst.get("attributes") or {}
                ids.update(str(attrs[k]) for k in _STATE_KEYS if attrs.get(k))
    return ids


def coverage(
    target: AwsTarget, readers: Mapping[str, Reader], selection: Selection, states: Sequence[str] = ()
) -> Coverage:
    held, stacks = stack_ids(target)
    held |= state_ids(states)
    total: dict[str, int] = {svc: 0 for svc in readers}
    unmanaged: dict[str, list[Live]] = {svc: [] for svc in readers}
    for reader, live in discover(target, readers, selection):
        total[reader.service] += 1
        if not {live.physical_id, live.arn} & held:
            unmanaged[reader.service].append(live)
    return Coverage(target.region, total, unmanaged, stacks, tuple(states))


def table(cov: Coverage) -> str:
    """The report as a markdown table: one row per service, then one per unmanaged resource."""
    lines = [
        f"IaC coverage in {cov.region}: {cov.stacks} stack(s) read"
        + (f", {len(cov.states)} Terraform state file(s)" if cov.states else ""),
        "",
        "| Service | Resources | Unmanaged | Managed |",
        "|---|---:|---:|---:|",
    ]
    for svc, count in cov.total.items():
        lines.append(f"| {svc} | {count} | {len(cov.unmanaged[svc])} | {count - len(cov.unmanaged[svc])} |")
    rows = [(svc, r) for svc, found in cov.unmanaged.items() for r in found]
    if rows:
        lines += ["", "| Unmanaged | Id | Name |", "|---|---|---|"]
        lines += [f"| {svc} | `{r.physical_id}` | {r.label} |" for svc, r in rows]
    return "\n".join(lines) + "\n"
