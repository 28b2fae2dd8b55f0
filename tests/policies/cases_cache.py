"""The cache policies' cases (rules/cache.py) on the compliant stack (the form: case_lists.py)."""
from .fixtures import TOKENS, compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- redis-encryption ---
    ("redis-encryption", "plaintext",
     lambda s: s.add(TOKENS["rg"], "redis", {"description": "r", "numCacheClusters": 2.0, "automaticFailoverEnabled": True,
                                             "multiAzEnabled": True, "atRestEncryptionEnabled": "false",
                                             "subnetGroupName": ref("cache-subnets"), "snapshotRetentionLimit": 7.0}), None,
     [
         ('redis',
          "Replication group 'redis' stores data unencrypted; set atRestEncryptionEnabled to true."),
         ('redis',
          "Replication group 'redis' accepts plaintext connections; set transitEncryptionEnabled to true."),
     ]),
    # --- redis-snapshot-retention ---
    ("redis-snapshot-retention", "none",
     lambda s: s.add(TOKENS["rg"], "redis", {"description": "r", "numCacheClusters": 2.0, "automaticFailoverEnabled": True,
                                             "multiAzEnabled": True, "atRestEncryptionEnabled": "true",
                                             "transitEncryptionEnabled": True, "subnetGroupName": ref("cache-subnets")}), None,
     [
         ('redis',
          "Replication group 'redis' keeps no automatic snapshots (0 days); set snapshotRetentionLimit to at least 1."),
     ]),
    # --- elasticache-subnet-group ---
    ("elasticache-subnet-group", "default", lambda s: s.drop("cache", "subnetGroupName"), None,
     [
         ('cache',
          "Cache cluster 'cache' runs in the default subnet group; create an aws.elasticache.SubnetGroup over the private data subnets of every AZ and set subnetGroupName."),
     ]),
    # --- redis-auth ---
    ("redis-auth", "open", lambda s: s.add(TOKENS["rg"], "redis", {"description": "r", "numCacheClusters": 2.0,
                                                                  "automaticFailoverEnabled": True}), None,
     [
         ('redis',
          "Replication group 'redis' lets any client in its security group connect; set an authToken (with transit encryption) or userGroupIds."),
     ]),
    # --- elasticache-auto-minor-version-upgrade ---
    ("elasticache-auto-minor-version-upgrade", "off", lambda s: s.set("cache", "autoMinorVersionUpgrade", "false"), None,
     [
         ('cache',
          "Cache cluster 'cache' turns off automatic minor version upgrades; set autoMinorVersionUpgrade to true."),
     ]),
]

COMPLIANT = [
]
