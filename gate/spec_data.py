"""Resource kinds that keep and move data: S3 buckets, RDS, DynamoDB, ElastiCache, SQS queues, SNS topics.

Part of the typed change spec; ``gate/spec.py`` gathers every kind into ``ResourceSpec`` and re-exports it.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from gate.spec_base import _Base
from gate.spec_bucket import CorsRule, ObjectLock
from gate.spec_events import (
    DeadLetter,
    KeyAttribute,
    SecondaryIndex,
    Subscription,
)
from gate.spec_parts import (
    Arn,
    BucketPolicyStatement,
    DbOption,
    KmsKey,
    LifecycleRule,
    Ref,
    RegionName,
    SecurityGroupId,
    SubnetId,
    ZoneName,
)

BUCKET_RE = re.compile(r"^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class S3Bucket(_Base):
    """An S3 bucket. Secure by default: private, encrypted, versioned, TLS-only, retained on delete."""

    kind: Literal["s3_bucket"] = "s3_bucket"
    bucket_name: str | None = Field(default=None, description="Globally unique bucket name; generated if absent.")
    versioning: bool = Field(default=True, description="keep every version of every object")
    encryption: Literal["aes256", "kms"] = Field(default="aes256", description="SSE-S3 (aes256) or SSE-KMS")
    kms_key_arn: KmsKey | None = Field(default=None, description="KMS key for SSE-KMS; absent: the AWS managed key")
    block_public_access: bool = Field(default=True, description="all four S3 block-public-access settings")
    lifecycle_rules: list[LifecycleRule] = Field(default_factory=list, max_length=50)
    access_log_bucket: str | None = Field(default=None, description="Bucket name that receives access logs.")
    access_log_bucket_ref: Ref | None = Field(default=None, description="s3_bucket in this spec receiving access logs")
    access_log_prefix: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9!_.*'()/-]{1,256}$", description="key prefix of the logs; absent: <name>/"
    )
    object_lock: ObjectLock | None = Field(default=None, description="WORM retention (needs versioning)")
    cors_rules: list[CorsRule] = Field(default_factory=list, max_length=10)
    eventbridge: bool = Field(default=False, description="send the bucket's events to Amazon EventBridge")
    policy_statements: list[BucketPolicyStatement] = Field(
        default_factory=list, max_length=20, description="grants to named principals (TLS-only is always added)"
    )

    @field_validator("bucket_name", "access_log_bucket")
    @classmethod
    def _bucket_ok(cls, value: str | None) -> str | None:
        if value is not None and not BUCKET_RE.match(value):
            raise ValueError(f"bucket name {value!r} is not valid: use 3-63 lowercase letters, digits, '.' and '-'")
        return value

    @model_validator(mode="after")
    def _lock_needs_versions(self) -> S3Bucket:
        if self.object_lock is not None and not self.versioning:
            raise ValueError("object lock needs versioning: a locked bucket keeps every version")
        if self.access_log_bucket and self.access_log_bucket_ref:
            raise ValueError("send access logs to one bucket: access_log_bucket or access_log_bucket_ref")
        return self


class RdsInstance(_Base):
    """An RDS database. Secure by default: private, encrypted, multi-AZ, deletion protection, snapshot on delete."""

    kind: Literal["rds_instance"] = "rds_instance"
    engine: Literal["postgres", "mysql", "mariadb"] = "postgres"
    engine_version: str | None = Field(
        default=None, pattern=r"^\d+(\.\d+){0,2}$", description="absent: a current version of the engine"
    )
    instance_class: str = Field(default="db.t4g.micro", pattern=r"^db\.[a-z0-9]+\.[a-z0-9]+$")
    storage_gb: int = Field(default=20, ge=20, le=65536)
    max_storage_gb: int | None = Field(default=None, le=65536, description="storage autoscaling up to this size")
    port: int | None = Field(default=None, ge=1150, le=65535, description="absent: the engine's default port")
    storage_type: Literal["gp3", "gp2", "io1", "io2"] = "gp3"
    iops: int | None = Field(default=None, ge=1000, le=256000, description="provisioned IOPS (io1/io2)")
    multi_az: bool = True
    read_replicas: int = Field(default=0, ge=0, le=5)
    backup_retention_days: int = Field(default=7, ge=1, le=35)
    backup_window: str = Field(default="03:00-04:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
    maintenance_window: str = Field(
        default="sun:04:30-sun:05:30", pattern=r"^([a-z]{3}):\d\d:\d\d-([a-z]{3}):\d\d:\d\d$", description="weekly, UTC"
    )
    parameters: dict[str, str] = Field(default_factory=dict, max_length=100, description="-> DB parameter group")
    options: list[DbOption] = Field(default_factory=list, max_length=20, description="-> option group (mysql/mariadb)")
    vpc_ref: Ref | None = Field(default=None, description="vpc in this spec; the DB subnet group is its private tier")
    security_group_refs: list[Ref] = Field(default_factory=list, max_length=5)
    subnet_ids: list[SubnetId] = Field(default_factory=list, max_length=16, description="new DB subnet group of these")
    db_subnet_group_name: str | None = Field(
        default=None, pattern=r"^[a-z0-9][a-z0-9_ .-]{0,254}$", description="an existing DB subnet group, by name"
    )
    security_group_ids: list[SecurityGroupId] = Field(default_factory=list, max_length=5, description="existing, by id")
    database_name: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
    master_username: str = Field(default="dbadmin", pattern=r"^[A-Za-z][A-Za-z0-9_]{0,15}$")
    deletion_protection: bool = True
    storage_encrypted: bool = True
    kms_key_arn: KmsKey | None = Field(default=None, description="KMS key (ARN, alias ARN or alias/...) for storage")

    @model_validator(mode="after")
    def _options_ok(self) -> RdsInstance:
        if self.options and self.engine == "postgres":
            raise ValueError("option groups have no options for postgres; use parameters instead")
        if self.storage_type in ("io1", "io2") and self.iops is None:
            raise ValueError(f"storage_type {self.storage_type} needs iops")
        if sum(map(bool, (self.vpc_ref, self.subnet_ids, self.db_subnet_group_name))) > 1:
            raise ValueError("place the database by one of vpc_ref, subnet_ids or db_subnet_group_name")
        if self.max_storage_gb is not None and self.max_storage_gb <= self.storage_gb:
            raise ValueError(f"storage autoscaling up to {self.max_storage_gb} GB must be above {self.storage_gb} GB")
        return self


class RdsReadReplica(_Base):
    """A read replica of a database outside this change (by identifier, or by ARN for a cross-Region replica): it
    inherits engine, version, storage and encryption from its source; private, IAM auth, deletion protection."""

    kind: Literal["rds_read_replica"] = "rds_read_replica"
    source_db: str = Field(
        pattern=r"^(?:[A-Za-z][A-Za-z0-9-]{0,62}|arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:db:[A-Za-z][A-Za-z0-9-]{0,62})$",
        description="the source DB instance identifier, or its ARN (another Region: a cross-Region replica)",
    )
    engine: Literal["postgres", "mysql", "mariadb"] | None = Field(
        default=None, description="the source's engine when the request says it (log exports); absent: inherited"
    )
    instance_class: str = Field(default="db.t4g.micro", pattern=r"^db\.[a-z0-9]+\.[a-z0-9]+$")
    availability_zone: ZoneName | None = None
    multi_az: bool = False
    security_group_ids: list[SecurityGroupId] = Field(default_factory=list, max_length=5, description="existing, by id")
    db_subnet_group_name: str | None = Field(
        default=None, pattern=r"^[a-z0-9][a-z0-9_ .-]{0,254}$", description="an existing DB subnet group, by name"
    )
    kms_key_arn: KmsKey | None = Field(default=None, description="cross-Region only: a key in this Region")
    deletion_protection: bool = True

    @model_validator(mode="after")
    def _zone_ok(self) -> RdsReadReplica:
        if self.multi_az and self.availability_zone:
            raise ValueError("a Multi-AZ replica is not pinned to one availability zone")
        return self


class RdsCluster(_Base):
    """An Aurora DB cluster and its instances (the first the writer, the others readers in other AZs). Secure by
    default: private, encrypted, IAM database authentication, deletion protection, snapshot on delete."""

    kind: Literal["rds_cluster"] = "rds_cluster"
    engine: Literal["aurora-postgresql", "aurora-mysql"] = "aurora-postgresql"
    engine_version: str | None = Field(
        default=None, pattern=r"^\d+(\.\d+){0,2}$", description="absent: a current version of the engine"
    )
    instance_class: str = Field(default="db.r7g.large", pattern=r"^db\.[a-z0-9]+\.[a-z0-9]+$")
    instances: int = Field(default=2, ge=1, le=15, description="one writer, the rest readers")
    backup_retention_days: int = Field(default=7, ge=1, le=35)
    database_name: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
    master_username: str = Field(default="dbadmin", pattern=r"^[A-Za-z][A-Za-z0-9_]{0,15}$")
    vpc_ref: Ref | None = Field(default=None, description="vpc in this spec; the DB subnet group is its private tier")
    subnet_ids: list[SubnetId] = Field(default_factory=list, max_length=16, description="new DB subnet group of these")
    db_subnet_group_name: str | None = Field(
        default=None, pattern=r"^[a-z0-9][a-z0-9_ .-]{0,254}$", description="an existing DB subnet group, by name"
    )
    security_group_refs: list[Ref] = Field(default_factory=list, max_length=5)
    security_group_ids: list[SecurityGroupId] = Field(default_factory=list, max_length=5, description="existing, by id")
    deletion_protection: bool = True
    kms_key_arn: KmsKey | None = Field(default=None, description="KMS key (ARN, alias ARN or alias/...) for storage")

    @model_validator(mode="after")
    def _placed_once(self) -> RdsCluster:
        if sum(map(bool, (self.vpc_ref, self.subnet_ids, self.db_subnet_group_name))) > 1:
            raise ValueError("place the cluster by one of vpc_ref, subnet_ids or db_subnet_group_name")
        return self


class SqsQueue(_Base):
    """An SQS queue, encrypted, with an optional dead-letter queue."""

    kind: Literal["sqs_queue"] = "sqs_queue"
    fifo: bool = False
    content_based_deduplication: bool = False
    visibility_timeout_s: int = Field(default=30, ge=0, le=43200)
    retention_s: int = Field(default=345600, ge=60, le=1209600)
    delay_s: int = Field(default=0, ge=0, le=900)
    dead_letter: DeadLetter | None = Field(default_factory=DeadLetter, description="DLQ redrive; null: none")
    kms_key_arn: KmsKey | None = Field(default=None, description="absent: the AWS managed key alias/aws/sqs")
    encryption: Literal["kms", "sqs"] = Field(
        default="kms", description="SSE-KMS (kms_key_arn or alias/aws/sqs) or SSE-SQS (SQS-managed keys)"
    )
    kms_data_key_reuse_s: int | None = Field(default=None, ge=60, le=86400, description="SSE-KMS data key reuse")
    receive_wait_s: int | None = Field(default=None, ge=0, le=20, description="long polling: ReceiveMessageWaitTime")
    max_message_size: int | None = Field(default=None, ge=1024, le=1048576, description="bytes")
    topic_arns: list[Arn] = Field(
        default_factory=list,
        max_length=10,
        description="existing SNS topics the queue subscribes to (a queue policy lets exactly them send)",
    )

    @model_validator(mode="after")
    def _encryption_ok(self) -> SqsQueue:
        if any(not arn.startswith(("arn:aws:sns:", "arn:aws-")) or ":sns:" not in arn for arn in self.topic_arns):
            raise ValueError("topic_arns are SNS topic ARNs (arn:aws:sns:REGION:ACCOUNT:NAME)")
        if self.encryption == "sqs" and (self.kms_key_arn or self.kms_data_key_reuse_s is not None):
            raise ValueError("SQS-managed encryption (SSE-SQS) takes no KMS key: drop the key or use encryption kms")
        return self


Publisher = Annotated[
    str,
    Field(pattern=r"^(?:\*|\d{12}|arn:aws[a-z-]*:iam::\d{12}:(?:root|role/[\w+=,.@/-]+)|[a-z0-9.-]+\.amazonaws\.com)$"),
]


class SnsTopic(_Base):
    """An SNS topic, KMS-encrypted; a topic policy only when publishers outside the change are named."""

    kind: Literal["sns_topic"] = "sns_topic"
    display_name: str | None = Field(default=None, max_length=100)
    fifo: bool = False
    content_based_deduplication: bool = Field(default=False, description="FIFO only: dedup by a hash of the body")
    subscriptions: list[Subscription] = Field(default_factory=list, max_length=50)
    kms_key_arn: KmsKey | None = Field(default=None, description="absent: the AWS managed key alias/aws/sns")
    publishers: list[Publisher] = Field(
        default_factory=list,
        max_length=20,
        description="who may sns:Publish (topic policy): account ids, role ARNs, service principals; '*' is anyone",
    )

    @model_validator(mode="after")
    def _dedup_fifo(self) -> SnsTopic:
        if self.content_based_deduplication and not self.fifo:
            raise ValueError("content-based deduplication is for FIFO topics: make the topic FIFO or drop it")
        return self


class DynamodbTable(_Base):
    """A DynamoDB table: KMS-encrypted, point-in-time recovery, retained on delete."""

    kind: Literal["dynamodb_table"] = "dynamodb_table"
    partition_key: KeyAttribute
    sort_key: KeyAttribute | None = None
    billing_mode: Literal["PAY_PER_REQUEST", "PROVISIONED"] = "PAY_PER_REQUEST"
    read_capacity: int = Field(default=5, ge=1, le=40000, description="PROVISIONED only")
    write_capacity: int = Field(default=5, ge=1, le=40000, description="PROVISIONED only")
    point_in_time_recovery: bool = True
    ttl_attribute: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]{1,255}$")
    stream: Literal["none", "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] = "none"
    kms_key_arn: KmsKey | None = Field(default=None, description="absent: the AWS managed key alias/aws/dynamodb")
    deletion_protection: bool = True
    table_class: Literal["STANDARD", "STANDARD_INFREQUENT_ACCESS"] = "STANDARD"
    global_secondary_indexes: list[SecondaryIndex] = Field(default_factory=list, max_length=20)
    replica_regions: list[RegionName] = Field(
        default_factory=list,
        max_length=10,
        description="a global table (AWS::DynamoDB::GlobalTable) replicated in these Regions (the stack's included)",
    )

    @model_validator(mode="after")
    def _table_ok(self) -> DynamodbTable:
        names = [i.name for i in self.global_secondary_indexes]
        if len(set(names)) != len(names):
            raise ValueError("two global secondary indexes have the same name")
        types = {self.partition_key.name: self.partition_key.type}
        for key in [self.sort_key, *(k for i in self.global_secondary_indexes for k in (i.partition_key, i.sort_key))]:
            if key is not None and types.setdefault(key.name, key.type) != key.type:
                raise ValueError(f"attribute {key.name!r} is given two types")
        if self.replica_regions:
            if self.billing_mode != "PAY_PER_REQUEST":
                raise ValueError("the gate builds global tables on-demand (provisioned replicas need auto scaling)")
            if self.kms_key_arn:
                raise ValueError("a KMS key is per Region: the gate builds global tables with the AWS managed key")
            if self.stream not in ("none", "NEW_AND_OLD_IMAGES"):
                raise ValueError("a global table's stream is NEW_AND_OLD_IMAGES (replication uses it)")
        return self


class ElasticacheCluster(_Base):
    """An ElastiCache replication group (Valkey or Redis OSS): private, encrypted at rest and in transit, Multi-AZ
    with automatic failover when it has a replica, daily snapshots, a snapshot kept on delete."""

    kind: Literal["elasticache_cluster"] = "elasticache_cluster"
    engine: Literal["valkey", "redis"] = "valkey"
    engine_version: str | None = Field(default=None, pattern=r"^\d+\.\d+$", description="absent: valkey 8.0, redis 7.1")
    node_type: str = Field(default="cache.t4g.micro", pattern=r"^cache\.[a-z0-9]+\.[a-z0-9]+$")
    replicas: int = Field(default=1, ge=0, le=5, description="read replicas; one or more: Multi-AZ, automatic failover")
    snapshot_retention_days: int = Field(default=7, ge=0, le=35, description="0: no automatic snapshots")
    snapshot_window: str = Field(
        default="03:00-04:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$", description="daily, UTC"
    )
    vpc_ref: Ref | None = Field(default=None, description="vpc in this spec; the cache subnets are its private tier")
    subnet_ids: list[SubnetId] = Field(default_factory=list, max_length=16, description="new cache subnet group")
    cache_subnet_group_name: str | None = Field(
        default=None, pattern=r"^[a-z0-9][a-z0-9-]{0,254}$", description="an existing cache subnet group, by name"
    )
    security_group_refs: list[Ref] = Field(default_factory=list, max_length=5)
    security_group_ids: list[SecurityGroupId] = Field(default_factory=list, max_length=5, description="existing, by id")
    kms_key_arn: KmsKey | None = Field(default=None, description="absent: the AWS managed key for ElastiCache")

    @model_validator(mode="after")
    def _placed_once(self) -> ElasticacheCluster:
        if sum(map(bool, (self.vpc_ref, self.subnet_ids, self.cache_subnet_group_name))) > 1:
            raise ValueError("place the cache by one of vpc_ref, subnet_ids or cache_subnet_group_name")
        return self
