"""The HCL writer: values rendered correctly (escapes, interpolation kept literal) and laid out the way
``terraform fmt`` leaves it."""

from __future__ import annotations

from hcl2.api import loads

from gate.synth.hcl import Block, Comment, JsonEncode, Raw, render


def test_layout_aligns_runs_of_one_line_attributes_and_breaks_them_at_multi_line_values() -> None:
    block = Block("resource", ("aws_sqs_queue", "jobs")).attrs(name="jobs", visibility_timeout_seconds=30)
    block.attr("tags", {"team": "search", "gate:name": "jobs"})
    block.attr("delay_seconds", 0)
    block.block("lifecycle").attr("prevent_destroy", True)
    expected = (
        'resource "aws_sqs_queue" "jobs" {\n'
        '  name                       = "jobs"\n'
        "  visibility_timeout_seconds = 30\n"
        "  tags = {\n"
        '    team        = "search"\n'
        '    "gate:name" = "jobs"\n'
        "  }\n"
        "  delay_seconds = 0\n"
        "  lifecycle {\n"
        "    prevent_destroy = true\n"
        "  }\n"
        "}\n"
    )
    assert render([block]) == expected


def test_user_text_never_becomes_an_interpolation_and_round_trips() -> None:
    text = 'echo "${HOME}" %{if x} \\ done\nnext line'
    block = Block("resource", ("aws_instance", "x")).attrs(user_data=text, ami=Raw("data.aws_ssm_parameter.ami.value"))
    out = render([block])
    assert '"echo \\"$${HOME}\\" %%{if x} \\\\ done\\nnext line"' in out
    assert "ami       = data.aws_ssm_parameter.ami.value" in out
    parsed = loads(out)["resource"][0]["aws_instance"]["x"]
    assert parsed["ami"] in ("${data.aws_ssm_parameter.ami.value}", ["${data.aws_ssm_parameter.ami.value}"])
    assert "$${HOME}" in str(parsed["user_data"])


def test_policies_are_jsonencode_objects_and_skip_comments_come_first() -> None:
    block = Block("resource", ("aws_iam_policy", "p"))
    block.body.append(Comment("checkov:skip=CKV_AWS_18:reason here"))
    block.attr(
        "policy",
        JsonEncode(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": Raw("aws_s3_bucket.b.arn")}],
            }
        ),
    )
    out = render([block])
    assert out.splitlines()[1] == "  #checkov:skip=CKV_AWS_18:reason here"
    assert "  policy = jsonencode({\n" in out and "  })\n" in out
    statement = loads(out)["resource"][0]["aws_iam_policy"]["p"]["policy"]
    assert "s3:GetObject" in str(statement)
