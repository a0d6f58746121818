"""Assemble one Terraform configuration (main.tf) from a ChangeSpec: provider, data sources, resources."""

from __future__ import annotations

from gate.errors import GateError
from gate.spec import ChangeSpec
from gate.synth import hcl
from gate.synth.hcl import Block
from gate.synth.registry import new_context, synthesiser_for

AWS_PROVIDER_VERSION = ">= 5.40"


def blocks_for(spec: ChangeSpec, region: str) -> list[Block]:
    ctx = new_context(spec, region)
    resources: list[Block] = []
    seen: set[tuple[str, ...]] = set()
    for res in spec.resources:
        for block in synthesiser_for(res).terraform(res, ctx):
            key = (block.type, *block.labels)
            if key in seen:
                raise GateError(
                    f"two Terraform resources would share the address {'.'.join(block.labels)!r}",
                    fix="give the resources in the request distinct names",
                )
            seen.add(key)
            resources.append(block)
    header = Block("terraform").attr("required_version", ">= 1.5.0")
    providers = header.block("required_providers").attr(
        "aws", {"source": "hashicorp/aws", "version": AWS_PROVIDER_VERSION}
    )
    for name, requirement in sorted(ctx.tf_providers.items()):
        providers.attr(name, requirement)
    provider = Block("provider", ("aws",)).attr("region", region)
    provider.block("default_tags").attr("tags", {"managed-by": "devops-gate"})
    return [header, provider, *ctx.tf_data.values(), *resources, *ctx.tf_outputs.values()]


def render(spec: ChangeSpec, region: str) -> str:
    summary = " ".join(spec.summary.split())
    return f"# devops-gate: {summary}\n" + hcl.render(blocks_for(spec, region))
