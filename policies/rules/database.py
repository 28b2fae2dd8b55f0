"""RDS data-safety and operations rules."""
import re
from typing import Iterable, Optional, Tuple

from ._base import ADVISORY, MANDATORY, resource_policy, stack_policy
from ._config import PRODUCTION_STACKS, is_production, setting
from ._graph import Graph, Node, cannot_verify
from ._props import as_list, fmt_num, is_unknown, number, truthy
from ._secrets import config_origin

DB_KINDS = ("rds/instance", "rds/cluster")


def _is_replica(node: Node) -> bool:
    p = node.props
    return bool(p.get("replicateSourceDb") or p.get("replicationSourceIdentifier"))


def _is_aurora(node: Node) -> bool:
    return str(node.props.get("engine") or "").startswith("aurora")


def _backup_retention(node: Node, config) -> Iterable[str]:
    if _is_replica(node):
        return
    need = number(setting(config, "rds-backup-retention", "minRetentionDays")) or 7
    raw = node.props.get("backupRetentionPeriod")
    if is_unknown(raw):
        yield cannot_verify(node, "backupRetentionPeriod")
        return
    days = number(raw)
    if days is None or days < need:
        shown = (f"for {fmt_num(days)} day{'' if days == 1 else 's'}" if days is not None
                 else "for an unset period (AWS defaults to 1 day or none)")
        yield (f"{node.describe()} keeps automated backups {shown}; set backupRetentionPeriod to at least "
               f"{fmt_num(need)} days.")


def _final_snapshot(node: Node, config) -> Iterable[str]:
    if _is_replica(node):
        return
    p = node.props
    skip = p.get("skipFinalSnapshot")
    if is_unknown(skip):
        yield cannot_verify(node, "skipFinalSnapshot")
    elif truthy(skip) is True:
        yield (f"{node.describe()} skips its final snapshot, so deleting it loses the data; set skipFinalSnapshot to "
               f"false and give a finalSnapshotIdentifier.")
    elif not p.get("finalSnapshotIdentifier"):
        yield (f"{node.describe()} has no finalSnapshotIdentifier, so a delete cannot take the final snapshot; set "
               f"finalSnapshotIdentifier.")


def _storage_encrypted(node: Node, config) -> Iterable[str]:
    if _is_replica(node):
        return
    enc = node.props.get("storageEncrypted")
    if is_unknown(enc):
        yield cannot_verify(node, "storageEncrypted")
    elif truthy(enc) is not True:
        yield f"{node.describe()} stores data unencrypted; set storageEncrypted to true (optionally with kmsKeyId)."


def _not_public(node: Node, config) -> Iterable[str]:
    pub = node.props.get("publiclyAccessible")
    if is_unknown(pub):
        yield cannot_verify(node, "publiclyAccessible")
    elif truthy(pub) is True:
        yield (f"{node.describe()} is publicly accessible; set publiclyAccessible to false and reach it only from the "
               f"web tier's security group.")


