"""A function's published version and alias (with provisioned concurrency), and its function URL, in both formats.

The alias points at the version published with this template; a later code change publishes a new version only
when the template changes the version resource (CloudFormation) or ``publish`` is on (Terraform).  A function URL
is ``AWS_IAM`` (signed callers) unless the request asks for ``NONE``: then anyone on the internet may invoke it,
which the policies flag (GATE-LAMBDA-002) and the reviewer must accept.
"""

from __future__ import annotations

from typing import Any

from gate.spec import LambdaFunction
from gate.synth.context import SynthContext, logical_id
from gate.synth.hcl import Block, Value, ref, tf_name


def cloudformation(res: LambdaFunction, ctx: SynthContext) -> dict[str, dict[str, Any]]:
    fid = logical_id(res.name, "Function")
    out: dict[str, dict[str, Any]] = {}
    target: Any = {"Ref": fid}
    if res.alias:
        version_id, alias_id = f"{fid}Version", f"{fid}Alias"
        out[version_id] = {
            "Type": "AWS::Lambda::Version",
            "Properties": {"FunctionName": {"Ref": fid}, "Description": f"published by devops-gate for {res.name}"},
        }
        props: dict[str, Any] = {
            "FunctionName": {"Ref": fid},
            "FunctionVersion": {"Fn::GetAtt": [version_id, "Version"]},
            "Name": res.alias.name,
        }
        if res.alias.provisioned_concurrency:
            props["ProvisionedConcurrencyConfig"] = {
                "ProvisionedConcurrentExecutions": res.alias.provisioned_concurrency
            }
        out[alias_id] = {"Type": "AWS::Lambda::Alias", "Properties": props}
        target = {"Ref": alias_id}
    if res.url:
        url_id = f"{fid}Url"
        url_props: dict[str, Any] = {"TargetFunctionArn": {"Fn::GetAtt": [fid, "Arn"]}, "AuthType": res.url.auth_type}
        if res.alias:
            url_props["Qualifier"] = res.alias.name
        if res.url.cors_origins:
            url_props["Cors"] = {"AllowOrigins": list(res.url.cors_origins)}
        out[url_id] = {"Type": "AWS::Lambda::Url", "Properties": url_props}
        if res.alias:
            out[url_id]["DependsOn"] = [f"{fid}Alias"]
        if res.url.auth_type == "NONE":  # a public URL needs a resource policy that lets anyone call it
            out[f"{url_id}Permission"] = {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunctionUrl",
                    "FunctionName": target,
                    "Principal": "*",
                    "FunctionUrlAuthType": "NONE",
                },
            }
        ctx.outputs[f"{url_id}Endpoint"] = {
            "Description": f"function URL of {res.name}",
            "Value": {"Fn::GetAtt": [url_id, "FunctionUrl"]},
        }
    return out


def terraform(res: LambdaFunction, ctx: SynthContext) -> list[Block]:
    tid = tf_name(res.name)
    fn_name = ref("aws_lambda_function", tid, "function_name")
    out: list[Block] = []
    qualifier: Value = None
    if res.alias:
        out.append(
            Block("resource", ("aws_lambda_alias", tid)).attrs(
                name=res.alias.name, function_name=fn_name, function_version=ref("aws_lambda_function", tid, "version")
            )
        )
        qualifier = ref("aws_lambda_alias", tid, "name")
        if res.alias.provisioned_concurrency:
            out.append(
                Block("resource", ("aws_lambda_provisioned_concurrency_config", tid)).attrs(
                    function_name=fn_name,
                    qualifier=qualifier,
                    provisioned_concurrent_executions=res.alias.provisioned_concurrency,
                )
            )
    if res.url:
        url = Block("resource", ("aws_lambda_function_url", tid)).attrs(
            function_name=fn_name, qualifier=qualifier, authorization_type=res.url.auth_type
        )
        if res.url.cors_origins:
            url.block("cors").attr("allow_origins", list[Value](res.url.cors_origins))
        out.append(url)
        if res.url.auth_type == "NONE":
            out.append(
                Block("resource", ("aws_lambda_permission", f"{tid}_url")).attrs(
                    action="lambda:InvokeFunctionUrl",
                    function_name=fn_name,
                    qualifier=qualifier,
                    principal="*",
                    function_url_auth_type="NONE",
                )
            )
    return out
