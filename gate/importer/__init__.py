"""``devops-gate import``: read existing resources of an account into the typed spec, CloudFormation (for an IMPORT
change set) and Terraform (``import`` blocks), and report what belongs to no stack or state.

The readers live in the service catalogue, one ``gate/services/<svc>/importer.py`` per service (each a
:class:`gate.importer.base.Reader`, named in its ``Service.importers``); ``registry.READERS`` is built from
:data:`gate.services.CATALOG` in an explicit order. This package holds what no service owns: the reader contract
(``base``), building the files (``build``), adoption (``adopt``) and the coverage report (``coverage``).
"""
