"""ElastiCache hygiene (the availability rules for caches live in availability.py)."""
from typing import Iterable

from ._base import ADVISORY, resource_policy
from ._graph import Node
from ._props import fmt_num, is_unknown, number, truthy

CLUSTER, RG = "elasticache/cluster", "elasticache/replicationGroup"


def _is_redis(node: Node) -> bool:
    default = "redis" if node.kind == RG else ""
    return str(node.props.get("engine") or default).lower() in ("redis", "valkey")


def _encryption(node: Node, config) -> Iterable[str]:
    if not _is_redis(node):
        return
    p = node.props
    if truthy(p.get("atRestEncryptionEnabled")) is False:
        yield f"{node.describe()} stores data unencrypted; set atRestEncryptionEnabled to true."
    if truthy(p.get("transitEncryptionEnabled")) is not True and not is_unknown(p.get("transitEncryptionEnabled")):
        yield f"{node.describe()} accepts plaintext connections; set transitEncryptionEnabled to true."


def _snapshots(node: Node, config) -> Iterable[str]:
    if not _is_redis(node) or (node.kind == CLUSTER and node.props.get("replicationGroupId")):
        return
    limit = number(node.props.get("snapshotRetentionLimit"))
    if not is_unknown(node.props.get("snapshotRetentionLimit")) and (limit is None or limit < 1):
        yield (f"{node.describe()} keeps no automatic snapshots ({fmt_num(limit or 0)} days); set snapshotRetentionLimit "
               f"to at least 1.")


def _subnet_group(node: Node, config) -> Iterable[str]:
    if node.kind == CLUSTER and node.props.get("replicationGroupId"):
        return
    if not node.props.get("subnetGroupName"):
        yield (f"{node.describe()} runs in the default subnet group; create an aws.elasticache.SubnetGroup over the "
               f"private data subnets of every AZ and set subnetGroupName.")


def _redis_auth(node: Node, config) -> Iterable[str]:
    p = node.props
    if p.get("authToken") or p.get("authTokenWo") or p.get("userGroupIds"):
        return
    yield (f"{node.describe()} lets any client in its security group connect; set an authToken (with transit "
           f"encryption) or userGroupIds.")


def _auto_minor(node: Node, config) -> Iterable[str]:
    if truthy(node.props.get("autoMinorVersionUpgrade")) is False:
        yield f"{node.describe()} turns off automatic minor version upgrades; set autoMinorVersionUpgrade to true."


POLICIES = [
    resource_policy(
        "redis-encryption", (RG, CLUSTER), _encryption, level=ADVISORY, catalogue=("G3",),
        description="Redis replication groups should encrypt data at rest and in transit."),
    resource_policy(
        "redis-snapshot-retention", (RG, CLUSTER), _snapshots, level=ADVISORY, catalogue=("B15",),
        description="Redis should keep automatic snapshots."),
    resource_policy(
        "elasticache-subnet-group", (RG, CLUSTER), _subnet_group, level=ADVISORY, catalogue=("G1",),
        description="ElastiCache clusters should run in a VPC subnet group of their own."),
    resource_policy(
        "redis-auth", (RG,), _redis_auth, level=ADVISORY, catalogue=("G4",),
        description="Redis replication groups should require an AUTH token or RBAC user group."),
    resource_policy(
        "elasticache-auto-minor-version-upgrade", (RG, CLUSTER), _auto_minor, level=ADVISORY, catalogue=("G5",),
        description="ElastiCache should take automatic minor version upgrades."),
]
