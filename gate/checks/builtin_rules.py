"""The rules the gate ships: each service's in its folder (``gate/services/<name>/policies/<RULE-ID>.yaml``, the
ids its :class:`~gate.services.kit.Service` lists), plus the cross-service ones in ``policies/``.

Found through :data:`gate.services.CATALOG`, so a wheel carries them where the catalogue is (package data), and a
service's rules, compliance tags and good/bad fixtures sit in one folder.  ``GATE_POLICIES_DIR`` (a folder that
replaces the shipped policies, :func:`gate.paths.builtin_policy_dir`) replaces the service rules too.
"""

from __future__ import annotations

import os
from pathlib import Path

from gate.checks.policy_rules import PolicyRule, load_rule_files
from gate.errors import GateError
from gate.paths import builtin_policy_dir
from gate.services import CATALOG


def builtin_rule_files() -> list[Path]:
    """Every shipped rule file, by file name (the order one shared folder gave them)."""
    folder = builtin_policy_dir()
    files = list(folder.glob("*.y*ml"))
    if not os.environ.get("GATE_POLICIES_DIR"):
        for service in CATALOG.values():
            for rule_id in service.policies:
                path = service.fixtures / f"{rule_id}.yaml"
                if not path.is_file():
                    raise GateError(
                        f"the {service.name} service lists the rule {rule_id} but has no {path.name}",
                        source=str(service.fixtures),
                        fix="reinstall devops-gate, or add the rule file beside the service's fixtures",
                    )
                files.append(path)
    return sorted(files, key=lambda p: p.name)


def builtin_rules() -> list[PolicyRule]:
    """The shipped rules (service and cross-service), each once."""
    return load_rule_files(builtin_rule_files(), "the gate's built-in policies")
