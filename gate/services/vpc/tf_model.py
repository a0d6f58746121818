"""VPCs in Terraform: no policy reads a VPC's own resources yet, so nothing is mapped (an explicit empty map;
the policy check counts them as not read)."""

from __future__ import annotations

from gate.services.kit import TfMapping

MAPPING = TfMapping(types={})
