"""Fixes for the EC2 and EBS rules: encrypted volumes, IMDSv2 (security-group rules are never opened or
closed automatically: the finding says what to do)."""

from __future__ import annotations

from typing import Any

from gate.services.fix_kit import props, set_path
from gate.services.kit import Fixer


def _ebs(body: dict[str, Any], template: dict[str, str]) -> None:
    found = props(body)
    if body.get("Type") == "AWS::EC2::Volume":
        found["Encrypted"] = True
    mappings = found.get("BlockDeviceMappings") or (found.get("LaunchTemplateData") or {}).get("BlockDeviceMappings")
    for mapping in mappings or []:
        if isinstance(mapping, dict) and isinstance(mapping.get("Ebs"), dict):
            mapping["Ebs"]["Encrypted"] = True


def _imds(body: dict[str, Any], template: dict[str, str]) -> None:
    key = "LaunchTemplateData.MetadataOptions" if body.get("Type") == "AWS::EC2::LaunchTemplate" else "MetadataOptions"
    set_path(f"{key}.HttpTokens", "required")(body, template)
    set_path(f"{key}.HttpEndpoint", "enabled")(body, template)


FIXERS: dict[str, Fixer] = {"GATE-EBS-001": _ebs, "GATE-EC2-001": _imds}
