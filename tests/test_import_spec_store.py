"""The spec stored in a template reads back equal, also when a null means 'none' where the field's default is
something (an imported queue without a dead-letter queue, a lifecycle rule without a multipart abort)."""

from __future__ import annotations

from gate.spec import ChangeSpec, LifecycleRule, S3Bucket, SqsQueue
from gate.synth import cfn_yaml, delta


def _roundtrip(spec: ChangeSpec) -> tuple[object, ChangeSpec | None]:
    template = delta.with_stored_spec({"Resources": {}}, spec)
    text = cfn_yaml.dump(template)  # as deployed: through the template text
    stored = template["Metadata"][delta.META_KEY]["spec"]
    return stored, delta.stored_spec(cfn_yaml.load(text, "template.yaml"))


def test_nulls_that_mean_none_survive_as_json_text() -> None:
    spec = ChangeSpec(
        summary="imported",
        resources=[
            SqsQueue(name="jobs", dead_letter=None),
            S3Bucket(name="data", lifecycle_rules=[LifecycleRule(id="a", abort_incomplete_multipart_days=None)]),
        ],
    )
    stored, back = _roundtrip(spec)
    assert isinstance(stored, str)
    assert back is not None and back.resources == spec.resources


def test_a_spec_that_reads_back_from_the_plain_form_stays_a_mapping() -> None:
    spec = ChangeSpec(summary="a queue", resources=[SqsQueue(name="jobs")])
    stored, back = _roundtrip(spec)
    assert isinstance(stored, dict) and "null" not in cfn_yaml.dump(stored)
    assert back is not None and back.resources == spec.resources
