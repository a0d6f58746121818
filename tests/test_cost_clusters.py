"""Cost rules added for real repositories (issue 22): t2 instances, Aurora clusters and instances, EKS,
read replicas that inherit from their source, Neptune and OpenSearch, each against the bundled us-east-1
table, and 'not estimated' (never $0) where a region's table has no price."""

from __future__ import annotations

import pytest
from hcl2.api import loads

from gate.cost.estimator import price_cloudformation, price_terraform
from gate.cost.prices import HOURS_PER_MONTH, PriceTable, load_table
from gate.cost.usage import Usage, parse_usage


@pytest.fixture(scope="module")
def us() -> PriceTable:
    return load_table("us-east-1")


def _cfn(resources: dict[str, object], table: PriceTable, usage: Usage | None = None) -> dict[str, object]:
    return dict(price_cloudformation({"Resources": resources}, table, usage or Usage()))


def _monthly(side: dict[str, object], name: str) -> float | None:
    return side[name].estimate.monthly  # type: ignore[attr-defined,no-any-return]


def _not_estimated(side: dict[str, object], name: str) -> str:
    return str(side[name].estimate.not_estimated or "")  # type: ignore[attr-defined]


def test_t2_instances_are_priced(us: PriceTable) -> None:
    side = _cfn({"Tiny": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "t2.nano"}}}, us)
    nano = us.ec2_hourly("t2.nano")
    assert nano is not None
    root = us.number("ebs", "gb_month", "gp2")
    assert root is not None
    assert _monthly(side, "Tiny") == pytest.approx(nano * HOURS_PER_MONTH + 8 * root, abs=0.01)
    for size in ("micro", "small", "medium", "large", "xlarge", "2xlarge"):
        assert us.ec2_hourly(f"t2.{size}") is not None


def test_aurora_cluster_bills_storage_io_and_the_serverless_minimum(us: PriceTable) -> None:
    usage = parse_usage(
        "version: 0.1\nresource_usage:\n  Ledger:\n    storage_gb: 100\n    monthly_io_requests: 50000000\n", "u"
    )
    side = _cfn(
        {
            "Ledger": {
                "Type": "AWS::RDS::DBCluster",
                "Properties": {"Engine": "aurora-postgresql", "ServerlessV2ScalingConfiguration": {"MinCapacity": 0.5}},
            },
            "Writer": {
                "Type": "AWS::RDS::DBInstance",
                "Properties": {"Engine": "aurora-postgresql", "DBInstanceClass": "db.r6g.large"},
            },
            "Plain": {"Type": "AWS::RDS::DBCluster", "Properties": {"Engine": "postgres"}},
        },
        us,
        usage,
    )
    gb, io, acu = (us.number("aurora", k) for k in ("storage_gb_month", "io_per_million", "serverless_v2_acu_hour"))
    assert gb and io and acu
    assert _monthly(side, "Ledger") == pytest.approx(100 * gb + 50 * io + 0.5 * HOURS_PER_MONTH * acu, abs=0.01)
    writer = us.rds_hourly("aurora-postgresql", "db.r6g.large")
    assert writer is not None
    assert _monthly(side, "Writer") == pytest.approx(writer * HOURS_PER_MONTH, abs=0.01), "no storage on instances"
    assert "only Aurora clusters" in _not_estimated(side, "Plain")


def test_eks_control_plane_and_node_group(us: PriceTable) -> None:
    parsed = loads(
        """
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::123456789012:role/eks"
}
resource "aws_eks_node_group" "workers" {
  cluster_name   = aws_eks_cluster.main.name
  instance_types = ["m5.large"]
  scaling_config {
    desired_size = 3
    min_size     = 1
    max_size     = 5
  }
}
"""
    )
    side = price_terraform(parsed, us, Usage())
    hourly, m5 = us.number("eks", "cluster_hourly"), us.ec2_hourly("m5.large")
    assert hourly == 0.10 and m5 is not None
    assert side["aws_eks_cluster.main"].estimate.monthly == pytest.approx(73.0)
    assert side["aws_eks_node_group.workers"].estimate.monthly == pytest.approx(3 * m5 * HOURS_PER_MONTH, abs=0.01)


