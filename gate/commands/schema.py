"""``devops-gate schema``: print the JSON schema of gate-plan.json (committed as schema/gate-plan.schema.json)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from gate.models import GatePlan

HELP = "print the JSON schema of gate-plan.json"


def plan_schema() -> dict[str, Any]:
    schema = GatePlan.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://devops-gate.dev/schema/gate-plan.schema.json"
    return schema


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    del args
    print(json.dumps(plan_schema(), indent=2, sort_keys=True))
    return 0
