"""ElastiCache end to end, the service added through the catalogue: a request read (the LLM interpreter, and the
service's lexicon), both formats, a price from the bundled (dated) table, our policies over both formats, the
Terraform mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hcl2.api import loads as hcl_loads

from gate.checks.base import CheckInput
from gate.checks.policies import PolicyCheck
from gate.checks.terraform_model import attr
from gate.checks.terraform_model import resources as tf_resources
from gate.config import GateConfig, LlmSettings
from gate.cost.estimator import price_cloudformation, price_terraform
from gate.cost.prices import load_table
from gate.cost.usage import Usage
from gate.errors import GateError
from gate.interpret.base import Ctx, Notes, Resource
from gate.interpret.llm import LitellmCompleter, interpret_llm
from gate.interpret.mentions import Mention, Segment
from gate.interpret.offline import interpret
from gate.interpret.services import RECOGNISERS
from gate.models import IaCBundle
from gate.pipeline import synthesise
from gate.spec import ChangeSpec, ElasticacheCluster
from gate.synth import cloudformation, terraform

REGION = "us-east-1"
MODEL = "openai/gpt-4o-mini"
REQUEST = "Create a Valkey cache named sessions on cache.t4g.small with 2 replicas, snapshots kept 5 days"
ANSWER = {  # what a model answers for REQUEST, as litellm's own mock_response (no network)
    "summary": "A Valkey cache for sessions",
    "resources": [
        {"kind": "elasticache_cluster", "name": "sessions", "node_type": "cache.t4g.small", "replicas": 2,
         "snapshot_retention_days": 5}
    ],
}  # fmt: skip


def _span(field: str, text: str) -> dict[str, object]:
    """Where in REQUEST the model says a field came from (the LLM path refuses what no span asks for)."""
    start = REQUEST.index(text)
    return {"resource": "sessions", "field": field, "start": start, "end": start + len(text), "text": text}


ANSWER["spans"] = [
    _span("resource", "Valkey cache"),
    _span("name", "sessions"),
    _span("node_type", "cache.t4g.small"),
    _span("replicas", "2 replicas"),
    _span("snapshot_retention_days", "snapshots kept 5 days"),
]


def _read(text: str) -> Resource:
    """The service's lexicon (its recogniser) reading one segment, as the offline interpreter calls it."""
    mention = Mention("elasticache_cluster", 0, len(text), text, reference=False)
    segment = Segment("elasticache_cluster", mention, text, 0, len(text))
    ctx = Ctx(text, segment, Notes(), {"elasticache_cluster": ["sessions"]}, {"sessions"})
    return RECOGNISERS["elasticache_cluster"].build(ctx, "sessions")


def _spec() -> ChangeSpec:
    completer = LitellmCompleter(LlmSettings(model=MODEL), {"mock_response": json.dumps(ANSWER)})
    return interpret_llm(REQUEST, completer)


def test_the_request_is_read_into_a_replication_group() -> None:
    (cache,) = _spec().resources
    assert isinstance(cache, ElasticacheCluster)
    assert (cache.name, cache.engine, cache.node_type, cache.replicas) == ("sessions", "valkey", "cache.t4g.small", 2)
    assert cache.snapshot_retention_days == 5
    # the service's lexicon reads the same settings from the words
    read = _read(REQUEST)
    assert {k: read[k] for k in ("node_type", "replicas", "snapshot_retention_days")} == {
        "node_type": "cache.t4g.small", "replicas": 2, "snapshot_retention_days": 5,
    }  # fmt: skip
    assert "engine" not in read  # valkey, the default


def test_the_lexicon_reads_redis_a_version_and_no_replicas() -> None:
    read = _read("a Redis OSS 7.1 cluster with no replicas and no snapshots")
    assert (read["engine"], read["engine_version"], read["replicas"], read["snapshot_retention_days"]) == (
        "redis", "7.1", 0, 0,
    )  # fmt: skip


def test_the_offline_interpreter_builds_redis_and_refuses_memcached_by_name() -> None:
    spec = interpret("Create a Redis cluster for caching")
    (cache,) = [r for r in spec.resources if r.kind == "elasticache_cluster"]
    assert cache.engine == "redis"
    with pytest.raises(GateError, match="ElastiCache for Memcached"):
        interpret("Create a Memcached cluster for caching")


