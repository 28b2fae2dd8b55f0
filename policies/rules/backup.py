"""AWS Backup coverage, retention, copies and vault lock; Pulumi protection of stateful resources; KMS."""
from typing import Iterable, Tuple

from ._base import ADVISORY, resource_policy, stack_policy
from ._config import BACKUP_BUCKETS, PRODUCTION_STACKS, is_production, matches, setting
from ._graph import Graph, Node
from ._props import as_list, first, fmt_num, is_unknown, number, truthy
from .topology import bucket_name

STATEFUL = ("rds/instance", "rds/cluster", "efs/fileSystem", "route53/zone", "s3/bucket")
_WHAT = {"rds/instance": "RDS instance", "rds/cluster": "RDS cluster", "efs/fileSystem": "EFS file system",
         "route53/zone": "Hosted zone", "s3/bucket": "Backup bucket"}
COVERED = ("rds/instance", "rds/cluster", "efs/fileSystem", "ec2/instance", "ebs/volume", "s3/bucket")


def _protected(node: Node, config) -> Iterable[str]:
    if not is_production(node.stack, config, "stateful-resources-protected"):
        return
    if node.kind == "s3/bucket" and not any(
            matches(n, setting(config, "stateful-resources-protected", "backupBucketPatterns"))
            for n in {bucket_name(node), node.name}):
        return
    if node.kind == "rds/instance" and node.props.get("replicateSourceDb"):
        return
    if not getattr(node.opts, "protect", False):
        yield (f"{_WHAT[node.kind]} {node.label()} holds state that "
               f"a mistaken `pulumi destroy` or replacement would lose; add opts=ResourceOptions(protect=True).")


def _selection_covers(g: Graph, sel: Node, node: Node) -> bool:
    if node in g.refs(sel, "resources"):
        return True
    for r in as_list(sel.props.get("resources")):
        if isinstance(r, str) and not is_unknown(r) and (r == "*" or (r.endswith("*") and (
                (":rds:" in r and node.kind.startswith("rds/")) or
                (":elasticfilesystem:" in r and node.kind == "efs/fileSystem") or
                (":ec2:" in r and node.kind in ("ec2/instance", "ebs/volume")) or
                (":s3:" in r and node.kind == "s3/bucket")))):
            return True
    tags = node.props.get("tags") if isinstance(node.props.get("tags"), dict) else {}
    for t in as_list(sel.props.get("selectionTags")):
        if isinstance(t, dict) and tags.get(t.get("key")) == t.get("value"):
            return True
    return False


def replica_buckets(g: Graph) -> set:
    """URNs of buckets that are the destination of a replication configuration: they are the copy."""
    out = set()
    for rc in g.of("s3/bucketReplicationConfig"):
        sources = {b.urn for b in g.refs(rc, "bucket", "s3/bucket")}
        out |= {b.urn for b in g.refs(rc, "rules", "s3/bucket") if b.urn not in sources}
    for b in g.of("s3/bucket"):
        if b.inputs.get("replicationConfiguration") or b.inputs.get("replicationConfigurations"):
            out |= {d.urn for d in g.refs(b, "replicationConfiguration", "s3/bucket")
                    + g.refs(b, "replicationConfigurations", "s3/bucket") if d is not b}
    return out


