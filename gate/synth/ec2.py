"""EC2 instances: IMDSv2 only, encrypted gp3 root volume, detailed monitoring, SSM access instead of SSH."""

from __future__ import annotations

from typing import Any

from gate.spec import Ec2Instance
from gate.synth.common import cfn_tags
from gate.synth.context import SynthContext, logical_id


class Ec2InstanceSynth:
    kind = "ec2_instance"

    def cloudformation(self, res: Ec2Instance, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        base = logical_id(res.name)
        ami_param = f"{base}AmiId"
        ctx.parameters[ami_param] = {
            "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
            "Default": res.ami_ssm_parameter,
            "Description": f"AMI for {res.name} (resolved from SSM at deploy time)",
        }
        role_id, profile_id = f"{base}InstanceRole", f"{base}InstanceProfile"
        out: dict[str, dict[str, Any]] = {
            role_id: {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "Description": f"Instance role for {res.name}: Systems Manager access only",
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "ec2.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                    "ManagedPolicyArns": [
                        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"}
                    ],
                    "Tags": cfn_tags(res),
                },
            },
            profile_id: {"Type": "AWS::IAM::InstanceProfile", "Properties": {"Roles": [{"Ref": role_id}]}},
        }
        for index in range(1, res.count + 1):
            instance_id = f"{base}Instance{index if res.count > 1 else ''}"
            label = f"{res.name}-{index}" if res.count > 1 else res.name
            props: dict[str, Any] = {
                "InstanceType": res.instance_type,
                "ImageId": {"Ref": ami_param},
                "IamInstanceProfile": {"Ref": profile_id},
                "Monitoring": True,
                "EbsOptimized": True,
                "MetadataOptions": {
                    "HttpTokens": "required",
                    "HttpEndpoint": "enabled",
                    "HttpPutResponseHopLimit": 1,
                },
                "BlockDeviceMappings": [
                    {
                        "DeviceName": "/dev/xvda",
                        "Ebs": {
                            "VolumeSize": res.root_volume_gb,
                            "VolumeType": res.root_volume_type,
                            "Encrypted": True,
                            "DeleteOnTermination": True,
                        },
                    }
                ],
                "Tags": cfn_tags(res, {"Name": label}),
            }
            if res.key_name:
                props["KeyName"] = res.key_name
            if res.user_data:
                props["UserData"] = {"Fn::Base64": res.user_data}
            out[instance_id] = {"Type": "AWS::EC2::Instance", "Properties": props}
            ctx.outputs[f"{instance_id}Id"] = {
                "Description": f"Instance id of {label}",
                "Value": {"Ref": instance_id},
            }
        return out
