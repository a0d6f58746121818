"""CloudFormation and Terraform resources -> :class:`Priceable`: one kind and the few attributes that set
its price, named the same for both formats, so each pricing rule is written once.

A value the template only knows at deploy time (``!GetAtt``, ``${aws_x.y.z}``, an SSM parameter) becomes
:class:`Unresolved`; the rule then reports the resource as not estimated, naming the field.
"""

from __future__ import annotations

import re
from typing import Any

from gate.cost.priceable import Priceable, Unresolved
from gate.services import CATALOG

__all__ = ["CFN_KINDS", "FREE_TYPES", "TF_KINDS", "Priceable", "Unresolved", "from_cloudformation", "from_terraform"]

# The resource types the estimator knows, per format -> kind (rules.py prices each kind): the catalogue's
# services, then the ones priced here without being in the catalogue (rules.py says which).
CFN_KINDS: dict[str, str] = {
    **{t: rule.kind for service in CATALOG.values() for rule in service.pricing.rules for t in rule.cfn_types},
    "AWS::RDS::DBCluster": "rds-cluster",
    "AWS::EKS::Cluster": "eks",
    "AWS::EKS::Nodegroup": "eks-nodegroup",
    "AWS::Neptune::DBInstance": "neptune",
    "AWS::Neptune::DBCluster": "neptune-cluster",
    "AWS::OpenSearchService::Domain": "opensearch",
    "AWS::Elasticsearch::Domain": "opensearch",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "lb",
    "AWS::KMS::Key": "kms",
    "AWS::SecretsManager::Secret": "secret",
    "AWS::SSM::Parameter": "ssm-parameter",
    "AWS::CloudFormation::Stack": "nested-stack",
    "AWS::CloudFormation::StackSet": "nested-stack",
}
TF_KINDS: dict[str, str] = {
    **{t: rule.kind for service in CATALOG.values() for rule in service.pricing.rules for t in rule.tf_types},
    "aws_rds_cluster": "rds-cluster",
    "aws_eks_cluster": "eks",
    "aws_eks_node_group": "eks-nodegroup",
    "aws_neptune_cluster_instance": "neptune",
    "aws_neptune_cluster": "neptune-cluster",
    "aws_opensearch_domain": "opensearch",
    "aws_elasticsearch_domain": "opensearch",
    "aws_lb": "lb",
    "aws_alb": "lb",
    "aws_kms_key": "kms",
    "aws_secretsmanager_secret": "secret",
    "aws_ssm_parameter": "ssm-parameter",
    "aws_cloudformation_stack": "nested-stack",
    "aws_cloudformation_stack_set": "nested-stack",
}
# Resources that cost nothing by themselves (their traffic or contents are billed elsewhere).  Not the
# AWS::CloudFormation:: namespace as a whole: a nested stack costs what its own resources cost.
FREE_PREFIXES = tuple(prefix for service in CATALOG.values() for prefix in service.pricing.free_prefixes)
FREE_TYPES = frozenset(
    {t for service in CATALOG.values() for t in service.pricing.free}
    | {
        "AWS::KMS::Alias", "AWS::CloudFormation::WaitCondition", "AWS::CloudFormation::WaitConditionHandle",
        "AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::TargetGroup",
        "aws_kms_alias", "aws_lb_listener", "aws_lb_target_group", "aws_lb_target_group_attachment",
    }
)  # fmt: skip


def kind_of(rtype: str) -> str:
    if rtype in FREE_TYPES or rtype.startswith(FREE_PREFIXES):
        return "free"
    return CFN_KINDS.get(rtype) or TF_KINDS.get(rtype) or "unknown"


# ---- CloudFormation ------------------------------------------------------------------------------------------

_CFN_FIELDS: dict[str, dict[str, str]] = {
    **{rule.kind: dict(rule.cfn_fields) for service in CATALOG.values() for rule in service.pricing.rules},
    "rds-cluster": {"engine": "Engine"},
    "neptune": {"instance_class": "DBInstanceClass"},
    "lb": {"lb_type": "Type"},
    "ssm-parameter": {"tier": "Tier", "policies": "Policies", "value": "Value"},
}


