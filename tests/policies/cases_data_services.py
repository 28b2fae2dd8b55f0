"""The data-service rules' cases (DynamoDB, Redshift, Secrets Manager values), in the form cases_containers.py
describes."""
from .fixtures import compliant
from .pk import ref

TOKENS = {"table": "aws:dynamodb/table:Table", "redshift": "aws:redshift/cluster:Cluster",
          "secret": "aws:secretsmanager/secret:Secret", "version": "aws:secretsmanager/secretVersion:SecretVersion",
          "password": "random:index/randomPassword:RandomPassword"}
SECRET_ENVELOPE = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


def stack(name="prod"):
    s = compliant(name)
    s.add(TOKENS["table"], "carts", {"billingMode": "PAY_PER_REQUEST", "hashKey": "id",
                                     "attributes": [{"name": "id", "type": "S"}], "pointInTimeRecovery": {"enabled": True}})
    s.add(TOKENS["redshift"], "warehouse", {"clusterIdentifier": "shop-dw", "nodeType": "ra3.xlplus",
                                            "clusterType": "multi-node", "numberOfNodes": 2.0,
                                            "manageMasterPassword": True, "masterUsername": "dwadmin",
                                            "skipFinalSnapshot": False, "finalSnapshotIdentifier": "shop-dw-final"})
    s.add(TOKENS["secret"], "api-secret", {"description": "payment API credentials"})
    s.add(TOKENS["password"], "api-password", {"length": 32.0, "special": True})
    s.add(TOKENS["version"], "api-secret-v1", {"secretId": ref("api-secret"),
                                               "secretString": ref("api-password", '{"password": "generated"}')})
    return s


_PITR = ("DynamoDB table 'carts' has no point-in-time recovery, so a bad write or delete cannot be rolled back; set "
         "pointInTimeRecovery.enabled to true.")
_SINGLE = ("Redshift cluster 'warehouse' runs on a single node ({shown}), which keeps no copy of its data inside the "
           "cluster: a failed node means restoring from a snapshot; use clusterType \"multi-node\" with "
           "numberOfNodes of at least 2.")
_LITERAL = ("Secret version '{name}' sets {key} from a plaintext literal or a non-secret config value, so the value is "
            "written unencrypted in the program or its stack configuration; make it secret config (pulumi config set "
            "--secret), generate it in the stack (e.g. random.RandomPassword) or let the service create it.")


def _literal_version(s, name="api-secret-v2", **props):
    return s.add(TOKENS["version"], name, dict({"secretId": ref("api-secret")}, **props))


VIOLATING = [
    ("dynamodb-point-in-time-recovery", "unset", lambda s: s.drop("carts", "pointInTimeRecovery"), None,
     [("carts", _PITR)]),
    ("dynamodb-point-in-time-recovery", "disabled", lambda s: s.set("carts", "pointInTimeRecovery.enabled", False),
     None, [("carts", _PITR)]),
    ("dynamodb-point-in-time-recovery", "unknown",
     lambda s: s.add("random:index/randomInteger:RandomInteger", "flag", {"min": 0.0, "max": 1.0}).set(
         "carts", "pointInTimeRecovery.enabled", ref("flag", True)), None,
     {"preview": [("carts", "DynamoDB table 'carts' sets pointInTimeRecovery.enabled from a value that is unknown "
                            "at preview, so it cannot be verified; set it from configuration or a literal.")],
      "update": []}),
    ("redshift-multi-node-final-snapshot", "single-node-type",
     lambda s: s.set("warehouse", "clusterType", "single-node").drop("warehouse", "numberOfNodes"), None,
     [("warehouse", _SINGLE.format(shown="clusterType \"single-node\""))]),
    ("redshift-multi-node-final-snapshot", "nodes-unset-default-one",
     lambda s: s.drop("warehouse", "clusterType").drop("warehouse", "numberOfNodes"), None,
     [("warehouse", _SINGLE.format(shown="numberOfNodes 1"))]),
    ("redshift-multi-node-final-snapshot", "skips-final-snapshot",
     lambda s: s.set("warehouse", "skipFinalSnapshot", True).drop("warehouse", "finalSnapshotIdentifier"), None,
     [("warehouse", "Redshift cluster 'warehouse' skips its final snapshot, so deleting it loses the data; set "
                    "skipFinalSnapshot to false and give a finalSnapshotIdentifier.")]),
    ("secret-version-not-literal", "literal-string",
     lambda s: _literal_version(s, secretString='{"password": "correct-horse-battery"}'), None,
     [("api-secret-v2", _LITERAL.format(name="api-secret-v2", key="secretString"))]),
    ("secret-version-not-literal", "secret-envelope-is-not-secret-config",
     lambda s: _literal_version(s, secretString={SECRET_ENVELOPE[0]: SECRET_ENVELOPE[1], "value": "from-config"}),
     None, [("api-secret-v2", _LITERAL.format(name="api-secret-v2", key="secretString"))]),
    ("secret-version-not-literal", "literal-binary",
     lambda s: _literal_version(s, secretBinary="c2VjcmV0LWtleS1ieXRlcw=="), None,
     [("api-secret-v2", _LITERAL.format(name="api-secret-v2", key="secretBinary"))]),
    ("secret-version-not-literal", "other-version-exempted",
     lambda s: _literal_version(s, secretString="hunter22"), {"configSecretVersions": ["legacy-*"]},
     [("api-secret-v2", _LITERAL.format(name="api-secret-v2", key="secretString"))]),
]

COMPLIANT = [
    ("dynamodb-point-in-time-recovery", "list-form",
     lambda s: s.set("carts", "pointInTimeRecovery", [{"enabled": True, "recoveryPeriodInDays": 35.0}]), None),
    ("redshift-multi-node-final-snapshot", "nodes-only", lambda s: s.drop("warehouse", "clusterType"), None),
    ("secret-version-not-literal", "string-from-another-secret-resource",
     lambda s: _literal_version(s, secretString=ref("api-secret-v1", '{"copy": true}')), None),
    ("secret-version-not-literal", "secret-config-version-named-in-config",
     lambda s: _literal_version(s, "legacy-api-key",
                                secretString={SECRET_ENVELOPE[0]: SECRET_ENVELOPE[1], "value": "from-config"}),
     {"configSecretVersions": ["legacy-*"]}),
    ("secret-version-not-literal", "write-only-from-resource",
     lambda s: _literal_version(s, secretStringWo=ref("api-password", "generated"), secretStringWoVersion=1.0), None),
]