def test_both_formats_are_encrypted_multi_az_and_snapshotted() -> None:
    spec = _spec()
    template = cloudformation.template_for(spec, REGION)
    group = template["Resources"]["SessionsCache"]
    assert group["Type"] == "AWS::ElastiCache::ReplicationGroup" and group["DeletionPolicy"] == "Snapshot"
    props = group["Properties"]
    assert (props["Engine"], props["NumCacheClusters"], props["SnapshotRetentionLimit"]) == ("valkey", 3, 5)
    assert props["AtRestEncryptionEnabled"] and props["TransitEncryptionEnabled"] and props["MultiAZEnabled"]
    parsed = hcl_loads(terraform.render(spec, REGION))
    (block,) = [b["aws_elasticache_replication_group"]["sessions"] for b in parsed["resource"]]
    assert attr(block, "num_cache_clusters") == 3 and attr(block, "transit_encryption_enabled") is True
    assert attr(block, "final_snapshot_identifier") == "sessions-final"


def test_the_price_is_every_node_at_the_dated_valkey_rate() -> None:
    table = load_table(REGION)
    rate = table.number("elasticache", "node_hourly", "valkey", "cache.t4g.small")
    assert rate is not None and table.as_of
    spec = _spec()
    for side in (
        price_cloudformation(cloudformation.template_for(spec, REGION), table, Usage()),
        price_terraform(hcl_loads(terraform.render(spec, REGION)), table, Usage()),
    ):
        (priced,) = [p for p in side.values() if p.resource.kind == "elasticache"]
        assert priced.estimate.monthly == round(3 * 730 * rate, 2)


def test_an_engine_or_node_type_without_a_price_is_not_estimated() -> None:
    table = load_table("eu-west-1")  # the EU tables carry no ElastiCache rates yet
    spec = _spec()
    side = price_cloudformation(cloudformation.template_for(spec, "eu-west-1"), table, Usage())
    (priced,) = [p for p in side.values() if p.resource.kind == "elasticache"]
    assert priced.estimate.not_estimated and "cache.t4g.small" in priced.estimate.not_estimated


@pytest.mark.parametrize(
    ("at_rest", "snapshots", "failed"),
    [(True, 5, set()), (False, 5, {"GATE-CACHE-001"}), (True, 0, {"GATE-CACHE-002"})],
)
def test_our_policies_read_both_formats(tmp_path: Path, at_rest: bool, snapshots: int, failed: set[str]) -> None:
    bundle = synthesise(_spec(), REGION)
    files = []
    for file in bundle.files:
        text = file.content
        if file.format == "cloudformation":
            text = text.replace("AtRestEncryptionEnabled: true", f"AtRestEncryptionEnabled: {str(at_rest).lower()}")
            text = text.replace("SnapshotRetentionLimit: 5", f"SnapshotRetentionLimit: {snapshots}")
        else:
            text = text.replace(
                "at_rest_encryption_enabled = true", f"at_rest_encryption_enabled = {str(at_rest).lower()}"
            )
            text = text.replace("snapshot_retention_limit   = 5", f"snapshot_retention_limit   = {snapshots}")
        assert text != file.content or (at_rest, snapshots) == (True, 5)
        files.append(file.model_copy(update={"content": text}))
    given = IaCBundle(origin=bundle.origin, files=tuple(files))
    report = PolicyCheck().run(CheckInput(bundle=given, config=GateConfig(), workdir=tmp_path, region=REGION))
    found = {(x.file, x.check_id) for x in report.findings if x.check_id.startswith("GATE-CACHE")}
    assert found == {(f.path, rule) for f in files for rule in failed}


def test_the_terraform_mapping_gives_the_policies_the_cloudformation_shape() -> None:
    (mapped,) = [r for r in tf_resources(terraform.render(_spec(), REGION), "main.tf")[0]]
    assert mapped.body["Type"] == "AWS::ElastiCache::ReplicationGroup"
    assert mapped.body["Properties"]["TransitEncryptionEnabled"] is True
    assert mapped.body["Properties"]["SnapshotRetentionLimit"] == 5