def from_cloudformation(template: dict[str, Any]) -> list[Priceable]:
    params = template.get("Parameters") or {}
    out: list[Priceable] = []
    for logical_id, body in (template.get("Resources") or {}).items():
        body = body if isinstance(body, dict) else {}
        rtype = str(body.get("Type", "?"))
        props = body.get("Properties") or {}
        props = props if isinstance(props, dict) else {}
        kind = kind_of(rtype)
        attrs = {name: _cfn_value(props.get(prop), params) for name, prop in _CFN_FIELDS.get(kind, {}).items()}
        if kind == "ec2":
            attrs["count"] = 1.0
            attrs["volumes"] = _cfn_volumes(props.get("BlockDeviceMappings"), params)
            attrs["root_declared"] = bool(attrs["volumes"])
        elif kind == "rds":
            attrs["source"] = _cfn_target(props.get("SourceDBInstanceIdentifier"))
        elif kind == "lambda-provisioned":  # an alias: its provisioned concurrency is one level down
            config = props.get("ProvisionedConcurrencyConfig")
            found = config.get("ProvisionedConcurrentExecutions") if isinstance(config, dict) else None
            attrs["executions"] = _cfn_value(found, params)
        elif kind == "rds-cluster":
            scaling = props.get("ServerlessV2ScalingConfiguration") or {}
            attrs["serverless_min_acu"] = _cfn_value(scaling.get("MinCapacity"), params) if scaling else None
        elif kind == "eks-nodegroup":
            types = props.get("InstanceTypes")
            attrs["instance_type"] = _cfn_value(types[0], params) if isinstance(types, list) and types else None
            scaling = props.get("ScalingConfig") or {}
            attrs["desired_size"] = _cfn_value(scaling.get("DesiredSize"), params)
            attrs["min_size"] = _cfn_value(scaling.get("MinSize"), params)
        elif kind == "opensearch":
            attrs.update(_search_attrs(props, lambda v: _cfn_value(v, params)))
        elif kind == "dynamodb":
            throughput = props.get("ProvisionedThroughput") or {}
            attrs["rcu"] = _cfn_value(throughput.get("ReadCapacityUnits"), params)
            attrs["wcu"] = _cfn_value(throughput.get("WriteCapacityUnits"), params)
        tags = {
            str(t.get("Key")): str(t.get("Value"))
            for t in props.get("Tags") or []
            if isinstance(t, dict) and isinstance(t.get("Value"), str)
        }
        out.append(Priceable(str(logical_id), rtype, kind, attrs, tags))
    return _inherit_from_sources(out)


_INHERITED = ("engine", "instance_class", "storage_gb", "storage_type")


def _inherit_from_sources(items: list[Priceable]) -> list[Priceable]:
    """A read replica runs its source's engine (and, unless it sets its own, its class and storage): it
    inherits them from the DB instance it replicates when that is in the same file."""
    by_id = {p.logical_id: p for p in items}
    for item in items:
        seen = {item.logical_id}
        source = by_id.get(str(item.attrs.get("source") or ""))
        while source is not None and source.logical_id not in seen:
            for attr in _INHERITED:
                if item.attrs.get(attr) in (None, "") and source.attrs.get(attr) not in (None, ""):
                    item.attrs[attr] = source.attrs[attr]
            seen.add(source.logical_id)
            source = by_id.get(str(source.attrs.get("source") or ""))
    return items


def _cfn_target(value: Any) -> str | None:
    """The logical id a Ref / Fn::GetAtt points to."""
    if isinstance(value, dict) and len(value) == 1:
        key, inner = next(iter(value.items()))
        if key == "Ref" and isinstance(inner, str):
            return inner
        if key == "Fn::GetAtt":
            return str(inner[0] if isinstance(inner, list) and inner else str(inner).split(".", 1)[0])
    return None


_TF_SOURCE = re.compile(r"\$\{(aws_db_instance\.[\w-]+)(?:\[\d+\])?\.\w+\}")


