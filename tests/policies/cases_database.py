"""The database policies' cases (rules/database.py) on the compliant stack (the form: case_lists.py)."""
from .case_helpers import as_stack, aurora
from .fixtures import compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- rds-backup-retention ---
    ("rds-backup-retention", "one-day", lambda s: s.set("db", "backupRetentionPeriod", 1.0), None,
     [
         ('db',
          "RDS instance 'db' keeps automated backups for 1 day; set backupRetentionPeriod to at least 7 days."),
     ]),
    ("rds-backup-retention", "unset", lambda s: s.drop("db", "backupRetentionPeriod"), None,
     [
         ('db',
          "RDS instance 'db' keeps automated backups for an unset period (AWS defaults to 1 day or none); set backupRetentionPeriod to at least 7 days."),
     ]),
    ("rds-backup-retention", "configured-14", lambda s: s, {"minRetentionDays": 14},
     [
         ('db',
          "RDS instance 'db' keeps automated backups for 7 days; set backupRetentionPeriod to at least 14 days."),
     ]),
    ("rds-backup-retention", "aurora-cluster", lambda s: aurora(s, 2).set("aurora", "backupRetentionPeriod", 3.0), None,
     [
         ('aurora',
          "RDS cluster 'aurora' keeps automated backups for 3 days; set backupRetentionPeriod to at least 7 days."),
     ]),
    # --- rds-final-snapshot ---
    ("rds-final-snapshot", "skipped", lambda s: s.set("db", "skipFinalSnapshot", True), None,
     [
         ('db',
          "RDS instance 'db' skips its final snapshot, so deleting it loses the data; set skipFinalSnapshot to false and give a finalSnapshotIdentifier."),
     ]),
    ("rds-final-snapshot", "no-identifier", lambda s: s.drop("db", "finalSnapshotIdentifier"), None,
     [
         ('db',
          "RDS instance 'db' has no finalSnapshotIdentifier, so a delete cannot take the final snapshot; set finalSnapshotIdentifier."),
     ]),
    # --- rds-storage-encrypted ---
    ("rds-storage-encrypted", "false", lambda s: s.set("db", "storageEncrypted", False), None,
     [
         ('db',
          "RDS instance 'db' stores data unencrypted; set storageEncrypted to true (optionally with kmsKeyId)."),
     ]),
    ("rds-storage-encrypted", "unset", lambda s: s.drop("db", "storageEncrypted"), None,
     [
         ('db',
          "RDS instance 'db' stores data unencrypted; set storageEncrypted to true (optionally with kmsKeyId)."),
     ]),
    # --- rds-not-public ---
    ("rds-not-public", "public", lambda s: s.set("db", "publiclyAccessible", True), None,
     [
         ('db',
          "RDS instance 'db' is publicly accessible; set publiclyAccessible to false and reach it only from the web tier's security group."),
     ]),
    ("rds-not-public", "cluster-instance-public",
     lambda s: aurora(s, 2).set("aurora-1", "publiclyAccessible", True), None,
     [
         ('aurora-1',
          "RDS cluster instance 'aurora-1' is publicly accessible; set publiclyAccessible to false and reach it only from the web tier's security group."),
     ]),
    # --- rds-master-password-managed ---
    ("rds-master-password-managed", "literal-password",
     lambda s: s.drop("db", "manageMasterUserPassword").set("db", "password", "correct-horse-battery"), None,
     [
         ('db',
          "RDS instance 'db' takes its master password from a plaintext literal or a non-secret config value, so it is stored unencrypted in the program or its stack configuration; set manageMasterUserPassword to true, or make it secret config (pulumi config set --secret) or a generated password (random.RandomPassword)."),
     ]),
    ("rds-master-password-managed", "cluster-literal-password",
     lambda s: aurora(s, 2).drop("aurora", "manageMasterUserPassword").set("aurora", "masterPassword", "s3cr3t-pw"), None,
     [
         ('aurora',
          "RDS cluster 'aurora' takes its master password from a plaintext literal or a non-secret config value, so it is stored unencrypted in the program or its stack configuration; set manageMasterUserPassword to true, or make it secret config (pulumi config set --secret) or a generated password (random.RandomPassword)."),
     ]),
    # --- rds-deletion-protection ---
    ("rds-deletion-protection", "off", lambda s: s.set("db", "deletionProtection", False), None,
     [
         ('db',
          "RDS instance 'db' in production stack 'prod' can be deleted by accident; set deletionProtection to true."),
     ]),
    ("rds-deletion-protection", "custom-production-name", lambda s: s.set("db", "deletionProtection", False),
     {"productionStacks": ["pro*"]},
     [
         ('db',
          "RDS instance 'db' in production stack 'prod' can be deleted by accident; set deletionProtection to true."),
     ]),
    # --- rds-log-exports ---
    ("rds-log-exports", "none", lambda s: s.drop("db", "enabledCloudwatchLogsExports"), None,
     [
         ('db',
          "RDS instance 'db' exports no logs; set enabledCloudwatchLogsExports (e.g. error, slowquery) so failures can be diagnosed."),
     ]),
    # --- rds-performance-insights ---
    ("rds-performance-insights", "none", lambda s: s.drop("db", "performanceInsightsEnabled"), None,
     [
         ('db',
          "RDS instance 'db' has neither Performance Insights nor enhanced monitoring; set performanceInsightsEnabled to true or monitoringInterval to 60 or less."),
     ]),
    # --- rds-auto-minor-version-upgrade ---
    ("rds-auto-minor-version-upgrade", "off", lambda s: s.set("db", "autoMinorVersionUpgrade", False), None,
     [
         ('db',
          "RDS instance 'db' turns off automatic minor version upgrades; set autoMinorVersionUpgrade to true."),
     ]),
    # --- rds-storage-autoscaling ---
    ("rds-storage-autoscaling", "none", lambda s: s.drop("db", "maxAllocatedStorage"), None,
     [
         ('db',
          "RDS instance 'db' cannot grow its storage; set maxAllocatedStorage above allocatedStorage so a full disk does not stop the database."),
     ]),
    # --- rds-backup-window-no-overlap ---
    ("rds-backup-window-no-overlap", "overlap", lambda s: s.set("db", "maintenanceWindow", "sun:03:30-sun:04:30"), None,
     [
         ('db',
          "RDS instance 'db' has backup window 03:00-04:00 overlapping maintenance window sun:03:30-sun:04:30; move one of them."),
     ]),
    ("rds-backup-window-no-overlap", "unset", lambda s: s.drop("db", "backupWindow"), None,
     [
         ('db',
          "RDS instance 'db' leaves backupWindow to AWS; set both backupWindow and maintenanceWindow so backups and maintenance run at known, separate times."),
     ]),
    # --- rds-iam-auth ---
    ("rds-iam-auth", "off", lambda s: s.drop("db", "iamDatabaseAuthenticationEnabled"), None,
     [
         ('db',
          "RDS instance 'db' accepts only password logins; set iamDatabaseAuthenticationEnabled to true so operators connect with short-lived IAM tokens."),
     ]),
    # --- rds-require-secure-transport ---
    ("rds-require-secure-transport", "plaintext-allowed", lambda s: s.set("db-params", "parameters.0.value", "0"), None,
     [
         ('db',
          "RDS instance 'db' accepts unencrypted connections; give it a parameter group that sets require_secure_transport to 1."),
     ]),
    ("rds-require-secure-transport", "default-parameter-group", lambda s: s.drop("db", "parameterGroupName"), None,
     [
         ('db',
          "RDS instance 'db' accepts unencrypted connections; give it a parameter group that sets require_secure_transport to 1."),
     ]),
    # --- rds-non-default-master-username ---
    ("rds-non-default-master-username", "admin", lambda s: s.set("db", "username", "admin"), None,
     [
         ('db',
          "RDS instance 'db' uses the default master username 'admin'; choose an application-specific name."),
     ]),
    # --- rds-snapshot-not-public ---
    ("rds-snapshot-not-public", "shared-with-all",
     lambda s: s.add("aws:rds/snapshot:Snapshot", "db-manual", {"dbInstanceIdentifier": ref("db"),
                                                                "dbSnapshotIdentifier": "db-manual",
                                                                "sharedAccounts": ["all"]}), None,
     [
         ('db-manual',
          "Snapshot 'db-manual' is shared with all AWS accounts, so anyone can restore the data; share it only with named accounts."),
     ]),
]

COMPLIANT = [
    # --- rds-master-password-managed ---
    ("rds-master-password-managed", "password-from-resource",
     lambda s: s.add("random:index/randomPassword:RandomPassword", "db-password", {"length": 32.0}).drop(
         "db", "manageMasterUserPassword").set("db", "password", ref("db-password", "generated-Secret-1")), None),
    # --- rds-deletion-protection ---
    ("rds-deletion-protection", "staging-stack", lambda s: as_stack(s, "staging").set("db", "deletionProtection", False), None),
]
