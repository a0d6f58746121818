"""Assemble one CloudFormation template from a ChangeSpec."""

from __future__ import annotations

from typing import Any

from gate.errors import GateError
from gate.spec import ChangeSpec
from gate.synth import cfn_yaml
from gate.synth.registry import new_context, synthesiser_for


def template_for(spec: ChangeSpec, region: str) -> dict[str, Any]:
    ctx = new_context(spec, region)
    resources: dict[str, dict[str, Any]] = {}
    for res in spec.resources:
        for logical, body in synthesiser_for(res).cloudformation(res, ctx).items():
            if logical in resources:
                raise GateError(
                    f"two resources would share the logical id {logical!r}",
                    fix="give the resources in the request distinct names",
                )
            body.setdefault("Metadata", {})["gate:spec"] = res.name
            resources[logical] = body
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"devops-gate: {spec.summary}"[:1024],
    }
    if ctx.parameters:
        template["Parameters"] = ctx.parameters
    if ctx.conditions:
        template["Conditions"] = ctx.conditions
    template["Resources"] = resources
    if ctx.outputs:
        template["Outputs"] = ctx.outputs
    return template


def render(spec: ChangeSpec, region: str) -> str:
    return cfn_yaml.dump(template_for(spec, region))
