"""The comment's 'Set beyond the secure defaults' column: generic over every resource kind."""

from __future__ import annotations

from gate.report.spec_text import describe
from gate.spec import S3Bucket


def test_only_what_differs_from_the_secure_defaults_is_described() -> None:
    bucket = S3Bucket.model_validate(
        {
            "name": "invoices",
            "versioning": False,
            "tags": {"team": "finance"},
            "lifecycle_rules": [
                {"id": "archive", "expiration_days": 2555, "transitions": [{"days": 90, "storage_class": "GLACIER"}]}
            ],
        }
    )
    text = describe(bucket)
    assert text.startswith("tags: (team=finance); versioning: no; lifecycle rules: (id=archive, ")
    assert "expiration days=2555" in text
    assert "transitions: (days=90" in text
    assert "encryption" not in text  # left at its secure default
    assert "invoices" not in text.split(";")[0]  # the name is its own column


def test_a_resource_with_nothing_set_says_so() -> None:
    assert describe(S3Bucket(name="plain")) == "secure defaults only"
