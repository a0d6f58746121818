"""EC2: instances (IMDSv2 only, encrypted root volume, monitoring, SSM instead of SSH), security groups
(rules as separate resources so groups may refer to each other), and encrypted EBS volumes.

A security group the request puts in no VPC goes to the region's default VPC.  Terraform names it
(``data.aws_vpc.default``) and applies the spec's egress rules.  CloudFormation can only replace AWS's
default egress rule (all outbound) when the group names its VPC (cfn-lint E3021; AWS: "SecurityGroupEgress
cannot be specified without VpcId"), and no public parameter or intrinsic gives the default VPC's id, so the
template takes it as the optional parameter ``DefaultVpcId``: given, the group gets the spec's egress rules;
left empty (the default, so the template deploys as is), it keeps AWS's default egress.

Physical names are the same in both formats: a group is named after the spec (``security_group_name``), an
instance's role and instance profile ``<name>-ec2-<region>`` (``role_name``: IAM names are account-wide).  A
named group cannot be replaced in place, so a change that needs replacement (its VPC, its description) needs
a new name, as for queues and tables.
"""

from __future__ import annotations

from typing import Any

from gate.spec import EbsVolume, Ec2Instance, SecurityGroup, SecurityGroupRule
from gate.synth.common import assume_role_policy, cfn_tags, role_name, security_group_name, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.existing import cfn_groups, cfn_subnets, tf_groups, tf_key, tf_subnets
from gate.synth.hcl import Block, JsonEncode, Raw, Value, ref, tf_name

SSM_CORE = "AmazonSSMManagedInstanceCore"


def _instance_ids(res: Ec2Instance) -> list[str]:
    base = logical_id(res.name)
    return [f"{base}Instance{i if res.count > 1 else ''}" for i in range(1, res.count + 1)]


