"""`devops-gate diagram` on a Terraform plan (`terraform show -json`): a real plan of the hand-written fixture
made by terraform here (offline: the provider from the filesystem mirror, no AWS call for a plan of new
resources), then the same document with its actions changed to a replace, a delete, an update and a no-op."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gate.cli import main
from gate.report.diagram import mermaid, tfplan
from tests.conftest import FIXTURES
from tests.test_diagram import parse

MIRROR = Path("/opt/tf-plugins")
PROVIDER = """provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
"""


@pytest.fixture(scope="module")
def plan_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    terraform = shutil.which("terraform")
    if terraform is None or not MIRROR.is_dir():
        pytest.skip("terraform or its offline provider mirror (/opt/tf-plugins) is not on this machine")
    work = tmp_path_factory.mktemp("tfplan")
    shutil.copy(FIXTURES / "diagram" / "app.tf", work / "app.tf")
    (work / "provider.tf").write_text(PROVIDER)
    (work / "cli.tfrc").write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{MIRROR}"\n  }}\n}}\n'
    )
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(work / "cli.tfrc"), "TF_IN_AUTOMATION": "1"}
    for argv in (["init", "-input=false"], ["plan", "-input=false", "-refresh=false", "-out=plan.out"]):
        done = subprocess.run([terraform, *argv, "-no-color"], cwd=work, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    shown = subprocess.run(
        [terraform, "show", "-json", "plan.out"], cwd=work, env=env, capture_output=True, text=True, check=True
    )
    data: dict[str, Any] = json.loads(shown.stdout)
    return data


def test_a_real_terraform_plan(plan_json: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert tfplan.is_terraform_plan(plan_json)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_json))
    assert main(["diagram", str(path)]) == 0
    nodes, subgraphs, edges, status = parse(capsys.readouterr().out)
    addresses = {rc["address"] for rc in plan_json["resource_changes"]}
    assert {"r_" + a.replace(".", "_") for a in addresses} == nodes | subgraphs, "every resource is drawn"
    assert {"r_aws_vpc_network", "r_aws_subnet_app_a", "r_aws_subnet_app_b"} <= subgraphs
    assert ("r_aws_lambda_function_worker", "r_aws_iam_role_worker") in edges
    assert ("r_aws_lambda_event_source_mapping_worker", "r_aws_sqs_queue_jobs") in edges
    assert ("r_aws_iam_role_policy_worker", "r_aws_s3_bucket_reports") in edges
    assert set(status.values()) == {"add"}, "a plan of new resources: everything is added"


def test_replace_delete_update_and_no_op(plan_json: dict[str, Any]) -> None:
    data = copy.deepcopy(plan_json)
    actions = {
        "aws_s3_bucket.reports": ["delete", "create"],
        "aws_sqs_queue.jobs": ["create", "delete"],
        "aws_lambda_event_source_mapping.worker": ["delete"],
        "aws_lambda_function.worker": ["update"],
    }
    for rc in data["resource_changes"]:
        rc["change"]["actions"] = actions.get(rc["address"], ["no-op"])
    _, _, edges, status = parse(mermaid.render(tfplan.graph(data, "plan.json")))
    assert status["r_aws_s3_bucket_reports"] == "replace" and status["r_aws_sqs_queue_jobs"] == "replace"
    assert status["r_aws_lambda_event_source_mapping_worker"] == "remove"
    assert status["r_aws_lambda_function_worker"] == "modify"
    assert status["r_aws_iam_role_worker"] == "unchanged", "a neighbour of a change, greyed"
    assert "r_aws_vpc_network" not in status  # containers are styled, not classed
    assert ("r_aws_lambda_function_worker", "r_aws_iam_role_worker") in edges
