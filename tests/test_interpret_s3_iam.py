"""S3 and IAM settings read from a request and built in both formats (issue 13): each value binds to its attribute
whatever the verb and order; named actions are granted exactly as named; requests that ask for no infrastructure
change build nothing and say why."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from gate.errors import GateError
from gate.interpret import access, named_actions, no_change
from gate.interpret.offline import interpret
from gate.services.iam import managed, trust
from gate.spec import ChangeSpec, IamRole, ObjectLock, S3Bucket
from gate.synth import cloudformation, terraform


def _one(text: str, kind: str) -> dict[str, Any]:
    spec = interpret(text)
    found = [r.model_dump() for r in spec.resources if r.kind == kind]
    assert len(found) == 1, [r.kind for r in spec.resources]
    return found[0]


def _cfn(text: str, rtype: str) -> dict[str, Any]:
    resources = cloudformation.template_for(interpret(text), "us-east-1")["Resources"].values()
    found = [r["Properties"] for r in resources if r["Type"] == rtype]
    assert found, rtype
    return found[0]


# --- named actions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "actions"),
    [
        ("a role for lambda that can sqs:ReceiveMessage on the queue jobs", ["sqs:ReceiveMessage"]),
        ("a role for Lambda allowed only sqs:DeleteMessage on arn:aws:sqs:us-east-1:123456789012:q",
         ["sqs:DeleteMessage"]),
        ("a role for ec2 with read access to the bucket reports (s3:GetObject only)", ["s3:GetObject"]),
        ("a role for Lambda allowed kms:Decrypt and kms:GenerateDataKey on "
         "arn:aws:kms:eu-west-1:123456789012:key/3f2a9c4e-1b7d-4e8a-9c0f-5d6e7f8a9b0c",
         ["kms:Decrypt", "kms:GenerateDataKey"]),
    ],
)  # fmt: skip
def test_named_actions_are_granted_exactly(text: str, actions: list[str]) -> None:
    role = _one(text, "iam_role")
    assert [s["actions"] for s in role["statements"]] == [actions]


def test_vague_words_still_widen_to_a_read_set() -> None:
    role = _one("a role for lambda that can read the queue jobs", "iam_role")
    assert set(role["statements"][0]["actions"]) == set(access.ACTIONS["sqs"]["read"])


def test_named_actions_are_blanked_for_the_verb_reader() -> None:
    text = "allow sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on it"
    assert "Receive" not in named_actions.blank(text) and len(named_actions.blank(text)) == len(text)
    run = named_actions.runs(text)[0]
    assert run.actions == ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"] and run.pronoun


def test_a_named_action_without_a_target_is_reported_not_dropped() -> None:
    spec = interpret("a role for lambda allowed sqs:SendMessage")
    assert any(a.field == "not-applied" and "sqs:SendMessage" in a.value for a in spec.assumptions)


# --- managed policies, trust, path, boundary, instance profile ---------------------------------------------


def test_managed_policies_by_name_get_their_path_and_a_literal_arn() -> None:
    found = managed.named("attach AWSLambdaBasicExecutionRole and the ViewOnlyAccess policy, plus SecurityAudit")
    assert [n.path_name for n in found] == [
        "service-role/AWSLambdaBasicExecutionRole", "job-function/ViewOnlyAccess", "SecurityAudit"]  # fmt: skip
    assert trust.managed_arn("SecurityAudit", "cn-north-1") == "arn:aws-cn:iam::aws:policy/SecurityAudit"
    props = _cfn("Role for Lambda named w-role; attach AWSLambdaBasicExecutionRole.", "AWS::IAM::Role")
    assert props["ManagedPolicyArns"] == ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]


@pytest.mark.parametrize("name", ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"])
def test_dangerous_managed_policies_are_named_and_refused(name: str) -> None:
    with pytest.raises(GateError, match=name):
        managed.named(f"attach {name}")
    with pytest.raises(ValidationError, match="dangerous"):
        IamRole(name="r", assumed_by=["lambda.amazonaws.com"], aws_managed_policies=[name])


def test_an_unknown_managed_policy_is_attached_as_written_and_said() -> None:
    spec = interpret("Role for Lambda named x-role; attach the AcmeCustomThing managed policy")
    role = spec.resources[0]
    assert isinstance(role, IamRole) and role.aws_managed_policies == ["AcmeCustomThing"]
    assert any(a.field == "aws_managed_policies" and "check the name" in a.reason for a in spec.assumptions)


def test_cross_account_trust_with_external_id_in_any_order() -> None:
    for text in (
        "Role `vendor-ro` assumable by account 444455556666 only with external id `zx-1`",
        "Role vendor-ro with external id zx-1, trusted by account 444455556666",
    ):
        props = _cfn(text, "AWS::IAM::Role")
        statement = props["AssumeRolePolicyDocument"]["Statement"][0]
        assert statement["Principal"] == {"AWS": "arn:aws:iam::444455556666:root"}
        assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": "zx-1"}}


def test_github_oidc_trust_needs_a_repo_and_binds_branch() -> None:
    text = ("Role gha-deploy for GitHub Actions from repo acme/shop (release branch only), federated through "
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com")  # fmt: skip
    statement = _cfn(text, "AWS::IAM::Role")["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"]["StringLike"] == {
        "token.actions.githubusercontent.com:sub": "repo:acme/shop:ref:refs/heads/release"
    }
    with pytest.raises(GateError, match="names no repository"):
        interpret("Role gha-deploy for GitHub Actions deploys")


def test_github_provider_by_host_uses_the_stacks_account_in_both_formats() -> None:
    spec = interpret("Role gha-deploy for GitHub Actions from repo acme/shop, environment prod")
    role = spec.resources[0]
    assert isinstance(role, IamRole) and role.federated is not None
    doc = cloudformation.template_for(spec, "us-east-1")["Resources"]["GhaDeployRole"]["Properties"]
    assert "${AWS::AccountId}" in json.dumps(doc["AssumeRolePolicyDocument"])
    hcl = terraform.render(spec, "us-east-1")
    assert 'data "aws_caller_identity" "current"' in hcl and "repo:acme/shop:environment:prod" in hcl


def test_path_boundary_and_instance_profile_in_both_formats() -> None:
    text = ("Role edge-role for EC2 under path /edge/ with permissions boundary "
            "arn:aws:iam::123456789012:policy/edge-cap that can read the existing bucket edge-in")  # fmt: skip
    spec = interpret(text)
    resources = cloudformation.template_for(spec, "us-east-1")["Resources"]
    role = resources["EdgeRoleRole"]["Properties"]
    assert role["Path"] == "/edge/" and role["PermissionsBoundary"].endswith(":policy/edge-cap")
    assert resources["EdgeRoleInstanceProfile"]["Properties"]["Roles"] == [{"Ref": "EdgeRoleRole"}]
    hcl = terraform.render(spec, "us-east-1")
    assert 'resource "aws_iam_instance_profile" "edge_role"' in hcl and 'path                 = "/edge/"' in hcl
    assert not any(a.field == "not-applied" for a in spec.assumptions)


def test_a_role_needs_a_trust_and_a_boundary_is_a_policy() -> None:
    with pytest.raises(ValidationError, match="someone to assume it"):
        IamRole(name="r")
    with pytest.raises(ValidationError, match="managed policy ARN"):
        IamRole(name="r", assumed_by=["lambda.amazonaws.com"], permissions_boundary="arn:aws:iam::123456789012:role/x")


# --- S3 -----------------------------------------------------------------------------------------------------


def test_object_lock_mode_and_retention_whatever_the_order() -> None:
    for text in (
        "a new bucket acme-inv with object lock in compliance mode (7 year default retention)",
        "bucket acme-inv: default retention 7 years, object lock, COMPLIANCE mode",
    ):
        props = _cfn(text, "AWS::S3::Bucket")
        assert props["ObjectLockEnabled"] is True
        assert props["ObjectLockConfiguration"]["Rule"]["DefaultRetention"] == {"Mode": "COMPLIANCE", "Years": 7}
        assert "LifecycleConfiguration" not in props  # a lock's retention never deletes objects
    with pytest.raises(ValidationError, match="needs versioning"):
        S3Bucket(name="b", versioning=False, object_lock=ObjectLock(years=1))
    hcl = terraform.render(
        interpret("bucket acme-inv with object lock, governance mode, retention 30 days"), "us-east-1"
    )
    assert "object_lock_enabled = true" in hcl and 'mode = "GOVERNANCE"' in hcl.replace("  ", " ")


def test_cors_rule_and_terraform() -> None:
    text = "bucket av-stg for uploads; CORS should allow PUT and GET from https://app.example.io, max age 5 minutes"
    rule = _cfn(text, "AWS::S3::Bucket")["CorsConfiguration"]["CorsRules"][0]
    assert rule == {"AllowedOrigins": ["https://app.example.io"], "AllowedMethods": ["PUT", "GET"], "MaxAge": 300}
    assert 'resource "aws_s3_bucket_cors_configuration"' in terraform.render(interpret(text), "us-east-1")
    spec = interpret("bucket av-stg with CORS")
    assert any(a.field == "not-applied" and "CORS" in a.value for a in spec.assumptions)


def test_eventbridge_with_and_without_lambda_triggers() -> None:
    props = _cfn("We need a new `scan-in` bucket with EventBridge notifications switched on", "AWS::S3::Bucket")
    assert props["NotificationConfiguration"] == {"EventBridgeConfiguration": {"EventBridgeEnabled": True}}
    hcl = terraform.render(interpret("bucket scan-in with EventBridge enabled"), "us-east-1")
    assert "eventbridge = true" in hcl


@pytest.mark.parametrize(
    ("phrase", "storage_class"),
    [("DEEP_ARCHIVE", "DEEP_ARCHIVE"), ("INTELLIGENT_TIERING", "INTELLIGENT_TIERING"), ("GLACIER_IR", "GLACIER_IR"),
     ("Glacier Instant Retrieval", "GLACIER_IR"), ("ONEZONE_IA", "ONEZONE_IA"), ("standard-ia", "STANDARD_IA")],
)  # fmt: skip
def test_lifecycle_transitions_to_any_storage_class(phrase: str, storage_class: str) -> None:
    bucket = _one(f"bucket tiered-x: move objects to {phrase} after 45 days", "s3_bucket")
    assert bucket["lifecycle_rules"][0]["transitions"] == [{"days": 45, "storage_class": storage_class}]


def test_access_logs_to_an_existing_bucket_with_prefix_build_no_second_bucket() -> None:
    spec = interpret("Legal wants a vault-x bucket with server access logging. Logs go to the existing bucket "
                     "corp-logs with prefix vault-x/ (don't create a new log bucket).")  # fmt: skip
    assert [r.kind for r in spec.resources] == ["s3_bucket"]
    props = cloudformation.template_for(spec, "us-east-1")["Resources"]["VaultXBucket"]["Properties"]
    assert props["LoggingConfiguration"] == {"DestinationBucketName": "corp-logs", "LogFilePrefix": "vault-x/"}


def test_an_unsupported_service_mentioned_as_context_is_not_refused() -> None:
    spec = interpret(
        "Bucket web-x-prod, block all public access (CloudFront reads it through OAC, handled in another PR)"
    )
    assert [r.kind for r in spec.resources] == ["s3_bucket"]
    with pytest.raises(GateError, match="CloudFront"):
        interpret("Bucket web-x-prod behind a CloudFront distribution")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Can someone list what's in s3://builds-x/releases/ ?", "aws s3 ls s3://builds-x/releases/"),
        ("Please upload the attached CSV exports into our existing bucket drops-x. No new infra needed.", "objects"),
        ("Which policies are attached to the deployer role? Just list them, don't change anything.", "question"),
    ],
)
def test_no_infrastructure_change_builds_nothing_and_answers(text: str, says: str) -> None:
    spec = interpret(text)
    assert spec.resources == [] and spec.answer is not None and says in spec.answer + spec.assumptions[0].value
    assert spec.assumptions[0].field == "not-applied"
    assert no_change.read("Create a bucket named x-files for uploads", "s") is None


def test_a_spec_without_resources_needs_an_answer() -> None:
    with pytest.raises(ValidationError, match="needs resources"):
        ChangeSpec(summary="nothing", resources=[])


def test_account_trust_is_waived_for_checkov_only_with_an_external_id() -> None:
    with_id = cloudformation.template_for(interpret("Role vendor-x assumable by account 444455556666 with external "
                                                    "id v-1"), "us-east-1")["Resources"]["VendorXRole"]  # fmt: skip
    assert with_id["Metadata"]["checkov"]["skip"][0]["id"] == "CKV_AWS_61"
    spec = interpret("Role vendor-x assumable by account 444455556666")
    without = cloudformation.template_for(spec, "us-east-1")["Resources"]["VendorXRole"]
    assert "checkov" not in without.get("Metadata", {})
    assert any(a.field == "external_id" for a in spec.assumptions)
    assert "checkov:skip=CKV_AWS_61" not in terraform.render(spec, "us-east-1")
