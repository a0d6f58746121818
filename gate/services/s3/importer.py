"""S3 buckets: name, versioning, default encryption, public access block, lifecycle rules, logging, tags."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, call, cfn_tags, optional, tag_map
from gate.spec import LifecycleRule, LifecycleTransition, S3Bucket
from gate.synth.hcl import Block, Raw

_PAB = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


class _S3:
    service = "s3"
    import_order = 50  # refers to nothing read before it
    cfn_type = "AWS::S3::Bucket"
    tf_type = "aws_s3_bucket"
    logical_suffix = "Bucket"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        s3 = target.client("s3")
        found = []
        for bucket in call(target, "listing S3 buckets", s3.list_buckets).get("Buckets", []):
            name = str(bucket["Name"])
            if not wanted(name):
                continue
            doing = f"reading S3 bucket {name}"
            tags = optional(target, doing, ("NoSuchTagSet",), s3.get_bucket_tagging, Bucket=name)
            data = {
                "versioning": call(target, doing, s3.get_bucket_versioning, Bucket=name).get("Status"),
                "encryption": optional(
                    target,
                    doing,
                    ("ServerSideEncryptionConfigurationNotFoundError",),
                    s3.get_bucket_encryption,
                    Bucket=name,
                ),
                "public_access": optional(
                    target, doing, ("NoSuchPublicAccessBlockConfiguration",), s3.get_public_access_block, Bucket=name
                ),
                "lifecycle": optional(
                    target,
                    doing,
                    ("NoSuchLifecycleConfiguration",),
                    s3.get_bucket_lifecycle_configuration,
                    Bucket=name,
                ),
                "logging": call(target, doing, s3.get_bucket_logging, Bucket=name).get("LoggingEnabled"),
            }
            tag_set = tag_map(tags.get("TagSet") if tags else None)
            found.append(Live("s3", "s3_bucket", name, f"arn:aws:s3:::{name}", name, tag_set, data))
        return found

    # -- the parts, as CloudFormation ---------------------------------------------------------------------

    @staticmethod
    def _encryption(live: Live) -> list[dict[str, Any]]:
        enc = live.data.get("encryption") or {}
        return list((enc.get("ServerSideEncryptionConfiguration") or {}).get("Rules") or [])

    @staticmethod
    def _pab(live: Live) -> dict[str, bool] | None:
        raw = (live.data.get("public_access") or {}).get("PublicAccessBlockConfiguration")
        return {k: bool(raw.get(k, False)) for k in _PAB} if raw else None

    @staticmethod
    def _rules(live: Live) -> list[dict[str, Any]]:
        return list((live.data.get("lifecycle") or {}).get("Rules") or [])

    @staticmethod
    def _cfn_rule(rule: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"Id": rule.get("ID", "rule"), "Status": rule.get("Status", "Enabled")}
        filt = rule.get("Filter") or {}
        both = filt.get("And") or filt  # a filter of several conditions has them under And
        prefix = both.get("Prefix", rule.get("Prefix"))
        if prefix:
            out["Prefix"] = prefix
        tags = both.get("Tags") or ([filt["Tag"]] if filt.get("Tag") else [])
        if tags:
            out["TagFilters"] = [{"Key": t["Key"], "Value": t["Value"]} for t in tags]
        for size in ("ObjectSizeGreaterThan", "ObjectSizeLessThan"):
            if both.get(size) is not None:
                out[size] = str(both[size])
        if (rule.get("Expiration") or {}).get("Days"):
            out["ExpirationInDays"] = rule["Expiration"]["Days"]
        if rule.get("Transitions"):
            out["Transitions"] = [
                {"StorageClass": t["StorageClass"], "TransitionInDays": t.get("Days", 0)} for t in rule["Transitions"]
            ]
        if (rule.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays"):
            out["NoncurrentVersionExpiration"] = {
                "NoncurrentDays": rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
            }
        if (rule.get("AbortIncompleteMultipartUpload") or {}).get("DaysAfterInitiation"):
            days = rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]
            out["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": days}
        return out

    @staticmethod
    def _tf_filter(filt: Block, rule: dict[str, Any]) -> None:
        """A lifecycle filter (CloudFormation shape) in Terraform: one condition as itself, several under ``and``."""
        tags = {t["Key"]: t["Value"] for t in rule.get("TagFilters", [])}
        sizes = {k: int(rule[k]) for k in ("ObjectSizeGreaterThan", "ObjectSizeLessThan") if k in rule}
        if len(tags) + len(sizes) + bool(rule.get("Prefix")) > 1:
            both = filt.block("and").attrs(prefix=rule.get("Prefix"), tags=dict(sorted(tags.items())) or None)
            both.attrs(
                object_size_greater_than=sizes.get("ObjectSizeGreaterThan"),
                object_size_less_than=sizes.get("ObjectSizeLessThan"),
            )
        elif tags:
            [(key, value)] = tags.items()
            filt.block("tag").attrs(key=key, value=value)
        elif sizes:
            [(name, size)] = sizes.items()
            filt.attr("object_size_greater_than" if name == "ObjectSizeGreaterThan" else "object_size_less_than", size)
        else:
            filt.attrs(prefix=rule.get("Prefix", ""))

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        props: dict[str, Any] = {"BucketName": live.physical_id}
        if live.data.get("versioning"):
            props["VersioningConfiguration"] = {"Status": live.data["versioning"]}
        if self._encryption(live):
            props["BucketEncryption"] = {"ServerSideEncryptionConfiguration": self._encryption(live)}
        if self._pab(live) is not None:
            props["PublicAccessBlockConfiguration"] = self._pab(live)
        if self._rules(live):
            props["LifecycleConfiguration"] = {"Rules": [self._cfn_rule(r) for r in self._rules(live)]}
        logging = live.data.get("logging")
        if logging:
            target = str(logging.get("TargetBucket", ""))
            props["LoggingConfiguration"] = {
                "DestinationBucketName": links.cfn(target),
                **({"LogFilePrefix": logging["TargetPrefix"]} if logging.get("TargetPrefix") else {}),
            }
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        expressed = {"BucketName", "Tags", "VersioningConfiguration", "LoggingConfiguration"}
        rules = self._encryption(live)
        default = (rules[0].get("ServerSideEncryptionByDefault") or {}) if len(rules) == 1 else {}
        if default.get("SSEAlgorithm") in ("AES256", "aws:kms") and set(rules[0]) <= {"ServerSideEncryptionByDefault"}:
            expressed.add("BucketEncryption")
        pab = self._pab(live)
        if pab is not None and len(set(pab.values())) == 1:
            expressed.add("PublicAccessBlockConfiguration")
        if self._spec_rules(live) is not None:
            expressed.add("LifecycleConfiguration")
        identifier = {"BucketName": live.physical_id}
        return Cfn(self.cfn_type, props, identifier, frozenset(expressed))

    # -- the spec -----------------------------------------------------------------------------------------

    def _spec_rules(self, live: Live) -> list[LifecycleRule] | None:
        """The lifecycle rules as the spec has them; None when one does not fit (disabled, filters on tags)."""
        out = []
        for rule in self._rules(live):
            cfn = self._cfn_rule(rule)
            filt = rule.get("Filter") or {}
            if cfn["Status"] != "Enabled" or set(filt) - {"Prefix"} or set(rule) - _RULE_KEYS:
                return None
            try:
                out.append(
                    LifecycleRule(
                        id=cfn["Id"],
                        prefix=cfn.get("Prefix"),
                        expiration_days=cfn.get("ExpirationInDays"),
                        transitions=[
                            LifecycleTransition(days=t["TransitionInDays"], storage_class=t["StorageClass"])
                            for t in cfn.get("Transitions", [])
                        ],
                        noncurrent_expiration_days=(cfn.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays"),
                        abort_incomplete_multipart_days=(cfn.get("AbortIncompleteMultipartUpload") or {}).get(
                            "DaysAfterInitiation"
                        ),
                    )
                )
            except ValidationError:
                return None
        return out

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        notes: dict[str, str] = {}
        rules = self._encryption(live)
        algorithm = ((rules[0].get("ServerSideEncryptionByDefault") or {}) if rules else {}).get("SSEAlgorithm")
        if not rules:
            notes["BucketEncryption"] = "absent (no default encryption); the spec always encrypts: a change to this "
            notes["BucketEncryption"] += "entry turns SSE-S3 on"
        kms = (rules[0].get("ServerSideEncryptionByDefault") or {}).get("KMSMasterKeyID") if rules else None
        pab = self._pab(live)
        if pab is not None and len(set(pab.values())) != 1:
            notes["PublicAccessBlockConfiguration"] = f"partly set ({pab}); the spec has all four or none"
        lifecycle = self._spec_rules(live)
        if lifecycle is None:
            notes["LifecycleConfiguration"] = "a rule the spec cannot express (disabled, or filtered by tags/size)"
        logging = live.data.get("logging") or {}
        target = str(logging.get("TargetBucket", "")) or None
        try:
            bucket = S3Bucket(
                name=name,
                tags={k: v for k, v in live.tags.items() if not k.startswith("aws:")},
                bucket_name=live.physical_id,
                versioning=live.data.get("versioning") == "Enabled",
                encryption="kms" if algorithm == "aws:kms" else "aes256",
                kms_key_arn=kms if kms and kms.startswith(("arn:", "alias/")) else None,
                block_public_access=bool(pab) and all(pab.values()) if pab else False,
                lifecycle_rules=lifecycle or [],
                access_log_bucket=None if links.spec_ref(target or "") else target,
                access_log_bucket_ref=links.spec_ref(target or ""),
            )
        except ValidationError as exc:
            return SpecResult(None, {"*": f"not expressible in the spec: {exc.errors()[0]['msg']}"})
        return SpecResult(bucket, notes)

    # -- Terraform ----------------------------------------------------------------------------------------

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        bucket = Block("resource", ("aws_s3_bucket", tf_name)).attrs(bucket=live.physical_id)
        if live.tags:
            bucket.attr("tags", dict(sorted(live.tags.items())))
        own = Raw(f"aws_s3_bucket.{tf_name}.id")
        blocks: list[tuple[Block, str]] = [(bucket, live.physical_id)]
        if live.data.get("versioning"):
            versioning = Block("resource", ("aws_s3_bucket_versioning", tf_name)).attrs(bucket=own)
            versioning.block("versioning_configuration").attrs(status=live.data["versioning"])
            blocks.append((versioning, live.physical_id))
        if self._encryption(live):
            enc = Block("resource", ("aws_s3_bucket_server_side_encryption_configuration", tf_name)).attrs(bucket=own)
            for rule in self._encryption(live):
                default = rule.get("ServerSideEncryptionByDefault") or {}
                block = enc.block("rule")
                block.block("apply_server_side_encryption_by_default").attrs(
                    sse_algorithm=default.get("SSEAlgorithm"), kms_master_key_id=default.get("KMSMasterKeyID")
                )
                if "BucketKeyEnabled" in rule:
                    block.attr("bucket_key_enabled", bool(rule["BucketKeyEnabled"]))
            blocks.append((enc, live.physical_id))
        pab = self._pab(live)
        if pab is not None:
            block = Block("resource", ("aws_s3_bucket_public_access_block", tf_name)).attrs(bucket=own)
            block.attrs(
                block_public_acls=pab["BlockPublicAcls"],
                ignore_public_acls=pab["IgnorePublicAcls"],
                block_public_policy=pab["BlockPublicPolicy"],
                restrict_public_buckets=pab["RestrictPublicBuckets"],
            )
            blocks.append((block, live.physical_id))
        if self._rules(live):
            life = Block("resource", ("aws_s3_bucket_lifecycle_configuration", tf_name)).attrs(bucket=own)
            for raw in self._rules(live):
                rule = self._cfn_rule(raw)
                block = life.block("rule").attrs(id=rule["Id"], status=rule["Status"])
                self._tf_filter(block.block("filter"), rule)
                if "ExpirationInDays" in rule:
                    block.block("expiration").attrs(days=rule["ExpirationInDays"])
                for t in rule.get("Transitions", []):
                    block.block("transition").attrs(days=t["TransitionInDays"], storage_class=t["StorageClass"])
                if "NoncurrentVersionExpiration" in rule:
                    days = rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
                    block.block("noncurrent_version_expiration").attrs(noncurrent_days=days)
                if "AbortIncompleteMultipartUpload" in rule:
                    days = rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]
                    block.block("abort_incomplete_multipart_upload").attrs(days_after_initiation=days)
            blocks.append((life, live.physical_id))
        logging = live.data.get("logging")
        if logging:
            log = Block("resource", ("aws_s3_bucket_logging", tf_name)).attrs(bucket=own)
            log.attrs(
                target_bucket=links.tf(str(logging.get("TargetBucket", ""))),
                target_prefix=logging.get("TargetPrefix", ""),
            )
            blocks.append((log, live.physical_id))
        return Tf(blocks)


_RULE_KEYS = {
    "ID",
    "Status",
    "Filter",
    "Prefix",
    "Expiration",
    "Transitions",
    "NoncurrentVersionExpiration",
    "AbortIncompleteMultipartUpload",
}

READER = _S3()