def _cfn_value(value: Any, params: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        if set(value) == {"Ref"} and isinstance(value["Ref"], str):
            param = params.get(value["Ref"])
            if isinstance(param, dict) and "Default" in param and "SSM" not in str(param.get("Type", "")):
                return param["Default"]
        return Unresolved(_short(value))
    return value


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _cfn_volumes(mappings: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    volumes: list[dict[str, Any]] = []
    for mapping in mappings if isinstance(mappings, list) else []:
        ebs = mapping.get("Ebs") if isinstance(mapping, dict) else None
        if not isinstance(ebs, dict):
            continue
        volumes.append(
            {
                "name": str(mapping.get("DeviceName", "volume")),
                "gb": _cfn_value(ebs.get("VolumeSize"), params),
                "type": _cfn_value(ebs.get("VolumeType"), params),
                "iops": _cfn_value(ebs.get("Iops"), params),
                "throughput": _cfn_value(ebs.get("Throughput"), params),
            }
        )
    return volumes


# ---- Terraform -----------------------------------------------------------------------------------------------

_TF_FIELDS: dict[str, dict[str, str]] = {
    **{rule.kind: dict(rule.tf_fields) for service in CATALOG.values() for rule in service.pricing.rules},
    "rds-cluster": {"engine": "engine"},
    "neptune": {"instance_class": "instance_class"},
    "lb": {"lb_type": "load_balancer_type"},
    "ssm-parameter": {"tier": "tier", "value": "value"},
}
_VAR = re.compile(r"^\$\{var\.([A-Za-z0-9_-]+)\}$")


def from_terraform(parsed: dict[str, Any]) -> list[Priceable]:
    """Resources of a Terraform file as parsed by ``hcl2.api.loads`` (values wrapped in one-item lists)."""
    variables: dict[str, Any] = {}
    for block in parsed.get("variable", []):
        for name, body in block.items():
            if isinstance(body, dict) and "default" in body:
                variables[name] = _unwrap(body["default"])
    out: list[Priceable] = []
    for block in parsed.get("resource", []):
        for rtype, instances in block.items():
            for name, body in instances.items():
                body = {k: _unwrap(v) for k, v in body.items() if not k.startswith("__")}
                kind = kind_of(rtype)
                attrs = {a: _tf_value(body.get(k), variables) for a, k in _TF_FIELDS.get(kind, {}).items()}
                if kind == "ec2":
                    count = _tf_value(body.get("count", 1), variables)
                    attrs["count"] = count if isinstance(count, Unresolved) else float(count)
                    attrs["volumes"] = _tf_volumes(body, variables)
                    attrs["root_declared"] = bool(body.get("root_block_device"))
                elif kind == "rds":
                    source = _TF_SOURCE.match(str(body.get("replicate_source_db") or ""))
                    attrs["source"] = source.group(1) if source else None
                elif kind == "rds-cluster":
                    scaling = body.get("serverlessv2_scaling_configuration")
                    first = scaling[0] if isinstance(scaling, list) and scaling else {}
                    attrs["serverless_min_acu"] = _tf_value(first.get("min_capacity"), variables) if first else None
                elif kind == "eks-nodegroup":
                    types = body.get("instance_types")
                    # a one-item list arrives unwrapped: ["m5.large"] is "m5.large" here
                    first_type = types[0] if isinstance(types, list) and types else types
                    attrs["instance_type"] = _tf_value(first_type, variables)
                    scaling = body.get("scaling_config")
                    first = scaling[0] if isinstance(scaling, list) and scaling else {}
                    attrs["desired_size"] = _tf_value(first.get("desired_size"), variables)
                    attrs["min_size"] = _tf_value(first.get("min_size"), variables)
                elif kind == "opensearch":
                    attrs.update(_search_attrs(body, lambda v: _tf_value(v, variables), terraform=True))
                tags = body.get("tags")
                tag_map = {str(k): str(v) for k, v in tags.items()} if isinstance(tags, dict) else {}
                out.append(Priceable(f"{rtype}.{name}", rtype, kind, attrs, tag_map))
    return _inherit_from_sources(out)


def _unwrap(value: Any) -> Any:
    while isinstance(value, list) and len(value) == 1 and not isinstance(value[0], dict):
        value = value[0]
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        return [{k: _unwrap(v) for k, v in value[0].items()}]
    if isinstance(value, list):
        return [{k: _unwrap(v) for k, v in item.items()} if isinstance(item, dict) else item for item in value]
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    return value


def _tf_value(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, str) and "${" in value:
        match = _VAR.match(value)
        if match and match.group(1) in variables:
            return variables[match.group(1)]
        return Unresolved(value)
    return value


def _tf_volumes(body: dict[str, Any], variables: dict[str, Any]) -> list[dict[str, Any]]:
    volumes: list[dict[str, Any]] = []
    for key in ("root_block_device", "ebs_block_device"):
        blocks = body.get(key) or []
        for index, blk in enumerate(blocks if isinstance(blocks, list) else [blocks]):
            if not isinstance(blk, dict):
                continue
            volumes.append(
                {
                    "name": key if key == "root_block_device" else f"{key}[{index}]",
                    "gb": _tf_value(blk.get("volume_size"), variables),
                    "type": _tf_value(blk.get("volume_type"), variables),
                    "iops": _tf_value(blk.get("iops"), variables),
                    "throughput": _tf_value(blk.get("throughput"), variables),
                }
            )
    return volumes


_SEARCH_CFN = {"cluster": ("ClusterConfig", "ElasticsearchClusterConfig"), "ebs": ("EBSOptions",),
               "instance_type": "InstanceType", "instance_count": "InstanceCount",
               "dedicated_master": "DedicatedMasterEnabled", "master_type": "DedicatedMasterType",
               "master_count": "DedicatedMasterCount", "ebs_enabled": "EBSEnabled", "volume_gb": "VolumeSize",
               "volume_type": "VolumeType"}  # fmt: skip
_SEARCH_TF = {"cluster": ("cluster_config",), "ebs": ("ebs_options",), "dedicated_master": "dedicated_master_enabled",
              "master_type": "dedicated_master_type", "master_count": "dedicated_master_count",
              "volume_gb": "volume_size"}  # fmt: skip


def _search_attrs(props: dict[str, Any], value: Any, terraform: bool = False) -> dict[str, Any]:
    """An OpenSearch (or Elasticsearch) domain's data and master nodes and EBS volumes, CloudFormation or
    Terraform (``cluster_config`` / ``ebs_options`` blocks)."""
    names = _SEARCH_TF if terraform else _SEARCH_CFN

    def section(keys: Any) -> dict[str, Any]:
        for key in keys:
            found = props.get(key)
            found = found[0] if isinstance(found, list) and found else found
            if isinstance(found, dict):
                return found
        return {}

    cluster, ebs = section(names["cluster"]), section(names["ebs"])
    out: dict[str, Any] = {}
    for attr in ("instance_type", "instance_count", "dedicated_master", "master_type", "master_count"):
        out[attr] = value(cluster.get(str(names.get(attr, attr))))
    for attr in ("ebs_enabled", "volume_gb", "volume_type"):
        out[attr] = value(ebs.get(str(names.get(attr, attr))))
    return out
