"""RDS defaults. Engine versions come from the data cfn-lint ships: a request's major becomes its newest minor
that RDS does not deprecate (so cfn-lint's W3691 stays quiet), stated as an assumption; the table is only a
fallback. Performance Insights is on (free 7-day tier) wherever the engine and class support it, alike in both
formats."""

from __future__ import annotations

from typing import Any

import cfnlint.api
import pytest
from hcl2.api import loads as hcl_loads

from gate.checks.terraform_model import attr
from gate.interpret.offline import interpret
from gate.services.rds import versions as rds_versions
from gate.spec import ChangeSpec, RdsInstance
from gate.synth import cloudformation, terraform

REGION = "us-east-1"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@pytest.mark.parametrize(
    ("text", "engine", "major"),
    [
        ("Create a postgres 15 database named ledger", "postgres", "15"),
        ("Create a PostgreSQL 16 database named ledger", "postgres", "16"),
        ("Create a MySQL 8.0 database named ledger", "mysql", "8.0"),
    ],
)
def test_a_major_becomes_its_newest_minor_that_cfn_lint_does_not_deprecate(text: str, engine: str, major: str) -> None:
    data = rds_versions.cfn_lint_versions()
    assert data is not None, "cfn-lint's RDS version data should be readable"
    allowed, deprecated = data
    spec = interpret(text, region=REGION)
    (db,) = spec.resources
    assert isinstance(db, RdsInstance) and db.engine == engine and db.engine_version is not None
    chosen = db.engine_version
    assert chosen.startswith(major + ".") and chosen in allowed[engine]
    assert chosen not in deprecated.get(engine, frozenset())
    # the newest: no creatable, non-deprecated plain version of that major is newer
    newer = [
        v
        for v in allowed[engine] - deprecated.get(engine, frozenset())
        if v.startswith(major + ".") and "-" not in v and _version_key(v) > _version_key(chosen)
    ]
    assert newer == []
    (said,) = [a for a in spec.assumptions if a.field == "engine_version"]
    assert said.value == chosen and "cfn-lint" in said.reason
    matches = cfnlint.api.lint(cloudformation.render(spec, REGION), config=cfnlint.api.ManualArgs(regions=[REGION]))
    assert [m.rule.id for m in matches if m.rule.id in ("W3691", "E3691")] == []


def test_postgres_15_is_no_longer_the_deprecated_15_8() -> None:
    (db,) = interpret("Create a postgres 15 database", region=REGION).resources
    assert isinstance(db, RdsInstance) and db.engine_version != "15.8"


def test_a_full_version_the_request_gives_is_kept_and_not_an_assumption() -> None:
    spec = interpret("Create a postgres 16.4 database named ledger", region=REGION)
    (db,) = spec.resources
    assert isinstance(db, RdsInstance) and db.engine_version == "16.4"
    assert not [a for a in spec.assumptions if a.field == "engine_version"]


def test_the_table_is_only_a_fallback_when_cfn_lint_data_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rds_versions, "cfn_lint_versions", lambda: None)
    assert rds_versions.pinned("postgres", "15") == (rds_versions.FALLBACK[("postgres", "15")], "table")
    assert rds_versions.pinned("postgres", "9") == ("9", "given")
    spec = interpret("Create a postgres 15 database named ledger", region=REGION)
    (said,) = [a for a in spec.assumptions if a.field == "engine_version"]
    assert said.value == rds_versions.FALLBACK[("postgres", "15")] and "unreadable" in said.reason


def test_a_spec_without_a_version_deploys_a_current_one() -> None:
    spec = ChangeSpec.model_validate(
        {"summary": "a database", "resources": [{"kind": "rds_instance", "name": "plain", "engine": "mysql"}]}
    )
    template = cloudformation.template_for(spec, REGION)
    version = template["Resources"]["PlainDatabase"]["Properties"]["EngineVersion"]
    assert version == rds_versions.newest("mysql", "8.4")
    matches = cfnlint.api.lint(cloudformation.render(spec, REGION), config=cfnlint.api.ManualArgs(regions=[REGION]))
    assert [m.rule.id for m in matches if m.rule.id in ("W3691", "E3691")] == []


def _both(db: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str]:
    spec = ChangeSpec.model_validate({"summary": "test", "resources": [{"kind": "rds_instance", "name": "db", **db}]})
    cfn = cloudformation.template_for(spec, REGION)["Resources"]["DbDatabase"]["Properties"]
    text = terraform.render(spec, REGION)
    (tf,) = [
        b["db"]
        for group in hcl_loads(text)["resource"]
        for t, b in group.items()
        if "db" in b and t == "aws_db_instance"
    ]
    return cfn, tf, text


@pytest.mark.parametrize(
    ("db", "on"),
    [
        ({"engine": "postgres", "instance_class": "db.t4g.micro"}, True),
        ({"engine": "mysql", "instance_class": "db.t3.medium"}, True),
        ({"engine": "mysql", "instance_class": "db.t3.small"}, False),  # not offered there (MySQL, MariaDB)
        ({"engine": "mariadb", "instance_class": "db.t4g.micro"}, False),
    ],
)
def test_performance_insights_is_on_where_rds_offers_it_in_both_formats(db: dict[str, Any], on: bool) -> None:
    cfn, tf, text = _both(db)
    assert cfn.get("EnablePerformanceInsights", False) is on
    assert (attr(tf, "performance_insights_enabled") or False) is on
    if on:
        assert cfn["PerformanceInsightsRetentionPeriod"] == attr(tf, "performance_insights_retention_period") == 7
        assert "checkov:skip=CKV_AWS_354" in text  # the AWS managed key, said why
    else:
        assert "PerformanceInsightsRetentionPeriod" not in cfn and "CKV_AWS_354" not in text


def test_a_database_key_encrypts_performance_insights_too_and_nothing_is_waived_for_it() -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    cfn, tf, text = _both({"kms_key_arn": key, "read_replicas": 1})
    assert cfn["PerformanceInsightsKMSKeyId"] == key == attr(tf, "performance_insights_kms_key_id")
    assert "CKV_AWS_354" not in text


def test_postgres_query_logging_is_waived_only_without_a_parameter_group() -> None:
    assert "checkov:skip=CKV2_AWS_30" in _both({"engine": "postgres"})[2]
    assert "CKV2_AWS_30" not in _both({"engine": "postgres", "parameters": {"log_statement": "ddl"}})[2]
    assert "CKV2_AWS_30" not in _both({"engine": "mysql"})[2]


def test_a_plain_mysql_request_on_a_small_class_keeps_its_standby() -> None:
    # the 'small' of db.t3.small is a class name, not a request for a cheap single-AZ database
    (db,) = interpret("Create a MySQL database on db.t3.small with 50 GB of storage", region=REGION).resources
    assert isinstance(db, RdsInstance) and db.multi_az is True and db.instance_class == "db.t3.small"