def _covers(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    selections = g.of("backup/selection")
    patterns = setting(config, "backup-plan-coverage", "backupBucketPatterns")
    replicas = replica_buckets(g)
    for node in g.of(*COVERED):
        if node.kind == "rds/instance" and node.props.get("replicateSourceDb"):
            continue
        if node.urn in replicas:
            continue  # the cross-region copy of a bucket that is itself backed up
        if node.kind == "s3/bucket" and not any(matches(n, patterns) for n in {bucket_name(node), node.name}):
            continue
        if not any(_selection_covers(g, s, node) for s in selections):
            what = {"rds/instance": "RDS instance", "rds/cluster": "RDS cluster", "efs/fileSystem": "EFS file system",
                    "ec2/instance": "Stand-alone instance", "ebs/volume": "EBS volume",
                    "s3/bucket": "Backup bucket"}[node.kind]
            yield node, (f"{what} {node.label()} is in no AWS Backup selection; add it to an aws.backup.Selection "
                         f"of a plan with a cross-region copy.")


def _plan(node: Node, config) -> Iterable[str]:
    need = number(setting(config, "backup-plan-retention-and-copy", "minRetentionDays")) or 1
    copy = bool(setting(config, "backup-plan-retention-and-copy", "requireCopyAction"))
    rules = [r for r in as_list(node.props.get("rules")) if isinstance(r, dict)]
    if not rules:
        yield f"Backup plan {node.label()} has no rules; add a daily rule."
        return
    for rule in rules:
        name = rule.get("ruleName") or "?"
        days = number(first(rule, "lifecycle", "deleteAfter"))
        if days is not None and days < need:
            yield (f"Backup plan {node.label()} rule {name} deletes recovery points after {fmt_num(days)} days; keep "
                   f"them at least {fmt_num(need)} days.")
    if copy and not any(as_list(r.get("copyActions")) for r in rules):
        yield (f"Backup plan {node.label()} keeps every copy in one region; add a copyActions entry to a vault in "
               f"another region or account.")


def _vault_locked(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for vault in g.of("backup/vault"):
        if not g.referrers(vault, ("backup/vaultLockConfiguration",), ("backupVaultName",)):
            yield vault, (f"Backup vault {vault.label()} can have its recovery points deleted; add an "
                          f"aws.backup.VaultLockConfiguration with a minimum retention.")


def _kms_rotation(node: Node, config) -> Iterable[str]:
    spec = node.props.get("customerMasterKeySpec") or node.props.get("keySpec") or "SYMMETRIC_DEFAULT"
    if spec == "SYMMETRIC_DEFAULT" and truthy(node.props.get("enableKeyRotation")) is not True:
        yield f"KMS key {node.label()} is never rotated; set enableKeyRotation to true."


def _secret_cmk(node: Node, config) -> Iterable[str]:
    if not node.props.get("kmsKeyId"):
        yield (f"Secret {node.label()} is encrypted with the AWS-managed key; set kmsKeyId to a customer-managed key "
               f"so access can be audited and revoked.")


def _kms_enabled(node: Node, config) -> Iterable[str]:
    if truthy(node.props.get("isEnabled")) is False:
        yield f"KMS key {node.label()} is disabled, so everything encrypted with it is unreadable; set isEnabled to true."


POLICIES = [
    resource_policy(
        "stateful-resources-protected", STATEFUL, _protected, level=ADVISORY, catalogue=("NEW-16",),
        description=("Stateful resources (databases, file systems, hosted zones, backup buckets) in production "
                     "stacks should have protect=True."),
        config_schema={**PRODUCTION_STACKS, **BACKUP_BUCKETS}),
    stack_policy(
        "backup-plan-coverage", _covers, level=ADVISORY, catalogue=("B3", "B4", "B5", "B6", "NEW-13"),
        description=("Every database, file system, stand-alone instance or volume and backup bucket should be "
                     "selected by an AWS Backup plan."),
        config_schema=BACKUP_BUCKETS),
    resource_policy(
        "backup-plan-retention-and-copy", ("backup/plan",), _plan, level=ADVISORY, catalogue=("B7", "NEW-13"),
        description=("Backup plan rules should keep recovery points long enough and copy them to another region or "
                     "account."),
        config_schema={
            "minRetentionDays": {"type": "integer", "default": 7, "description": "Shortest acceptable retention."},
            "requireCopyAction": {"type": "boolean", "default": True,
                                  "description": "Require a copy action to another vault (region/account)."},
        }),
    stack_policy(
        "backup-vault-locked", _vault_locked, level=ADVISORY, catalogue=("B8",),
        description=("Backup vaults should be locked (vault lock configuration) so recovery points cannot be "
                     "deleted early.")),
    resource_policy(
        "kms-key-rotation", ("kms/key",), _kms_rotation, level=ADVISORY, catalogue=("L1",),
        description="Customer-managed KMS keys should have automatic rotation."),
    resource_policy(
        "secret-encrypted-with-cmk", ("secretsmanager/secret",), _secret_cmk, level=ADVISORY, catalogue=("L4",),
        description="Secrets Manager secrets should be encrypted with a customer-managed KMS key."),
    resource_policy(
        "kms-key-enabled", ("kms/key",), _kms_enabled, level=ADVISORY, catalogue=("L2",),
        description="KMS keys the stack uses should be enabled."),
]