class Ec2InstanceSynth:
    kind = "ec2_instance"

    def refs(self, res: Ec2Instance, ctx: SynthContext) -> Refs:
        ids = _instance_ids(res)
        tid = tf_name(res.name)
        tf_ids: list[Value] = [Raw(f"aws_instance.{tid}[{i}].id") for i in range(res.count)]
        return Refs(
            cfn={
                "id": {"Ref": ids[0]},
                "ids": [{"Ref": i} for i in ids],
                "az": {"Fn::GetAtt": [ids[0], "AvailabilityZone"]},
                "alarm_dimensions": [{"InstanceId": {"Ref": i}} for i in ids],
            },
            tf={
                "id": tf_ids[0],
                "ids": tf_ids,
                "az": Raw(f"aws_instance.{tid}[0].availability_zone"),
                "alarm_dimensions": [{"InstanceId": i} for i in tf_ids],
            },
        )

    def cloudformation(self, res: Ec2Instance, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        base = logical_id(res.name)
        ami_param = f"{base}AmiId"
        if res.ami_id is None:
            ctx.parameters[ami_param] = {
                "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                "Default": res.ami_ssm_parameter,
                "Description": f"AMI for {res.name} (resolved from SSM at deploy time)",
            }
        out: dict[str, dict[str, Any]] = {}
        profile_id = f"{base}InstanceProfile"
        if res.instance_role_ref:
            role = ctx.cfn(res.instance_role_ref, "iam_role", res.name, "id")
        else:
            role_id = f"{base}InstanceRole"
            out[role_id] = {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": role_name(res.name, "ec2", ctx.region),  # as in Terraform
                    "Description": f"Instance role for {res.name}: Systems Manager access only",
                    "AssumeRolePolicyDocument": assume_role_policy("ec2.amazonaws.com"),
                    "ManagedPolicyArns": [{"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/{SSM_CORE}"}],
                    "Tags": cfn_tags(res),
                },
            }
            role = {"Ref": role_id}
        out[profile_id] = {
            "Type": "AWS::IAM::InstanceProfile",
            "Properties": {"InstanceProfileName": role_name(res.name, "ec2", ctx.region), "Roles": [role]},
        }
        subnets = cfn_subnets(res, ctx)
        groups = cfn_groups(res, ctx)
        for index, instance_id in enumerate(_instance_ids(res)):
            label = _label(res, index)
            props: dict[str, Any] = {
                "InstanceType": res.instance_type,
                "ImageId": res.ami_id or {"Ref": ami_param},
                "IamInstanceProfile": {"Ref": profile_id},
                "Monitoring": True,
                "EbsOptimized": True,
                "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 1},
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
            }
            if subnets or res.public_ip:
                nic: dict[str, Any] = {"DeviceIndex": "0", "AssociatePublicIpAddress": res.public_ip}
                if subnets:
                    nic["SubnetId"] = subnets[index % len(subnets)]
                if groups:
                    nic["GroupSet"] = groups
                props["NetworkInterfaces"] = [nic]
            elif groups:
                props["SecurityGroupIds"] = groups
            if res.key_name:
                props["KeyName"] = res.key_name
            if res.termination_protection:
                props["DisableApiTermination"] = True
            if res.availability_zone:
                props["AvailabilityZone"] = res.availability_zone
            if res.user_data:
                props["UserData"] = {"Fn::Base64": res.user_data}
            props["Tags"] = cfn_tags(res, {"Name": label})
            out[instance_id] = {"Type": "AWS::EC2::Instance", "Properties": props}
            ctx.outputs[f"{instance_id}Id"] = {"Description": f"Instance id of {label}", "Value": {"Ref": instance_id}}
        return out

    def terraform(self, res: Ec2Instance, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        ami: Value = res.ami_id or ""
        if res.ami_id is None:
            ctx.data(
                f"ami:{res.ami_ssm_parameter}",
                Block("data", ("aws_ssm_parameter", tf_name(res.name, "ami"))).attr("name", res.ami_ssm_parameter),
            )
            ami = ref("data.aws_ssm_parameter", ctx.tf_data[f"ami:{res.ami_ssm_parameter}"].labels[1], "value")
        out: list[Block] = []
        if res.instance_role_ref:
            role = ctx.tf(res.instance_role_ref, "iam_role", res.name, "name")
        else:
            out.append(
                Block("resource", ("aws_iam_role", tf_name(res.name, "instance"))).attrs(
                    name=role_name(res.name, "ec2", ctx.region),
                    description=f"Instance role for {res.name}: Systems Manager access only",
                    assume_role_policy=JsonEncode(assume_role_policy("ec2.amazonaws.com")),
                    tags=tf_tags(res),
                )
            )
            out.append(
                Block("resource", ("aws_iam_role_policy_attachment", tf_name(res.name, "ssm"))).attrs(
                    role=ref("aws_iam_role", tf_name(res.name, "instance"), "name"),
                    policy_arn=f"arn:aws:iam::aws:policy/{SSM_CORE}",
                )
            )
            role = ref("aws_iam_role", tf_name(res.name, "instance"), "name")
        out.append(
            Block("resource", ("aws_iam_instance_profile", tid)).attrs(
                name=role_name(res.name, "ec2", ctx.region), role=role
            )
        )
        inst = Block("resource", ("aws_instance", tid)).attrs(
            count=res.count,
            ami=ami,
            instance_type=res.instance_type,
            iam_instance_profile=ref("aws_iam_instance_profile", tid, "name"),
            monitoring=True,
            ebs_optimized=True,
            associate_public_ip_address=res.public_ip,
        )
        if res.termination_protection:
            inst.attr("disable_api_termination", True)
        subnets = tf_subnets(res, ctx)
        if subnets and len(subnets) == 1:
            inst.attr("subnet_id", subnets[0])
        elif subnets:
            listed = ", ".join(s.text if isinstance(s, Raw) else f'"{s}"' for s in subnets)
            inst.attr("subnet_id", Raw(f"element([{listed}], count.index)"))
        if groups := tf_groups(res, ctx):
            inst.attr("vpc_security_group_ids", groups)
        inst.attrs(key_name=res.key_name, user_data=res.user_data, availability_zone=res.availability_zone)
        inst.block("metadata_options").attrs(
            http_tokens="required", http_endpoint="enabled", http_put_response_hop_limit=1
        )
        inst.block("root_block_device").attrs(
            volume_size=res.root_volume_gb, volume_type=res.root_volume_type, encrypted=True, delete_on_termination=True
        )
        name: Value = Raw(f'"{res.name}-${{count.index + 1}}"') if res.count > 1 else res.name
        if res.instance_names:
            name = Raw("[" + ", ".join(f'"{n}"' for n in res.instance_names) + "][count.index]")
        inst.attr("tags", {**tf_tags(res), "Name": name})
        out.append(inst)
        return out


def _cfn_rule(rule: SecurityGroupRule, ctx: SynthContext, owner: str, ingress: bool) -> dict[str, Any]:
    first, last = rule.ports
    out: dict[str, Any] = {
        "IpProtocol": "-1" if rule.protocol == "all" else rule.protocol,
        "Description": rule.description,
    }
    if rule.protocol != "all":
        out.update(FromPort=first, ToPort=last)
    if rule.cidr:
        out["CidrIp"] = rule.cidr
    elif rule.source_group_ref:
        peer = ctx.cfn(rule.source_group_ref, "security_group", owner, "id")
        out["SourceSecurityGroupId" if ingress else "DestinationSecurityGroupId"] = peer
    elif rule.source_group_id:
        out["SourceSecurityGroupId" if ingress else "DestinationSecurityGroupId"] = rule.source_group_id
    return out


DEFAULT_VPC_PARAM = "DefaultVpcId"
HAS_DEFAULT_VPC = "HasDefaultVpcId"
DEFAULT_VPC_PARAMETER: dict[str, Any] = {
    "Type": "String",
    "Default": "",
    "AllowedPattern": "^(vpc-[0-9a-f]{8,17})?$",
    "Description": "Id of the region's default VPC, for security groups the request puts in no VPC: given, they "
    "get the requested egress rules; empty, they keep AWS's default egress rule (all outbound)",
}


def _attached_here(res: SecurityGroup, ctx: SynthContext) -> bool:
    """True when a resource of this change uses the group (instances, functions, databases)."""
    return any(res.name in getattr(other, "security_group_refs", ()) for other in ctx.spec.resources)


NO_EGRESS = SecurityGroupRule(protocol="icmp", from_port=-1, to_port=-1, cidr="127.0.0.1/32", description="no egress")


class SecurityGroupSynth:
    kind = "security_group"

    def refs(self, res: SecurityGroup, ctx: SynthContext) -> Refs:
        gid, tid = logical_id(res.name, "SecurityGroup"), tf_name(res.name)
        return Refs(
            cfn={"id": {"Fn::GetAtt": [gid, "GroupId"]}},
            tf={"id": ref("aws_security_group", tid, "id"), "arn": ref("aws_security_group", tid, "arn")},
        )

    def cloudformation(self, res: SecurityGroup, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        gid = logical_id(res.name, "SecurityGroup")
        props: dict[str, Any] = {"GroupName": security_group_name(res), "GroupDescription": res.description}
        inline_in = [r for r in res.ingress if r.cidr or r.source_group_id]
        inline_out = [r for r in res.egress if r.cidr or r.source_group_id] or ([NO_EGRESS] if not res.egress else [])
        egress = [_cfn_rule(r, ctx, res.name, False) for r in inline_out]
        if res.vpc_ref:
            props["VpcId"] = ctx.cfn(res.vpc_ref, "vpc", res.name, "id")
        elif res.vpc_id:
            props["VpcId"] = res.vpc_id
        else:
            ctx.parameters.setdefault(DEFAULT_VPC_PARAM, DEFAULT_VPC_PARAMETER)
            ctx.conditions.setdefault(HAS_DEFAULT_VPC, {"Fn::Not": [{"Fn::Equals": [{"Ref": DEFAULT_VPC_PARAM}, ""]}]})
            props["VpcId"] = {"Fn::If": [HAS_DEFAULT_VPC, {"Ref": DEFAULT_VPC_PARAM}, {"Ref": "AWS::NoValue"}]}
        if inline_in:
            props["SecurityGroupIngress"] = [_cfn_rule(r, ctx, res.name, True) for r in inline_in]
        props["SecurityGroupEgress"] = (
            egress if res.vpc_ref or res.vpc_id else {"Fn::If": [HAS_DEFAULT_VPC, egress, {"Ref": "AWS::NoValue"}]}
        )
        props["Tags"] = cfn_tags(res)
        out: dict[str, dict[str, Any]] = {gid: {"Type": "AWS::EC2::SecurityGroup", "Properties": props}}
        for kind, rules, ingress in (("Ingress", res.ingress, True), ("Egress", res.egress, False)):
            for i, rule in enumerate(r for r in rules if r.source_group_ref):
                body = {"GroupId": {"Fn::GetAtt": [gid, "GroupId"]}, **_cfn_rule(rule, ctx, res.name, ingress)}
                out[f"{gid}{kind}{i + 1}"] = {"Type": f"AWS::EC2::SecurityGroup{kind}", "Properties": body}
        return out

    def terraform(self, res: SecurityGroup, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        skips = [] if _attached_here(res, ctx) else tf_skips("CKV2_AWS_5")
        sg = Block("resource", ("aws_security_group", tid), [*skips]).attrs(
            name=security_group_name(res), description=res.description
        )
        if res.vpc_ref:
            sg.attr("vpc_id", ctx.tf(res.vpc_ref, "vpc", res.name, "id"))
        elif res.vpc_id:
            sg.attr("vpc_id", res.vpc_id)
        else:
            ctx.data("vpc:default", Block("data", ("aws_vpc", "default")).attr("default", True))
            sg.attr("vpc_id", ref("data.aws_vpc", "default", "id"))
        sg.attr("tags", tf_tags(res))
        out = [sg]
        for kind, rules in (("ingress", res.ingress), ("egress", res.egress)):
            for i, rule in enumerate(rules):
                block = Block("resource", (f"aws_vpc_security_group_{kind}_rule", f"{tid}_{kind}_{i + 1}"))
                block.attrs(security_group_id=ref("aws_security_group", tid, "id"), description=rule.description)
                block.attr("ip_protocol", "-1" if rule.protocol == "all" else rule.protocol)
                if rule.protocol != "all":
                    block.attrs(from_port=rule.ports[0], to_port=rule.ports[1])
                if rule.cidr:
                    block.attr("cidr_ipv4", rule.cidr)
                elif rule.source_group_ref:
                    peer = ctx.tf(rule.source_group_ref, "security_group", res.name, "id")
                    block.attr("referenced_security_group_id", peer)
                elif rule.source_group_id:
                    block.attr("referenced_security_group_id", rule.source_group_id)
                out.append(block)
        return out


class EbsVolumeSynth:
    kind = "ebs_volume"

    def refs(self, res: EbsVolume, ctx: SynthContext) -> Refs:
        vid, tid = logical_id(res.name, "Volume"), tf_name(res.name)
        return Refs(
            cfn={"id": {"Ref": vid}, "alarm_dimensions": [{"VolumeId": {"Ref": vid}}]},
            tf={
                "id": ref("aws_ebs_volume", tid, "id"),
                "arn": ref("aws_ebs_volume", tid, "arn"),
                "alarm_dimensions": [{"VolumeId": ref("aws_ebs_volume", tid, "id")}],
            },
        )

    def _perf(self, res: EbsVolume) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if res.iops and res.volume_type in ("gp3", "io1", "io2"):
            out["iops"] = res.iops
        if res.throughput_mbps and res.volume_type == "gp3":
            out["throughput"] = res.throughput_mbps
        return out

    def cloudformation(self, res: EbsVolume, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        vid = logical_id(res.name, "Volume")
        az: Any = res.availability_zone or {"Fn::Select": [res.availability_zone_index, {"Fn::GetAZs": ""}]}
        if res.instance_ref:
            az = ctx.cfn(res.instance_ref, "ec2_instance", res.name, "az")
        props: dict[str, Any] = {
            "AvailabilityZone": az,
            "Size": res.size_gb,
            "VolumeType": res.volume_type,
            "Encrypted": True,
            **({"SnapshotId": res.snapshot_id} if res.snapshot_id else {}),
        }
        perf = self._perf(res)
        if "iops" in perf:
            props["Iops"] = perf["iops"]
        if "throughput" in perf:
            props["Throughput"] = perf["throughput"]
        if res.kms_key_arn:
            props["KmsKeyId"] = res.kms_key_arn
        props["Tags"] = cfn_tags(res, {"Name": res.name})
        out: dict[str, dict[str, Any]] = {
            vid: {
                "Type": "AWS::EC2::Volume",
                "DeletionPolicy": "Snapshot",
                "UpdateReplacePolicy": "Snapshot",
                "Properties": props,
            }
        }
        if res.instance_ref or res.instance_id:
            instance = res.instance_id or ctx.cfn(str(res.instance_ref), "ec2_instance", res.name, "id")
            out[f"{vid}Attachment"] = {
                "Type": "AWS::EC2::VolumeAttachment",
                "Properties": {"Device": res.device_name, "VolumeId": {"Ref": vid}, "InstanceId": instance},
            }
        return out

    def terraform(self, res: EbsVolume, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        if res.instance_ref:
            az = ctx.tf(res.instance_ref, "ec2_instance", res.name, "az")
        elif res.availability_zone:
            az = res.availability_zone
        else:
            ctx.data("azs", Block("data", ("aws_availability_zones", "available")).attr("state", "available"))
            az = Raw(f"data.aws_availability_zones.available.names[{res.availability_zone_index}]")
        vol = Block("resource", ("aws_ebs_volume", tid)).attrs(
            availability_zone=az,
            size=res.size_gb,
            type=res.volume_type,
            encrypted=True,
            kms_key_id=tf_key(res.kms_key_arn, ctx),
            snapshot_id=res.snapshot_id,
            **self._perf(res),
        )
        vol.attr("tags", tf_tags(res, {"Name": res.name}))
        vol.block("lifecycle").attr("prevent_destroy", True)
        out = [vol]
        if res.instance_ref or res.instance_id:
            instance = res.instance_id or ctx.tf(str(res.instance_ref), "ec2_instance", res.name, "id")
            out.append(
                Block("resource", ("aws_volume_attachment", tid)).attrs(
                    device_name=res.device_name, volume_id=ref("aws_ebs_volume", tid, "id"), instance_id=instance
                )
            )
        return out


def _label(res: Ec2Instance, index: int) -> str:
    """The Name tag of instance ``index``: as the request names it, else the spec name (numbered when several)."""
    if res.instance_names:
        return res.instance_names[index]
    return f"{res.name}-{index + 1}" if res.count > 1 else res.name
