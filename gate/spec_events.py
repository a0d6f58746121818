"""Parts of the event-driven kinds: a Lambda function's code, triggers, URL and alias; SNS subscriptions; SQS
dead-letter settings; DynamoDB keys and indexes.  Split from ``gate/spec_parts.py`` (same base, same rules)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from gate.spec_parts import Arn, Part, Ref

# --- Lambda -----------------------------------------------------------------------------------------------


class LambdaCode(Part):
    """Where the function's code is: an object in S3 (bucket name or bucket in this spec) or inline source."""

    s3_bucket: str | None = Field(default=None, max_length=63, description="existing bucket holding the zip")
    s3_bucket_ref: Ref | None = Field(default=None, description="s3_bucket in this spec holding the zip")
    s3_key: str | None = Field(default=None, max_length=1024, description="key of the zip in the bucket")
    inline: str | None = Field(default=None, max_length=4096, description="source of a small function")
    deploy_parameter: bool = Field(
        default=False, description="the zip's bucket and key are given at deploy time (template parameters)"
    )

    @model_validator(mode="after")
    def _one_source(self) -> LambdaCode:
        from_s3 = self.s3_bucket is not None or self.s3_bucket_ref is not None
        if sum((from_s3, self.inline is not None, self.deploy_parameter)) != 1:
            raise ValueError("lambda code needs exactly one of inline source, an S3 bucket + key or deploy_parameter")
        if from_s3 and (self.s3_key is None or (self.s3_bucket is not None and self.s3_bucket_ref is not None)):
            raise ValueError("lambda code from S3 needs s3_key and one of s3_bucket or s3_bucket_ref")
        return self


S3Event = Literal[
    "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:Completed",
]  # fmt: skip


class S3Trigger(Part):
    type: Literal["s3"] = "s3"
    bucket_ref: Ref = Field(description="s3_bucket in this spec whose events invoke the function")
    events: list[S3Event] = Field(
        default_factory=lambda: list[S3Event](["s3:ObjectCreated:*"]), min_length=1, max_length=9
    )
    prefix: str | None = Field(default=None, max_length=1024, description="only keys with this prefix")
    suffix: str | None = Field(default=None, max_length=1024, description="only keys with this suffix")


class SqsTrigger(Part):
    type: Literal["sqs"] = "sqs"
    queue_ref: Ref | None = Field(default=None, description="sqs_queue in this spec whose messages invoke the function")
    queue_arn: Arn | None = Field(default=None, description="an existing queue, by ARN (instead of queue_ref)")
    batch_size: int = Field(default=10, ge=1, le=10000)
    batching_window_s: int | None = Field(default=None, ge=0, le=300, description="MaximumBatchingWindowInSeconds")

    @model_validator(mode="after")
    def _one_queue(self) -> SqsTrigger:
        if (self.queue_ref is None) == (self.queue_arn is None):
            raise ValueError("an sqs trigger needs exactly one of queue_ref or queue_arn")
        return self


class ScheduleTrigger(Part):
    type: Literal["schedule"] = "schedule"
    expression: str = Field(
        pattern=r"^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([0-9A-Za-z*?,/#L\- ]+\))$",
        description="EventBridge schedule, e.g. rate(5 minutes) or cron(0 3 * * ? *)",
    )


class StreamTrigger(Part):
    """A DynamoDB stream that invokes the function: a table of this spec (its stream) or an existing stream ARN."""

    type: Literal["dynamodb"] = "dynamodb"
    table_ref: Ref | None = Field(default=None, description="dynamodb_table in this spec (its stream is turned on)")
    stream_arn: Arn | None = Field(default=None, description="an existing table's stream, by ARN")
    starting_position: Literal["LATEST", "TRIM_HORIZON"] = "LATEST"
    batch_size: int = Field(default=100, ge=1, le=10000)
    bisect_on_error: bool = Field(default=False, description="split a failing batch in two and retry each half")
    max_retries: int | None = Field(default=None, ge=-1, le=10000, description="MaximumRetryAttempts (-1: forever)")

    @model_validator(mode="after")
    def _one_stream(self) -> StreamTrigger:
        if (self.table_ref is None) == (self.stream_arn is None):
            raise ValueError("a dynamodb trigger needs exactly one of table_ref or stream_arn")
        if self.stream_arn and not re.match(
            r"^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/[^/]+/stream/", self.stream_arn
        ):
            raise ValueError("stream_arn must be a DynamoDB stream ARN (arn:aws:dynamodb:...:table/T/stream/...)")
        return self


