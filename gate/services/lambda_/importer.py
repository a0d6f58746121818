"""Lambda functions: runtime, handler, memory, timeout, architecture, environment, role (a reference when the
role is imported too), queue triggers (event source mappings). The code itself cannot be read back as its
source location, so a function is imported as kept-as-is (not managed by the spec)."""

from __future__ import annotations

from typing import Any

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, call, cfn_tags, pages
from gate.synth.hcl import Block, Comment, Raw

CODE_BUCKET = "replace-with-the-code-bucket"
CODE_NOTE = (
    "the deployed package cannot be read back as its S3 location: the template names a placeholder (write-only "
    "for an import, never compared); put the real bucket and key before changing the function"
)


class _Lambda:
    service = "lambda"
    import_order = 120  # after roles, subnets, security groups, queues and tables
    cfn_type = "AWS::Lambda::Function"
    tf_type = "aws_lambda_function"
    logical_suffix = "Function"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        client = target.client("lambda")
        found = []
        for fn in pages(target, client, "list_functions", "Functions"):
            name = str(fn["FunctionName"])
            if not wanted(name):
                continue
            doing = f"reading Lambda function {name}"
            full = call(target, doing, client.get_function, FunctionName=name)
            config = full["Configuration"]
            data = {"config": config}
            tags = {str(k): str(v) for k, v in (full.get("Tags") or {}).items()}
            found.append(Live("lambda", "lambda_function", name, str(config["FunctionArn"]), name, tags, data))
        return found

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        config = live.data["config"]
        props: dict[str, Any] = {
            "FunctionName": live.physical_id,
            "Role": links.cfn(str(config["Role"]), "Arn"),
            "Code": {"S3Bucket": CODE_BUCKET, "S3Key": f"{live.physical_id}.zip"},
        }
        for key in ("Runtime", "Handler", "MemorySize", "Timeout", "Description"):
            if config.get(key) not in (None, ""):
                props[key] = config[key]
        if config.get("Architectures"):
            props["Architectures"] = config["Architectures"]
        env = (config.get("Environment") or {}).get("Variables")
        if env:
            props["Environment"] = {"Variables": dict(env)}
        if (config.get("TracingConfig") or {}).get("Mode"):
            props["TracingConfig"] = {"Mode": config["TracingConfig"]["Mode"]}
        vpc = config.get("VpcConfig") or {}
        if vpc.get("SubnetIds"):
            props["VpcConfig"] = {
                "SubnetIds": [links.cfn(s) for s in vpc["SubnetIds"]],
                "SecurityGroupIds": [links.cfn(g) for g in vpc.get("SecurityGroupIds", [])],
            }
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        return Cfn(self.cfn_type, props, {"FunctionName": live.physical_id}, frozenset())

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        return SpecResult(None, {"*": "kept as imported: " + CODE_NOTE, "Code": CODE_NOTE})

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        config = live.data["config"]
        block = Block("resource", ("aws_lambda_function", tf_name)).attrs(
            function_name=live.physical_id,
            role=links.tf(str(config["Role"]), "arn"),
            runtime=config.get("Runtime"),
            handler=config.get("Handler"),
            memory_size=config.get("MemorySize"),
            timeout=config.get("Timeout"),
            architectures=config.get("Architectures") or None,
            description=config.get("Description") or None,
            s3_bucket=CODE_BUCKET,
            s3_key=f"{live.physical_id}.zip",
        )
        env = (config.get("Environment") or {}).get("Variables")
        if env:
            block.block("environment").attr("variables", dict(env))
        vpc = config.get("VpcConfig") or {}
        if vpc.get("SubnetIds"):
            block.block("vpc_config").attrs(
                subnet_ids=[links.tf(s) for s in vpc["SubnetIds"]],
                security_group_ids=[links.tf(g) for g in vpc.get("SecurityGroupIds", [])],
            )
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        block.body.append(Comment("the code is not read back: the placeholder never replaces the deployed code"))
        block.block("lifecycle").attr("ignore_changes", [Raw("s3_bucket"), Raw("s3_key"), Raw("publish")])
        return Tf([(block, live.physical_id)])


READER = _Lambda()


class _Trigger:
    """A function's trigger (event source mapping: an SQS queue, a DynamoDB or Kinesis stream)."""

    service = "lambda-trigger"
    import_order = 130  # last: after the functions and the queues and streams it joins
    cfn_type = "AWS::Lambda::EventSourceMapping"
    tf_type = "aws_lambda_event_source_mapping"
    logical_suffix = "Trigger"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        client = target.client("lambda")
        found = []
        for mapping in pages(target, client, "list_event_source_mappings", "EventSourceMappings"):
            uuid = str(mapping["UUID"])
            function = str(mapping.get("FunctionArn", "")).split(":")[6] if mapping.get("FunctionArn") else uuid
            source = str(mapping.get("EventSourceArn", "")).rsplit(":", 1)[-1].rsplit("/", 1)[-1]
            arn = str(mapping.get("EventSourceMappingArn") or "") or None
            if wanted(f"{function}-from-{source}"):
                found.append(Live(self.service, "lambda_trigger", uuid, arn, f"{function}-from-{source}", {}, mapping))
        return found

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        data = live.data
        props: dict[str, Any] = {
            "FunctionName": links.cfn(str(data["FunctionArn"])),
            "EventSourceArn": links.cfn(str(data["EventSourceArn"]), "Arn"),
        }
        if data.get("BatchSize"):
            props["BatchSize"] = int(data["BatchSize"])
        if data.get("State"):
            props["Enabled"] = data["State"] not in ("Disabled", "Disabling")
        if data.get("StartingPosition"):
            props["StartingPosition"] = data["StartingPosition"]
        return Cfn(self.cfn_type, props, {"Id": live.physical_id}, frozenset())

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        return SpecResult(None, {"*": "kept as imported with its function (the spec holds triggers on functions)"})

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        data = live.data
        block = Block("resource", (self.tf_type, tf_name)).attrs(
            function_name=links.tf(str(data["FunctionArn"]), "function_name"),
            event_source_arn=links.tf(str(data["EventSourceArn"]), "arn"),
            batch_size=int(data["BatchSize"]) if data.get("BatchSize") else None,
            starting_position=data.get("StartingPosition"),
        )
        if data.get("State"):
            block.attr("enabled", data["State"] not in ("Disabled", "Disabling"))
        return Tf([(block, live.physical_id)])


TRIGGER_READER = _Trigger()
