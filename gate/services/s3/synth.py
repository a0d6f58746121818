"""S3 buckets: private, encrypted, versioned, TLS-only, retained on delete; notifications for Lambda triggers."""

from __future__ import annotations

from typing import Any

from gate.services.lambda_.names import cfn_s3_permission_id, tf_s3_permission_name
from gate.services.s3 import parts
from gate.spec import BucketPolicyStatement, LambdaFunction, LifecycleRule, S3Bucket
from gate.synth.common import cfn_tags, checkov_skips, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.hcl import Block, JsonEncode, Raw, Value, ref, tf_name


def _lifecycle(rule: LifecycleRule) -> dict[str, Any]:
    out: dict[str, Any] = {"Id": rule.id, "Status": "Enabled"}
    if rule.prefix:
        out["Prefix"] = rule.prefix
    if rule.expiration_days:
        out["ExpirationInDays"] = rule.expiration_days
    if rule.transitions:
        out["Transitions"] = [{"StorageClass": t.storage_class, "TransitionInDays": t.days} for t in rule.transitions]
    if rule.noncurrent_expiration_days:
        out["NoncurrentVersionExpiration"] = {"NoncurrentDays": rule.noncurrent_expiration_days}
    if rule.abort_incomplete_multipart_days:
        out["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": rule.abort_incomplete_multipart_days}
    return out


def _tf_lifecycle(block: Block, rule: LifecycleRule) -> None:
    r = block.block("rule").attrs(id=rule.id, status="Enabled")
    r.block("filter").attrs(prefix=rule.prefix or "")
    if rule.expiration_days:
        r.block("expiration").attr("days", rule.expiration_days)
    for t in rule.transitions:
        r.block("transition").attrs(days=t.days, storage_class=t.storage_class)
    if rule.noncurrent_expiration_days:
        r.block("noncurrent_version_expiration").attr("noncurrent_days", rule.noncurrent_expiration_days)
    if rule.abort_incomplete_multipart_days:
        r.block("abort_incomplete_multipart_upload").attr("days_after_initiation", rule.abort_incomplete_multipart_days)


def _triggers(res: S3Bucket, ctx: SynthContext) -> list[tuple[LambdaFunction, Any]]:
    """Lambda functions in the spec that this bucket's events invoke, with the trigger."""
    out: list[tuple[LambdaFunction, Any]] = []
    for fn in ctx.of_kind("lambda_function"):
        assert isinstance(fn, LambdaFunction)
        out.extend((fn, t) for t in fn.triggers if t.type == "s3" and t.bucket_ref == res.name)
    return out


def cfn_bucket_name(res: S3Bucket, ctx: SynthContext) -> Any:
    """The bucket's name, known before it exists when a Lambda trigger needs it (breaks the CFN cycle)."""
    if res.bucket_name:
        return res.bucket_name
    if _triggers(res, ctx):
        return {"Fn::Sub": f"{res.name[:30]}-${{AWS::AccountId}}-${{AWS::Region}}"}
    return None


def _prefix(res: S3Bucket) -> str:
    """Where the access logs go in the log bucket: the prefix asked for, or the bucket's name."""
    return res.access_log_prefix or f"{res.name}/"


def _filter(trigger: Any) -> list[tuple[str, str]]:
    return [(k, v) for k, v in (("prefix", trigger.prefix), ("suffix", trigger.suffix)) if v]


