"""The Terraform a scanner is given: the bundle's Terraform files in a folder of their own, laid out as in the
work folder (so ``../../modules`` sources resolve the same way), with every ``.tf.json`` written as the
equivalent ``.tf`` (:mod:`gate.terraform.hcl`) for scanners that read only ``.tf``. What a scanner reports
on a written file is mapped back to the bundle file and line it came from (:meth:`ScanView.origin`).

The view is separate from the work folder the other checks and the cost stage read, so no one else sees a file
twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gate.errors import GateError
from gate.iac import bundle_path, place
from gate.models import IaCBundle
from gate.terraform.hcl import Hcl, to_hcl

CONVERTED_SUFFIX = ".tf"  # main.tf.json is given to the scanner as main.tf.json.tf


@dataclass
class ScanView:
    workdir: Path  # where the bundle's relative paths start in the view (as CheckInput.workdir)
    converted: dict[str, tuple[str, Hcl]] = field(default_factory=dict)  # written -> (.tf.json path, lines)

    def path_of(self, bundle_file: str) -> Path:
        return place(self.workdir, bundle_file)

    def origin(self, written: str, line: int | None) -> tuple[str, int | None]:
        """The bundle file and line of what a scanner reports at ``written`` (a path in the view), ``line``."""
        path = bundle_path(self.workdir, written)
        known = self.converted.get(path)
        if known is None:
            return path, line
        original, hcl = known
        return original, hcl.original_line(line) if line is not None else None


def write_view(bundle: IaCBundle, workdir: Path, folder: Path) -> ScanView:
    """Write the bundle's Terraform under ``folder`` (an empty folder) with the layout it has under ``workdir``
    (``workdir`` ends in as many ``_up`` parts as the bundle's paths climb; the view gets the same)."""
    ups = 0
    at = workdir
    while at.name == "_up":
        ups += 1
        at = at.parent
    view = ScanView(workdir=folder.joinpath(*(["_up"] * ups)) if ups else folder)
    root = folder.resolve()
    paths = {f.path for f in bundle.files}
    for f in bundle.by_format("terraform"):
        name, content = f.path, f.content
        if f.path.endswith(".tf.json"):
            name = f.path + CONVERTED_SUFFIX
            if name in paths:
                raise GateError(
                    f"has the name the gate gives the HCL translation of {f.path} for checkov",
                    source=name,
                    fix="rename one of the two files",
                )
            hcl = to_hcl(f.content, f.path)
            view.converted[name] = (f.path, hcl)
            content = hcl.text
        target = view.path_of(name)
        if root not in target.resolve().parents:
            raise GateError("would be written outside its folder", source=f.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return view
