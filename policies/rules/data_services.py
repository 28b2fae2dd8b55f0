"""Data on services other than RDS, S3 and EFS: DynamoDB tables, Redshift clusters, Secrets Manager values."""
from typing import Iterable, Tuple

from ._base import MANDATORY, resource_policy, stack_policy
from ._config import matches, setting
from ._graph import Graph, Node, cannot_verify
from ._props import first, fmt_num, is_unknown, number, truthy
from ._secrets import config_origin

TABLE, REDSHIFT, SECRET_VERSION = "dynamodb/table", "redshift/cluster", "secretsmanager/secretVersion"
SECRET_VALUE_KEYS = ("secretString", "secretBinary", "secretStringWo")




# --- dynamodb-point-in-time-recovery -----------------------------------------------------------------------
def _pitr(node: Node, config) -> Iterable[str]:
    enabled = first(node.props, "pointInTimeRecovery", "enabled")
    if is_unknown(enabled):
        yield cannot_verify(node, "pointInTimeRecovery.enabled")
    elif truthy(enabled) is not True:
        yield (f"{node.describe()} has no point-in-time recovery, so a bad write or delete cannot be rolled back; set "
               f"pointInTimeRecovery.enabled to true.")


# --- redshift-multi-node-final-snapshot --------------------------------------------------------------------
def _redshift(node: Node, config) -> Iterable[str]:
    p = node.props
    kind, nodes = p.get("clusterType"), p.get("numberOfNodes")
    if is_unknown(kind) or is_unknown(nodes):
        yield cannot_verify(node, "clusterType" if is_unknown(kind) else "numberOfNodes")
    else:
        count = number(nodes)
        single_type = isinstance(kind, str) and kind.lower() == "single-node"
        if single_type or (count if count is not None else 1) <= 1:
            shown = "clusterType \"single-node\"" if single_type else f"numberOfNodes {fmt_num(count or 1)}"
            yield (f"{node.describe()} runs on a single node ({shown}), which keeps no copy of its data inside the "
                   f"cluster: a failed node means restoring from a snapshot; use clusterType \"multi-node\" with "
                   f"numberOfNodes of at least 2.")
    skip = p.get("skipFinalSnapshot")
    if is_unknown(skip):
        yield cannot_verify(node, "skipFinalSnapshot")
    elif truthy(skip) is True:
        yield (f"{node.describe()} skips its final snapshot, so deleting it loses the data; set skipFinalSnapshot to "
               f"false and give a finalSnapshotIdentifier.")


# --- secret-version-not-literal ----------------------------------------------------------------------------
def _secret_value(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    exempt = setting(config, "secret-version-not-literal", "configSecretVersions")
    for v in g.of(SECRET_VERSION):
        if matches(v.name, exempt):
            continue
        for key in SECRET_VALUE_KEYS:
            value = v.props.get(key)
            if value is None or value == "" or g.refs(v, key):
                continue  # unset, or built from another resource (a generated password, another secret)
            if is_unknown(value):
                continue  # computed without a resource of the stack (an invoke): nothing written in the program
            if config_origin(v.props.get(key)) == "secret":
                continue  # secret config: encrypted in the config and the state
            yield v, (f"{v.describe()} sets {key} from a plaintext literal or a non-secret config value, so the value "
                      f"is written unencrypted in the program or its stack configuration; make it secret config "
                      f"(pulumi config set --secret), generate it in the stack (e.g. random.RandomPassword) or let "
                      f"the service create it.")
            break


POLICIES = [
    resource_policy(
        "dynamodb-point-in-time-recovery", (TABLE,), _pitr, level=MANDATORY, catalogue=("B18",),
        description="DynamoDB tables must have point-in-time recovery enabled."),
    resource_policy(
        "redshift-multi-node-final-snapshot", (REDSHIFT,), _redshift, level=MANDATORY, catalogue=("A18", "NEW-16"),
        description="Redshift clusters must run on more than one node and take a final snapshot on deletion."),
    stack_policy(
        "secret-version-not-literal", _secret_value, level=MANDATORY, catalogue=("NEW-19",),
        description=("Secrets Manager secret versions must not carry a plaintext value written in the program or "
                     "its stack configuration."),
        config_schema={
            "configSecretVersions": {
                "type": "array", "items": {"type": "string"}, "default": [],
                "description": "Glob patterns of secret versions exempted by name (kept for existing configs: a value "
                               "from secret config passes on its own).",
            },
        }),
]
