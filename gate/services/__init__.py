"""The service catalogue: one folder per AWS service, and :data:`CATALOG`, the explicit list of them.

Each ``gate/services/<name>/`` holds what the gate knows about one service: its recognisers (``interpret.py``) and
words (``lexicon.py``: nouns, attribute words), CloudFormation and Terraform synthesis (``synth.py``), price rule
(``price.py``), Terraform-to-CloudFormation mapping for the policies (``tf_model.py``), fixers (``fixers.py``), import
reader (``importer.py``), and its policy rules with their good/bad fixtures (``policies/``).  Its ``__init__.py``
names them in one :class:`~gate.services.kit.Service`.  The stage engines (interpret, synth, cost, checks,
remediate, import) loop over :data:`CATALOG` and hold no per-service code; docs/adding-a-service.md says how to add
one.

Importing this package imports no checkov, cfn-lint, moto or litellm (tests/test_service_catalog.py).
"""

from __future__ import annotations

from gate.services import cloudwatch, dynamodb, ec2, elasticache, iam, lambda_, rds, s3, sns, sqs, vpc
from gate.services.kit import Service

CATALOG: dict[str, Service] = {
    service.name: service
    for service in (
        s3.SERVICE,
        ec2.SERVICE,
        vpc.SERVICE,
        rds.SERVICE,
        lambda_.SERVICE,
        iam.SERVICE,
        cloudwatch.SERVICE,
        sqs.SERVICE,
        sns.SERVICE,
        dynamodb.SERVICE,
        elasticache.SERVICE,
    )
}
