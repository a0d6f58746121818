"""CloudFormation YAML out (short-form intrinsics: !Ref, !GetAtt, !Sub) and in (with line numbers)."""

from __future__ import annotations

from typing import Any

import yaml

_SHORT = {
    "Ref": "!Ref",
    "Fn::GetAtt": "!GetAtt",
    "Fn::Sub": "!Sub",
    "Fn::Join": "!Join",
    "Fn::Select": "!Select",
    "Fn::GetAZs": "!GetAZs",
    "Fn::If": "!If",
    "Fn::Equals": "!Equals",
    "Fn::Base64": "!Base64",
    "Fn::Split": "!Split",
    "Fn::ImportValue": "!ImportValue",
    "Fn::Cidr": "!Cidr",
}


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # CloudFormation rejects YAML anchors/aliases; shared references are written out again


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    if len(data) == 1:
        ((key, value),) = data.items()
        tag = _SHORT.get(key)
        if tag == "!GetAtt" and isinstance(value, list):
            if len(value) == 2 and "." not in value[1]:
                return dumper.represent_scalar(tag, ".".join(value))
            # Nested attributes (Endpoint.Address) keep the long form: 'X.Endpoint.Address' is ambiguous to
            # some readers (moto splits at every dot), 'Fn::GetAtt: [X, Endpoint.Address]' is not.
            return dumper.represent_mapping("tag:yaml.org,2002:map", data.items())
        if tag and isinstance(value, str):
            return dumper.represent_scalar(tag, value)
        if tag and isinstance(value, list):
            return dumper.represent_sequence(tag, value)
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items())


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(str, _represent_str)


def dump(template: dict[str, Any]) -> str:
    """A template as YAML, keys in the order given."""
    return yaml.dump(template, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=120, allow_unicode=True)


def load(text: str, filename: str) -> dict[str, Any]:
    """Parse a CloudFormation template (YAML or JSON, short-form tags) with cfn-lint's decoder."""
    from gate.gc_pause import importing

    with importing():  # the first call imports cfn-lint (~0.5 s)
        from cfnlint.decode import decode_str

    template, matches = decode_str(text)
    if matches or template is None:
        reason = matches[0].message if matches else "empty template"
        from gate.errors import GateError

        raise GateError(
            f"is not a readable CloudFormation template: {reason}",
            source=filename,
            fix="correct the YAML/JSON syntax",
        )
    return dict(template)
