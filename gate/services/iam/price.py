"""IAM costs nothing: every ``AWS::IAM::`` and ``aws_iam_`` resource is free."""

from __future__ import annotations

from gate.services.kit import Pricing

PRICING = Pricing(free_prefixes=("AWS::IAM::", "aws_iam_"))
