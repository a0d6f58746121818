"""From the live resources to the outputs: spec names, references, template.yaml, main.tf and the spec."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gate.cloud.aws import AwsTarget
from gate.errors import GateError
from gate.importer.base import Cfn, Links, Live, Reader, SpecResult, Target, Tf, spec_name
from gate.spec import Assumption, ChangeSpec, ResourceSpec
from gate.synth import delta, hcl
from gate.synth.context import logical_id
from gate.synth.hcl import Block, Raw
from gate.synth.terraform import AWS_PROVIDER_VERSION

RETAIN = "Retain"
_VALUE_LIMIT = 200


@dataclass(frozen=True)
class Selection:
    """Which live resources are imported: ``--tag key=value`` and ``--name-prefix``."""

    tag: tuple[str, str] | None = None
    name_prefix: str | None = None

    def wants(self, name: str) -> bool:
        return not self.name_prefix or name.startswith(self.name_prefix)

    def keeps(self, live: Live) -> bool:
        if self.name_prefix and not live.label.startswith(self.name_prefix):
            return False
        return self.tag is None or live.tags.get(self.tag[0]) == self.tag[1]


@dataclass(frozen=True)
class Imported:
    reader: Reader
    live: Live
    place: Target
    cfn: Cfn
    tf: Tf
    spec: SpecResult

    @property
    def raw(self) -> dict[str, Any]:
        """The template's properties the spec entry does not express (all of them without a spec entry)."""
        if self.spec.spec is None:
            return dict(self.cfn.properties)
        kept = {k: v for k, v in self.cfn.properties.items() if k not in self.cfn.expressed}
        for key in self.spec.notes:  # expressed in shape, but not as it is (e.g. no encryption)
            if key in self.cfn.properties:
                kept[key] = self.cfn.properties[key]
        return kept


@dataclass(frozen=True)
class Estate:
    region: str
    resources: tuple[Imported, ...]
    spec: ChangeSpec | None
    template: dict[str, Any]
    terraform: str


def discover(target: AwsTarget, readers: Mapping[str, Reader], selection: Selection) -> list[tuple[Reader, Live]]:
    return [
        (r, live) for r in readers.values() for live in r.discover(target, selection.wants) if selection.keeps(live)
    ]


def _places(found: list[tuple[Reader, Live]]) -> dict[int, Target]:
    taken: set[str] = set()
    places: dict[int, Target] = {}
    for index, (reader, live) in enumerate(found):
        base = spec_name(live.label)
        name, n = base, 2
        while name in taken:
            name = f"{base[:60]}-{n}"
            n += 1
        taken.add(name)
        places[index] = Target(name, logical_id(name, reader.logical_suffix), reader.tf_type, hcl.tf_name(name))
    return places


def build(found: list[tuple[Reader, Live]], region: str) -> Estate:
    if not found:
        raise GateError(
            f"nothing to import in {region}: no resource of the chosen services matches",
            fix="check --region, --types, --tag and --name-prefix",
        )
    places = _places(found)
    links = Links({i: places[n] for n, (_, live) in enumerate(found) for i in live.ids})
    imported = tuple(
        Imported(
            reader,
            live,
            places[n],
            reader.cloudformation(live, links),
            reader.terraform(live, places[n].tf_name, links),
            reader.spec(live, places[n].name, links),
        )
        for n, (reader, live) in enumerate(found)
    )
    spec = _spec(imported, region)
    template = _template(imported, region)
    if spec is not None:
        template = delta.with_stored_spec(template, spec)
    return Estate(region, imported, spec, template, _terraform(imported, region))


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(",", ":"))
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1] + "…"


def assumptions(imported: tuple[Imported, ...]) -> list[Assumption]:
    """Every setting kept as imported (raw), with why the spec does not hold it: listed in the comment."""
    out = []
    for item in imported:
        name = item.place.name
        if item.spec.spec is None:  # one line: the whole resource is in the template as it is
            why = item.spec.notes.get("*", "the spec cannot express this resource")
            value = f"{item.place.logical_id}: {', '.join(item.cfn.properties)}"
            out.append(Assumption(resource=name, field="kept-as-imported", value=_short(value), reason=why))
            continue
        for key, value in item.raw.items():
            why = item.spec.notes.get(key, "kept as imported: the spec has no field for it")
            out.append(Assumption(resource=name, field=f"raw:{key}", value=_short(value), reason=why))
        for key, why in item.spec.notes.items():
            if key != "*" and key not in item.raw:
                out.append(Assumption(resource=name, field=f"raw:{key}", value="(absent)", reason=why))
    return out


def _spec(imported: tuple[Imported, ...], region: str) -> ChangeSpec | None:
    resources: list[ResourceSpec] = [i.spec.spec for i in imported if i.spec.spec is not None]
    if not resources:
        return None
    kinds = sorted({i.live.service for i in imported})
    return ChangeSpec(
        summary=f"Import {len(imported)} existing resource(s) in {region} ({', '.join(kinds)})",
        resources=resources,
        assumptions=assumptions(imported),
    )


def _template(imported: tuple[Imported, ...], region: str) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    for item in imported:
        body: dict[str, Any] = {"Type": item.cfn.type, "DeletionPolicy": RETAIN, "UpdateReplacePolicy": RETAIN}
        meta: dict[str, Any] = {"gate:identifier": item.cfn.identifier}
        if item.spec.spec is not None:
            meta["gate:spec"] = item.place.name
        if item.raw:
            meta["gate:raw"] = sorted(item.raw)
        body["Metadata"] = meta
        body["Properties"] = item.cfn.properties
        resources[item.place.logical_id] = body
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"devops-gate import: {len(imported)} existing resource(s) in {region}",
        "Resources": resources,
    }


def _terraform(imported: tuple[Imported, ...], region: str) -> str:
    header = Block("terraform").attr("required_version", ">= 1.5.0")
    header.block("required_providers").attr("aws", {"source": "hashicorp/aws", "version": AWS_PROVIDER_VERSION})
    blocks = [header, Block("provider", ("aws",)).attr("region", region)]
    for item in imported:
        for block, import_id in item.tf.blocks:
            address = ".".join(block.labels)
            blocks.append(Block("import").attr("to", Raw(address)).attr("id", import_id))
            blocks.append(block)
    return f"# devops-gate import: {len(imported)} existing resource(s) in {region}\n" + hcl.render(blocks)
