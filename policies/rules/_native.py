"""aws-native (Cloud Control) resources the core availability rules also judge.

Programs mix `aws-native:` resources with `aws:` ones. aws-native names its properties after CloudFormation,
camelCased by the engine (`VPCZoneIdentifier` -> `vpcZoneIdentifier`, `MultiAZ` -> `multiAz`), and sends the
Auto Scaling group sizes as strings. Each supported token gets a kind of its own (`native:<kind>`), so only the
policies that list it see it: the other policies of the same aws kind read settings aws-native spells
differently (a load balancer's access logs are a `loadBalancerAttributes` entry), and would see them missing.
The properties those rules read are presented under the aws names.
"""
from typing import Any, Dict, Optional

PREFIX = "native:"

# aws-native "module:Type" (type compared case-insensitively: aws-native 0.x wrote `DBInstance`, 1.x `DbInstance`)
# -> the aws kind it stands for.
_KINDS = {
    ("elasticloadbalancingv2", "loadbalancer"): "lb/loadBalancer",
    ("autoscaling", "autoscalinggroup"): "autoscaling/group",
    ("rds", "dbinstance"): "rds/instance",
    ("rds", "dbcluster"): "rds/cluster",
    ("s3", "bucket"): "s3/bucket",
    ("ec2", "subnet"): "ec2/subnet",
}

LB = PREFIX + "lb/loadBalancer"
ASG = PREFIX + "autoscaling/group"
DB_INSTANCE = PREFIX + "rds/instance"
DB_CLUSTER = PREFIX + "rds/cluster"
BUCKET = PREFIX + "s3/bucket"
SUBNET = PREFIX + "ec2/subnet"

# aws-native property name -> the aws name the rules read, per native kind. References keep working because
# property dependencies are renamed the same way.
RENAMES: Dict[str, Dict[str, str]] = {
    ASG: {"vpcZoneIdentifier": "vpcZoneIdentifiers"},
    LB: {"type": "loadBalancerType"},
    DB_INSTANCE: {"sourceDbInstanceIdentifier": "replicateSourceDb", "dbClusterIdentifier": "clusterIdentifier"},
    BUCKET: {"bucketName": "bucket"},
}

# Where the aws-native property differs from the one an aws message names.
FIELD_NAMES = {ASG: {"vpcZoneIdentifiers": "vpcZoneIdentifier"}}


def native_kind(token: str) -> Optional[str]:
    """`aws-native:rds:DbInstance` -> `native:rds/instance`; None for tokens the rules do not judge."""
    parts = token.split(":")
    if len(parts) != 3 or parts[0] != "aws-native":
        return None
    kind = _KINDS.get((parts[1], parts[2].lower()))
    return PREFIX + kind if kind else None


def rename(kind: str, key: str) -> str:
    return RENAMES.get(kind, {}).get(key, key)


def field(kind: str, aws_name: str) -> str:
    """The property a message should name for this kind."""
    return FIELD_NAMES.get(kind, {}).get(aws_name, aws_name)


def translate(kind: str, props: Dict[str, Any]) -> Dict[str, Any]:
    """The properties under the aws names the rules read."""
    renames = RENAMES.get(kind)
    if renames:
        props = {renames.get(k, k): v for k, v in props.items()}
    tags = props.get("tags")
    if isinstance(tags, list):  # CloudFormation tags are [{key, value}]
        props["tags"] = {t.get("key"): t.get("value") for t in tags if isinstance(t, dict) and t.get("key")}
    return props