LambdaTrigger = Annotated[S3Trigger | SqsTrigger | ScheduleTrigger | StreamTrigger, Field(discriminator="type")]


class FunctionUrl(Part):
    """An HTTPS endpoint of its own for the function (AWS::Lambda::Url)."""

    auth_type: Literal["AWS_IAM", "NONE"] = Field(
        default="AWS_IAM", description="AWS_IAM: signed callers only; NONE: anyone on the internet (flagged)"
    )
    cors_origins: list[Annotated[str, Field(pattern=r"^(?:\*|https?://[\w.-]+(?::\d+)?)$")]] = Field(
        default_factory=list, max_length=10
    )


class LambdaAlias(Part):
    """A published version and an alias pointing at it, optionally with provisioned concurrency."""

    name: str = Field(
        pattern=r"^[a-zA-Z0-9_-]*[a-zA-Z_-][a-zA-Z0-9_-]*$", max_length=128, description="alias name, e.g. live"
    )
    provisioned_concurrency: int | None = Field(default=None, ge=1, le=10000, description="warm execution environments")


# --- SNS / DynamoDB ---------------------------------------------------------------------------------------


FilterValue = Annotated[str, Field(min_length=1, max_length=256)]


class Subscription(Part):
    protocol: Literal["email", "email-json", "https", "sqs", "lambda", "sms"]
    endpoint: str | None = Field(default=None, max_length=2048, description="address, URL or phone number")
    endpoint_ref: Ref | None = Field(default=None, description="sqs_queue or lambda_function in this spec")
    raw_message_delivery: bool = Field(default=False, description="deliver the message body only (sqs, https)")
    filter_policy: dict[Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,128}$")], list[FilterValue]] = Field(
        default_factory=dict, max_length=5, description="message attribute -> the values delivered (exact match)"
    )

    @model_validator(mode="after")
    def _one_endpoint(self) -> Subscription:
        if (self.endpoint is None) == (self.endpoint_ref is None):
            raise ValueError("a subscription needs exactly one of endpoint or endpoint_ref")
        if self.endpoint_ref is not None and self.protocol not in ("sqs", "lambda"):
            raise ValueError("endpoint_ref is for sqs and lambda subscriptions")
        if self.protocol == "https" and self.endpoint and not self.endpoint.startswith("https://"):
            raise ValueError("an https subscription needs an https:// endpoint")
        if self.raw_message_delivery and self.protocol not in ("sqs", "https"):
            raise ValueError("raw message delivery is for sqs and https subscriptions")
        return self


class DeadLetter(Part):
    max_receive_count: int = Field(default=5, ge=1, le=1000, description="receives before a message moves to the DLQ")
    target_arn: Arn | None = Field(default=None, description="an existing queue as the DLQ, by ARN (none is created)")
    retention_s: int = Field(default=1209600, ge=60, le=1209600, description="how long the DLQ keeps messages")


class KeyAttribute(Part):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,255}$", description="attribute name")
    type: Literal["S", "N", "B"] = Field(default="S", description="S string, N number, B binary")


class SecondaryIndex(Part):
    """A global secondary index: its own keys, what it projects, and (provisioned tables) its capacity."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{3,255}$", description="index name")
    partition_key: KeyAttribute
    sort_key: KeyAttribute | None = None
    projection: Literal["ALL", "KEYS_ONLY", "INCLUDE"] = "ALL"
    non_key_attributes: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,255}$")]] = Field(
        default_factory=list, max_length=20, description="INCLUDE only: the attributes copied into the index"
    )

    @model_validator(mode="after")
    def _include_ok(self) -> SecondaryIndex:
        if (self.projection == "INCLUDE") != bool(self.non_key_attributes):
            raise ValueError("an INCLUDE projection names its non-key attributes (and only INCLUDE does)")
        return self
