"""What one AWS service brings to the gate (:class:`Service`), and the typed parts it is made of.

Every stage engine (interpret, synth, cost, checks, remediate) loops over :data:`gate.services.CATALOG`; a
service's folder holds everything the engines need to know about it.  This module imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel

from gate.interpret.base import Notes, Recogniser
from gate.interpret.vocab import Lexicon
from gate.synth.base import Synthesiser

if TYPE_CHECKING:
    from gate.cost.rule_kit import Rule
    from gate.importer.base import Reader

# (every resource the request builds, as dicts; the notes) -> None: settles what one resource's settings mean for
# another once all are read (a queue consumed by a function gets a visibility timeout that fits the function's).
Wire = Callable[[list[dict[str, Any]], Notes], None]
# (resource body, template {logical id: type}) -> None: edits a CloudFormation resource in place.
Fixer = Callable[[dict[str, Any], dict[str, str]], None]
# A Terraform resource block (as hcl2 parses it) -> CloudFormation-shaped properties, or None to skip it.
TfMapper = Callable[[dict[str, Any]], "dict[str, Any] | None"]
# (Terraform part block, the properties of the resource it belongs to) -> None: folds the part in.
TfFolder = Callable[[dict[str, Any], dict[str, Any]], None]


@dataclass(frozen=True)
class PriceRule:
    """One priced kind: which resource types it prices, which of their attributes set the price, the rule."""

    kind: str
    rule: Rule
    cfn_types: tuple[str, ...] = ()
    tf_types: tuple[str, ...] = ()
    cfn_fields: Mapping[str, str] = field(default_factory=dict)
    tf_fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Pricing:
    """A service's price rules, and the resource types that cost nothing by themselves (``free``)."""

    rules: tuple[PriceRule, ...] = ()
    free: frozenset[str] = frozenset()
    free_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TfPart:
    """A Terraform resource split out of another (``aws_s3_bucket_versioning``): folded into its owner."""

    owner_type: str
    owner_of: Callable[[dict[str, Any]], str | None]  # the owner's Terraform name, when the part names it
    fold: TfFolder
    owner_noun: str = "owner"  # how a part whose owner is not in the file says what is missing


@dataclass(frozen=True)
class TfMapping:
    """Terraform resource type -> (CloudFormation type, mapper), plus the split-out parts."""

    types: Mapping[str, tuple[str, TfMapper]]
    parts: Mapping[str, TfPart] = field(default_factory=dict)


@dataclass(frozen=True)
class Service:
    """Everything the gate knows about one AWS service."""

    name: str
    models: tuple[type[BaseModel], ...]  # its members of the spec union (gate/spec.py)
    recognisers: tuple[Recogniser, ...]  # read requests into the models
    lexicon: Lexicon  # its words: nouns, attribute words (lexicon.py)
    synthesisers: tuple[Synthesiser, ...]  # each writes CloudFormation and Terraform
    pricing: Pricing
    terraform: TfMapping
    policies: tuple[str, ...]  # ids of its rules: ``folder/policies/<id>.yaml``, with good/bad fixtures beside them
    fixers: Mapping[str, Fixer] = field(default_factory=dict)
    importers: tuple[Reader, ...] = ()  # ``devops-gate import`` readers (``importer.py``); none: a known gap
    folder: Path = Path()
    moto_gap: str | None = None  # why its synth case cannot be created on moto (README's moto gap list)
    wiring: tuple[Wire, ...] = ()  # run after every resource of a request is read (interpret)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(s.kind for s in self.synthesisers)

    @property
    def fixtures(self) -> Path:
        return self.folder / "policies"

    @property
    def compliance(self) -> dict[str, tuple[str, ...]]:
        """Rule id -> the compliance controls it is evidence for (``PCI-DSS-3.5.1``; gate/compliance/mappings.yaml
        names the frameworks), as its rule file in the folder says."""
        out: dict[str, tuple[str, ...]] = {}
        for rule_id in self.policies:
            raw = yaml.safe_load((self.fixtures / f"{rule_id}.yaml").read_text(encoding="utf-8"))
            out[rule_id] = tuple(str(tag) for tag in (raw.get("compliance") or ()))
        return out
