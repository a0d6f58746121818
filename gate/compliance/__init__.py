"""Compliance views: checkov ids and our rule ids mapped to HIPAA, PCI DSS, CIS AWS Foundations and the
Well-Architected security pillar (data in ``mappings.yaml``), and the per-framework report built from a plan."""