def _master_password(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for db in g.of("rds/instance", "rds/cluster"):
        p = db.props
        if truthy(p.get("manageMasterUserPassword")) is True or _is_replica(db) or p.get("snapshotIdentifier"):
            continue
        key = "password" if db.kind == "rds/instance" else "masterPassword"
        value = p.get(key)
        if value is None or value == "":
            continue
        if g.refs(db, key):
            continue  # comes from another resource (a generated password, a Secrets Manager secret)
        if config_origin(db.props.get(key)) == "secret":
            continue  # secret config: encrypted in the config and the state, like a generated password
        yield db, (f"{db.describe()} takes its master password from a plaintext literal or a non-secret config value, "
                   f"so it is stored unencrypted in the program or its stack configuration; set "
                   f"manageMasterUserPassword to true, or make it secret config (pulumi config set --secret) or a "
                   f"generated password (random.RandomPassword).")


def _deletion_protection(node: Node, config) -> Iterable[str]:
    if not is_production(node.stack, config, "rds-deletion-protection"):
        return
    dp = node.props.get("deletionProtection")
    if is_unknown(dp):
        yield cannot_verify(node, "deletionProtection")
    elif truthy(dp) is not True:
        yield (f"{node.describe()} in production stack '{node.stack}' can be deleted by accident; set "
               f"deletionProtection to true.")


def _log_exports(node: Node, config) -> Iterable[str]:
    if not [x for x in as_list(node.props.get("enabledCloudwatchLogsExports")) if x]:
        yield (f"{node.describe()} exports no logs; set enabledCloudwatchLogsExports (e.g. error, slowquery) so "
               f"failures can be diagnosed.")


def _insights_on(node: Node) -> bool:
    p = node.props
    return bool(truthy(p.get("performanceInsightsEnabled")) or (number(p.get("monitoringInterval")) or 0) > 0
                or p.get("databaseInsightsMode") == "advanced")


def _performance_insights(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for node in g.of("rds/instance", "rds/cluster"):
        if _insights_on(node):
            continue
        if node.kind == "rds/cluster" and _is_aurora(node):
            # Aurora sets Performance Insights and enhanced monitoring per instance (aws.rds.ClusterInstance).
            targets = [i for i in g.referrers(node, ("rds/clusterInstance",), ("clusterIdentifier",))
                       if not _insights_on(i)]
        else:
            targets = [node]
        for t in targets:
            yield t, (f"{t.describe()} has neither Performance Insights nor enhanced monitoring; set "
                      f"performanceInsightsEnabled to true or monitoringInterval to 60 or less.")


def _auto_minor(node: Node, config) -> Iterable[str]:
    if truthy(node.props.get("autoMinorVersionUpgrade")) is False:
        yield f"{node.describe()} turns off automatic minor version upgrades; set autoMinorVersionUpgrade to true."


def _storage_autoscaling(node: Node, config) -> Iterable[str]:
    if _is_aurora(node) or _is_replica(node):
        return
    alloc = number(node.props.get("allocatedStorage"))
    mx = number(node.props.get("maxAllocatedStorage"))
    if is_unknown(node.props.get("maxAllocatedStorage")):
        return
    if mx is None or (alloc is not None and mx <= alloc):
        yield (f"{node.describe()} cannot grow its storage; set maxAllocatedStorage above allocatedStorage so a full "
               f"disk does not stop the database.")


_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


_WEEK = 7 * 1440


def _span(start: int, end: int) -> set:
    """Minutes of the week covered by [start, end), wrapping around the week."""
    if end <= start:
        end += _WEEK
    return {m % _WEEK for m in range(start, end)}


def _backup_minutes(window: str) -> Optional[set]:
    m = re.fullmatch(r"(\d\d):(\d\d)-(\d\d):(\d\d)", window or "")
    if not m:
        return None
    s = int(m.group(1)) * 60 + int(m.group(2))
    e = int(m.group(3)) * 60 + int(m.group(4))
    if e <= s:
        e += 1440
    out: set = set()
    for d in range(7):
        out |= _span(d * 1440 + s, d * 1440 + e)
    return out


def _maint_minutes(window: str) -> Optional[set]:
    m = re.fullmatch(r"([a-z]{3}):(\d\d):(\d\d)-([a-z]{3}):(\d\d):(\d\d)", (window or "").lower())
    if not m or m.group(1) not in _DAYS or m.group(4) not in _DAYS:
        return None
    s = _DAYS.index(m.group(1)) * 1440 + int(m.group(2)) * 60 + int(m.group(3))
    e = _DAYS.index(m.group(4)) * 1440 + int(m.group(5)) * 60 + int(m.group(6))
    return _span(s, e)


def _windows(node: Node, config) -> Iterable[str]:
    if _is_replica(node):
        return
    p = node.props
    bkey, mkey = (("backupWindow", "maintenanceWindow") if node.kind == "rds/instance"
                  else ("preferredBackupWindow", "preferredMaintenanceWindow"))
    bw, mw = p.get(bkey), p.get(mkey)
    if is_unknown(bw) or is_unknown(mw):
        return
    if not bw or not mw:
        yield (f"{node.describe()} leaves {bkey if not bw else mkey} to AWS; set both {bkey} and {mkey} so backups "
               f"and maintenance run at known, separate times.")
        return
    b, m = _backup_minutes(str(bw)), _maint_minutes(str(mw))
    if b is None or m is None:
        return
    if b & m:
        yield f"{node.describe()} has backup window {bw} overlapping maintenance window {mw}; move one of them."


def _iam_auth(node: Node, config) -> Iterable[str]:
    if truthy(node.props.get("iamDatabaseAuthenticationEnabled")) is not True:
        yield (f"{node.describe()} accepts only password logins; set iamDatabaseAuthenticationEnabled to true so "
               f"operators connect with short-lived IAM tokens.")


def _secure_transport(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for db in g.of("rds/instance"):
        engine = str(db.props.get("engine") or "")
        if engine not in ("mysql", "mariadb") or _is_replica(db):
            continue
        groups = g.refs(db, "parameterGroupName", "rds/parameterGroup")
        ok = any(str(p.get("name")) == "require_secure_transport" and str(p.get("value")).lower() in ("1", "on")
                 for grp in groups for p in as_list(grp.props.get("parameters")) if isinstance(p, dict))
        if not ok:
            yield db, (f"{db.describe()} accepts unencrypted connections; give it a parameter group that sets "
                       f"require_secure_transport to 1.")


_DEFAULT_USERS = ("admin", "root", "postgres", "sa", "master", "administrator")


def _master_username(node: Node, config) -> Iterable[str]:
    user = node.props.get("username") if node.kind == "rds/instance" else node.props.get("masterUsername")
    if isinstance(user, str) and user.lower() in _DEFAULT_USERS:
        yield f"{node.describe()} uses the default master username {user!r}; choose an application-specific name."


def _snapshot_public(node: Node, config) -> Iterable[str]:
    if "all" in [str(a).lower() for a in as_list(node.props.get("sharedAccounts"))]:
        yield (f"Snapshot {node.label()} is shared with all AWS accounts, so anyone can restore the data; share it "
               f"only with named accounts.")


POLICIES = [
    resource_policy(
        "rds-backup-retention", DB_KINDS, _backup_retention, level=MANDATORY, catalogue=("B1",),
        description="RDS automated backups must be kept for at least the required number of days.",
        config_schema={
            "minRetentionDays": {"type": "integer", "minimum": 1, "maximum": 35, "default": 7,
                                 "description": "Required automated backup retention in days."},
        }),
    resource_policy(
        "rds-final-snapshot", DB_KINDS, _final_snapshot, level=MANDATORY, catalogue=("NEW-16",),
        description="RDS databases must take a final snapshot on deletion."),
    resource_policy(
        "rds-storage-encrypted", DB_KINDS, _storage_encrypted, level=MANDATORY, catalogue=("F2",),
        description="RDS storage must be encrypted."),
    resource_policy(
        "rds-not-public", DB_KINDS + ("rds/clusterInstance",), _not_public, level=MANDATORY, catalogue=("F1",),
        description="RDS databases must not be publicly accessible."),
    stack_policy(
        "rds-master-password-managed", _master_password, level=MANDATORY, catalogue=("L3",),
        description=("The RDS master password must be managed by RDS (Secrets Manager), generated, or secret "
                     "config, never a plaintext value.")),
    resource_policy(
        "rds-deletion-protection", DB_KINDS, _deletion_protection, level=MANDATORY, catalogue=("B2",),
        description="RDS databases in production stacks must have deletion protection.",
        config_schema=PRODUCTION_STACKS),
    resource_policy(
        "rds-log-exports", DB_KINDS, _log_exports, level=ADVISORY, catalogue=("F5",),
        description="RDS databases should export their logs to CloudWatch Logs."),
    stack_policy(
        "rds-performance-insights", _performance_insights, level=ADVISORY, catalogue=("F6",),
        description="RDS databases should enable Performance Insights or enhanced monitoring."),
    resource_policy(
        "rds-auto-minor-version-upgrade", DB_KINDS + ("rds/clusterInstance",), _auto_minor,
        level=ADVISORY, catalogue=("F7",),
        description="RDS databases should take automatic minor version upgrades."),
    resource_policy(
        "rds-storage-autoscaling", ("rds/instance",), _storage_autoscaling, level=ADVISORY, catalogue=("NEW-16",),
        description="RDS instances should enable storage autoscaling (max allocated storage)."),
    resource_policy(
        "rds-backup-window-no-overlap", DB_KINDS, _windows, level=ADVISORY, catalogue=("NEW-16",),
        description="RDS backup and maintenance windows should be set and must not overlap."),
    resource_policy(
        "rds-iam-auth", DB_KINDS, _iam_auth, level=ADVISORY, catalogue=("F4",),
        description="RDS databases should enable IAM database authentication."),
    stack_policy(
        "rds-require-secure-transport", _secure_transport, level=ADVISORY, catalogue=("F3",),
        description="MySQL/MariaDB databases should use a parameter group that sets require_secure_transport."),
    resource_policy(
        "rds-non-default-master-username", DB_KINDS, _master_username, level=ADVISORY, catalogue=("F10",),
        description="The RDS master username should not be the engine default (admin, root, postgres...)."),
    resource_policy(
        "rds-snapshot-not-public", ("rds/snapshot", "rds/clusterSnapshot", "rds/snapshotCopy"), _snapshot_public,
        level=ADVISORY, catalogue=("B17",),
        description="Manual RDS snapshots must not be shared publicly."),
]