class S3BucketSynth:
    kind = "s3_bucket"

    def refs(self, res: S3Bucket, ctx: SynthContext) -> Refs:
        bid, tid = logical_id(res.name, "Bucket"), tf_name(res.name)
        arn: dict[str, Any] = {"Fn::GetAtt": [bid, "Arn"]}
        objects: dict[str, Any] = {"Fn::Sub": f"${{{bid}.Arn}}/*"}
        known = cfn_bucket_name(res, ctx) if _triggers(res, ctx) else None
        if known is not None:
            # Named from the name, not the resource: a function the bucket notifies may use these in its
            # role without a dependency cycle (bucket -> permission -> function -> role -> bucket).
            text = known["Fn::Sub"] if isinstance(known, dict) else known
            arn, objects = (
                {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{text}"},
                {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{text}/*"},
            )
        return Refs(
            cfn={"id": {"Ref": bid}, "arn": arn, "policy_arns": [arn, objects]},
            tf={
                "id": ref("aws_s3_bucket", tid, "id"),
                "arn": ref("aws_s3_bucket", tid, "arn"),
                "policy_arns": [ref("aws_s3_bucket", tid, "arn"), Raw(f'"${{aws_s3_bucket.{tid}.arn}}/*"')],
            },
        )

    def _log_target(self, res: S3Bucket, ctx: SynthContext, tf: bool) -> Any:
        if res.access_log_bucket_ref:
            return (ctx.tf if tf else ctx.cfn)(res.access_log_bucket_ref, "s3_bucket", res.name, "id")
        return res.access_log_bucket

    def _statements(self, res: S3Bucket, ctx: SynthContext, tf: bool) -> list[dict[str, Any]]:
        r = self.refs(res, ctx)
        arns = (r.tf if tf else r.cfn)["policy_arns"]
        out: list[dict[str, Any]] = [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": arns,
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ]
        for st in res.policy_statements:
            out.append(self._grant(st, res, ctx, tf, arns))
        return out

    def _grant(
        self, st: BucketPolicyStatement, res: S3Bucket, ctx: SynthContext, tf: bool, arns: Any
    ) -> dict[str, Any]:
        principals: list[Any] = list(st.principal_arns)
        for role in st.principal_role_refs:
            principals.append((ctx.tf if tf else ctx.cfn)(role, "iam_role", res.name, "arn"))
        if st.prefix is None:
            resource = arns
        elif tf:
            resource = Raw(f'"${{{arns[0].text}}}/{st.prefix}*"')
        else:
            resource = {"Fn::Sub": f"${{{logical_id(res.name, 'Bucket')}.Arn}}/{st.prefix}*"}
        return {
            "Sid": st.sid,
            "Effect": st.effect,
            "Principal": {"AWS": principals},
            "Action": st.actions,
            "Resource": resource,
        }

    def cloudformation(self, res: S3Bucket, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        bucket_id = logical_id(res.name, "Bucket")
        sse: dict[str, Any] = {"SSEAlgorithm": "AES256"}
        if res.encryption == "kms":
            sse = {"SSEAlgorithm": "aws:kms"}
            if res.kms_key_arn:
                sse["KMSMasterKeyID"] = res.kms_key_arn
        props: dict[str, Any] = {}
        name = cfn_bucket_name(res, ctx)
        if name is not None:
            props["BucketName"] = name
        props["VersioningConfiguration"] = {"Status": "Enabled" if res.versioning else "Suspended"}
        props["BucketEncryption"] = {
            "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": sse, "BucketKeyEnabled": True}]
        }
        if res.block_public_access:
            props["PublicAccessBlockConfiguration"] = {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            }
        props["OwnershipControls"] = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
        parts.cfn_object_lock(res, props)
        if res.lifecycle_rules:
            props["LifecycleConfiguration"] = {"Rules": [_lifecycle(r) for r in res.lifecycle_rules]}
        parts.cfn_cors(res, props)
        log_target = self._log_target(res, ctx, tf=False)
        if log_target:
            props["LoggingConfiguration"] = {"DestinationBucketName": log_target, "LogFilePrefix": _prefix(res)}
        depends: list[str] = []
        triggers = _triggers(res, ctx)
        notes: dict[str, Any] = {"EventBridgeConfiguration": {"EventBridgeEnabled": True}} if res.eventbridge else {}
        if triggers:
            configs = []
            for fn, trig in triggers:
                for event in trig.events:
                    cfg: dict[str, Any] = {
                        "Event": event,
                        "Function": ctx.cfn(fn.name, "lambda_function", res.name, "arn"),
                    }
                    if _filter(trig):
                        cfg["Filter"] = {"S3Key": {"Rules": [{"Name": k, "Value": v} for k, v in _filter(trig)]}}
                    configs.append(cfg)
                depends.append(cfn_s3_permission_id(fn.name, res.name))
            notes["LambdaConfigurations"] = configs
        if notes:
            props["NotificationConfiguration"] = notes
        props["Tags"] = cfn_tags(res)
        bucket: dict[str, Any] = {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": props,
        }
        if depends:
            bucket["DependsOn"] = sorted(set(depends))
        if not log_target:
            bucket["Metadata"] = checkov_skips("CKV_AWS_18")
        policy = {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": bucket_id},
                "PolicyDocument": {"Version": "2012-10-17", "Statement": self._statements(res, ctx, tf=False)},
            },
        }
        ctx.outputs[f"{bucket_id}Name"] = {"Description": f"Name of bucket {res.name}", "Value": {"Ref": bucket_id}}
        return {bucket_id: bucket, f"{bucket_id}Policy": policy}

    def terraform(self, res: S3Bucket, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        bucket_id = ref("aws_s3_bucket", tid, "id")
        log_target = self._log_target(res, ctx, tf=True)
        bucket = Block("resource", ("aws_s3_bucket", tid))
        if not log_target:
            bucket.body.extend(tf_skips("CKV_AWS_18"))
        if res.bucket_name:
            bucket.attr("bucket", res.bucket_name)
        else:
            bucket.attr("bucket_prefix", f"{res.name[:37]}-")
        if res.object_lock is not None:
            bucket.attr("object_lock_enabled", True)
        bucket.attr("tags", tf_tags(res))
        bucket.block("lifecycle").attr("prevent_destroy", True)
        out = [bucket]
        versioning = Block("resource", ("aws_s3_bucket_versioning", tid)).attr("bucket", bucket_id)
        versioning.block("versioning_configuration").attr("status", "Enabled" if res.versioning else "Suspended")
        out.append(versioning)
        sse = Block("resource", ("aws_s3_bucket_server_side_encryption_configuration", tid)).attr("bucket", bucket_id)
        rule = sse.block("rule")
        default = rule.block("apply_server_side_encryption_by_default")
        default.attr("sse_algorithm", "aws:kms" if res.encryption == "kms" else "AES256")
        if res.encryption == "kms" and res.kms_key_arn:
            default.attr("kms_master_key_id", res.kms_key_arn)
        rule.attr("bucket_key_enabled", True)
        out.append(sse)
        if res.block_public_access:
            out.append(
                Block("resource", ("aws_s3_bucket_public_access_block", tid)).attrs(
                    bucket=bucket_id,
                    block_public_acls=True,
                    block_public_policy=True,
                    ignore_public_acls=True,
                    restrict_public_buckets=True,
                )
            )
        own = Block("resource", ("aws_s3_bucket_ownership_controls", tid)).attr("bucket", bucket_id)
        own.block("rule").attr("object_ownership", "BucketOwnerEnforced")
        out.append(own)
        out.extend(parts.tf_object_lock(res, tid, bucket_id))
        out.extend(parts.tf_cors(res, tid, bucket_id))
        if res.lifecycle_rules:
            lc = Block("resource", ("aws_s3_bucket_lifecycle_configuration", tid)).attr("bucket", bucket_id)
            for r in res.lifecycle_rules:
                _tf_lifecycle(lc, r)
            out.append(lc)
        if log_target:
            out.append(
                Block("resource", ("aws_s3_bucket_logging", tid)).attrs(
                    bucket=bucket_id, target_bucket=log_target, target_prefix=_prefix(res)
                )
            )
        statements: list[Value] = list(self._statements(res, ctx, tf=True))
        out.append(
            Block("resource", ("aws_s3_bucket_policy", tid)).attrs(
                bucket=bucket_id, policy=JsonEncode({"Version": "2012-10-17", "Statement": statements})
            )
        )
        triggers = _triggers(res, ctx)
        if triggers or res.eventbridge:
            note = Block("resource", ("aws_s3_bucket_notification", tid)).attr("bucket", bucket_id)
            if res.eventbridge:
                note.attr("eventbridge", True)
            for fn, trig in triggers:
                fn_block = note.block("lambda_function")
                fn_block.attrs(
                    lambda_function_arn=ctx.tf(fn.name, "lambda_function", res.name, "arn"), events=list(trig.events)
                )
                for key, value in _filter(trig):
                    fn_block.attr(f"filter_{key}", value)
            if triggers:
                note.attr(
                    "depends_on",
                    [ref("aws_lambda_permission", tf_s3_permission_name(fn.name, res.name)) for fn, _ in triggers],
                )
            out.append(note)
        ctx.tf_outputs[f"{tid}_bucket_name"] = Block("output", (f"{tid}_bucket_name",)).attrs(
            description=f"Name of bucket {res.name}", value=bucket_id
        )
        return out
