"""Terraform's JSON syntax reads as the same data as its HCL syntax; scanner logs stay out of the CI log."""

from __future__ import annotations

import logging

import pytest

from gate import logs
from gate.errors import GateError
from gate.terraform.parse import parse

HCL = """provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-${var.env}"
  tags = {
    team = "data"
  }
  versioning {
    enabled = true
  }
}

module "m" {
  source = "./mod"
}
"""

JSON = """{
  "provider": {"aws": {"region": "eu-west-1"}},
  "resource": {
    "aws_s3_bucket": {
      "b": {
        "bucket": "acme-${var.env}",
        "tags": {"team": "data"},
        "versioning": {"enabled": true}
      }
    }
  },
  "module": {"m": {"source": "./mod"}}
}
"""


def _without_lines(node: object) -> object:
    if isinstance(node, dict):
        return {k: _without_lines(v) for k, v in node.items() if not str(k).startswith("__")}
    if isinstance(node, list):
        return [_without_lines(v) for v in node]
    return node


def test_tf_json_reads_as_the_same_data_as_hcl() -> None:
    assert _without_lines(parse(JSON, "main.tf.json")) == _without_lines(parse(HCL, "main.tf"))


def test_tf_json_blocks_carry_the_line_they_start_on() -> None:
    parsed = parse(JSON, "main.tf.json")
    assert parsed["resource"][0]["aws_s3_bucket"]["b"]["__start_line__"] == 5
    assert parsed["module"][0]["m"]["__start_line__"] == 12


def test_several_provider_configurations_are_one_entry_each() -> None:
    parsed = parse(
        '{"provider": {"aws": [{"region": "us-east-1"}, {"alias": "eu", "region": "eu-west-1"}]}}', "p.tf.json"
    )
    assert [p["aws"]["region"] for p in parsed["provider"]] == [["us-east-1"], ["eu-west-1"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [("{", "is not valid Terraform JSON"), ("[1]", "the top level must be an object")],
)
def test_bad_tf_json_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(GateError, match=message) as caught:
        parse(text, "bad.tf.json")
    assert caught.value.source == "bad.tf.json"


def test_scanner_logs_are_captured_and_shown_only_under_debug(capsys: pytest.CaptureFixture[str]) -> None:
    logs.clear()
    logs.set_debug(False)
    with logs.quiet():
        logging.getLogger("checkov.terraform").warning("Failed to create a new template with enriched resources")
        logging.getLogger("checkov").debug("not even formatted")
    assert capsys.readouterr().err == ""
    assert logs.captured() == ["[checkov.terraform] WARNING: Failed to create a new template with enriched resources"]
    logs.set_debug(True)
    try:
        with logs.quiet():
            logging.getLogger("checkov").debug("parsing main.tf")
    finally:
        logs.set_debug(False)
    assert "[checkov] DEBUG: parsing main.tf" in capsys.readouterr().err