def test_a_read_replica_runs_its_sources_engine_and_class(us: PriceTable) -> None:
    side = _cfn(
        {
            "Primary": {
                "Type": "AWS::RDS::DBInstance",
                "Properties": {"Engine": "postgres", "DBInstanceClass": "db.t3.medium", "AllocatedStorage": 50},
            },
            "Replica": {
                "Type": "AWS::RDS::DBInstance",
                "Properties": {"SourceDBInstanceIdentifier": {"Ref": "Primary"}},
            },
        },
        us,
    )
    assert _monthly(side, "Replica") == pytest.approx(_monthly(side, "Primary") or -1.0)


def test_neptune_instances_and_cluster_storage(us: PriceTable) -> None:
    usage = parse_usage("version: 0.1\nresource_usage:\n  Graph:\n    storage_gb: 200\n", "u")
    side = _cfn(
        {
            "Graph": {"Type": "AWS::Neptune::DBCluster", "Properties": {}},
            "GraphWriter": {"Type": "AWS::Neptune::DBInstance", "Properties": {"DBInstanceClass": "db.r5.large"}},
            "Odd": {"Type": "AWS::Neptune::DBInstance", "Properties": {"DBInstanceClass": "db.x2g.large"}},
        },
        us,
        usage,
    )
    assert _monthly(side, "GraphWriter") == pytest.approx(0.348 * HOURS_PER_MONTH)
    assert _monthly(side, "Graph") == pytest.approx(200 * 0.10), "I/O stays usage-based, shown without a number"
    assert "no price for Neptune db.x2g.large" in _not_estimated(side, "Odd")
    parsed = loads('resource "aws_neptune_cluster_instance" "w" {\n  instance_class = "db.t3.medium"\n}\n')
    tf = price_terraform(parsed, us, Usage())
    assert tf["aws_neptune_cluster_instance.w"].estimate.monthly == pytest.approx(0.098 * HOURS_PER_MONTH)


def test_opensearch_data_and_master_nodes_and_storage(us: PriceTable) -> None:
    side = _cfn(
        {
            "Search": {
                "Type": "AWS::OpenSearchService::Domain",
                "Properties": {
                    "ClusterConfig": {
                        "InstanceType": "r6g.large.search",
                        "InstanceCount": 2,
                        "DedicatedMasterEnabled": True,
                        "DedicatedMasterType": "m6g.large.search",
                        "DedicatedMasterCount": 3,
                    },
                    "EBSOptions": {"EBSEnabled": True, "VolumeSize": 100, "VolumeType": "gp3"},
                },
            },
            "Bare": {"Type": "AWS::OpenSearchService::Domain", "Properties": {}},
        },
        us,
    )
    expected = 2 * 0.167 * HOURS_PER_MONTH + 3 * 0.128 * HOURS_PER_MONTH + 2 * 100 * 0.122
    assert _monthly(side, "Search") == pytest.approx(expected, abs=0.01)
    assert "instance type is not set" in _not_estimated(side, "Bare")
    parsed = loads(
        """
resource "aws_opensearch_domain" "logs" {
  domain_name = "logs"
  cluster_config {
    instance_type  = "t3.small.search"
    instance_count = 1
  }
  ebs_options {
    ebs_enabled = true
    volume_size = 10
  }
}
"""
    )
    tf = price_terraform(parsed, us, Usage())
    assert tf["aws_opensearch_domain.logs"].estimate.monthly == pytest.approx(
        0.036 * HOURS_PER_MONTH + 10 * 0.135, abs=0.01
    )


def test_regions_without_neptune_or_opensearch_prices_are_not_estimated_never_zero() -> None:
    eu = load_table("eu-west-1")
    side = _cfn(
        {
            "G": {"Type": "AWS::Neptune::DBInstance", "Properties": {"DBInstanceClass": "db.r5.large"}},
            "S": {
                "Type": "AWS::OpenSearchService::Domain",
                "Properties": {"ClusterConfig": {"InstanceType": "t3.small.search"}},
            },
        },
        eu,
    )
    for name in ("G", "S"):
        assert _monthly(side, name) is None
        assert "eu-west-1 price table" in _not_estimated(side, name)
