"""``devops-gate import``: read existing resources of an account into the typed spec, CloudFormation (for an IMPORT
change set) and Terraform (``import`` blocks), and report what belongs to no stack or state.

One module per service (``s3``, ``sqs``, ...), each exporting ``READER`` (a :class:`gate.importer.base.Reader`);
``registry.READERS`` is the explicit dict the command loops over. A reader only uses :mod:`gate.importer.base`,
:mod:`gate.spec` and :mod:`gate.synth.hcl`, so it can move into ``gate/services/<svc>/`` as it is.
"""
