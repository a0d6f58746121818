"""The small extractors, one behaviour per case (they return None rather than guess)."""

from __future__ import annotations

import pytest

from gate.interpret import extract, words


@pytest.mark.parametrize(
    ("text", "gb"),
    [("512 MB of memory", 0.5), ("100 GB volume", 100.0), ("2 TB", 2048.0), ("80gb storage", 80.0), ("no size", None)],
)
def test_sizes(text: str, gb: float | None) -> None:
    found = extract.sizes_gb(text)
    assert (found[0] if found else None) == gb


@pytest.mark.parametrize(
    ("text", "words_", "seconds"),
    [
        ("a 30 second timeout", "timeout", 30),
        ("timeout of 2 minutes", "timeout", 120),
        ("retention of 14 days", "retention", 14 * 86400),
        ("keep messages for two weeks", "keep\\s+messages", 14 * 86400),
        ("backups and nothing else", "backups?", None),  # 'and' is not 'an' + 'd'
        ("a 10s timeout", "timeout", 10),
    ],
)
def test_durations_near_words(text: str, words_: str, seconds: int | None) -> None:
    assert extract.duration_near(text, words_) == seconds


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("tagged team=finance and env=prod", {"team": "finance", "env": "prod"}),
        ("with tags owner:platform, cost-center:42", {"owner": "platform", "cost-center": "42"}),
        ("tag it with project=x", {"project": "x"}),
        ("no tags here", {}),
    ],
)
def test_tags(text: str, tags: dict[str, str]) -> None:
    assert extract.tags(text) == tags


@pytest.mark.parametrize(
    ("text", "region"),
    [("in eu-west-1", "eu-west-1"), ("deploy to Frankfurt", "eu-central-1"), ("in the US-EAST-2 region", "us-east-2"),
     ("nowhere", None)],
)  # fmt: skip
def test_regions(text: str, region: str | None) -> None:
    assert extract.region(text) == region


@pytest.mark.parametrize(
    ("text", "count"),
    [("two web servers", 2), ("3 c6g.large instances", 3), ("a dozen hosts", 12), ("an instance", None)],
)
def test_counts(text: str, count: int | None) -> None:
    assert extract.count_of(text) == count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Postgres 16", ("postgres", "16")),
        ("a MySQL 8.0 db", ("mysql", "8.0")),
        ("postgresql", ("postgres", None)),
        ("mariadb 10.11", ("mariadb", "10.11")),
        ("a queue", None),
    ],
)
def test_engines(text: str, expected: tuple[str, str | None] | None) -> None:
    assert words.engine(text) == expected


@pytest.mark.parametrize(
    ("text", "runtime"),
    [("python3.12", "python3.12"), ("python 3.11", "python3.11"), ("node 20", "nodejs20.x"),
     ("Node.js 18", "nodejs18.x"), ("java 21", "java21"), ("go", "provided.al2023"), ("nothing", None)],
)  # fmt: skip
def test_runtimes(text: str, runtime: str | None) -> None:
    found = words.runtime(text)
    assert (found[0] if found else None) == runtime


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("every 5 minutes", "rate(5 minutes)"),
        ("every minute", "rate(1 minute)"),
        ("hourly", "rate(1 hour)"),
        ("daily at 2am", "cron(0 2 * * ? *)"),
        ("every day at 14:30", "cron(30 14 * * ? *)"),
        ("every weekday at 9am", "cron(0 9 ? * MON-FRI *)"),
        ("nightly", "cron(0 2 * * ? *)"),
        ("whenever", None),
    ],
)
def test_schedules(text: str, expression: str | None) -> None:
    found = words.schedule(text)
    assert (found.expression if found else None) == expression


@pytest.mark.parametrize(
    ("text", "operator", "value", "percent", "seconds"),
    [
        ("above 80 percent for 10 minutes", "GreaterThanThreshold", 80, True, 600),
        ("is over 90% for 15 minutes", "GreaterThanThreshold", 90, True, 900),
        ("drops below 10 for 5 minutes", "LessThanThreshold", 10, False, 300),
        ("at least 3", "GreaterThanOrEqualToThreshold", 3, False, None),
    ],
)
def test_thresholds(text: str, operator: str, value: float, percent: bool, seconds: int | None) -> None:
    found = words.threshold(text)
    assert found is not None
    assert (found.operator, found.value, found.percent, found.seconds) == (operator, value, percent, seconds)


def test_classes_and_cidrs() -> None:
    assert words.instance_type("three m5.2xlarge servers") == "m5.2xlarge"
    assert words.instance_type("on db.t3.small") is None
    assert words.db_class("on db.t3.small") == "db.t3.small"
    assert extract.cidrs("VPC 10.50.0.0/16 and 192.168.1.0/24") == ["10.50.0.0/16", "192.168.1.0/24"]
    assert extract.az_count("across three availability zones") == 3
