"""The backup policies' cases (rules/backup.py) on the compliant stack (the form: case_lists.py)."""
from .case_helpers import as_stack, instance
from .fixtures import TOKENS, compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- stateful-resources-protected ---
    ("stateful-resources-protected", "database", lambda s: s.protect("db", False), None,
     [
         ('db',
          "RDS instance 'db' holds state that a mistaken `pulumi destroy` or replacement would lose; add opts=ResourceOptions(protect=True)."),
     ]),
    ("stateful-resources-protected", "backup-bucket", lambda s: s.protect("backups", False), None,
     [
         ('backups',
          "Backup bucket 'backups' holds state that a mistaken `pulumi destroy` or replacement would lose; add opts=ResourceOptions(protect=True)."),
     ]),
    # --- backup-plan-coverage ---
    ("backup-plan-coverage", "not-selected", lambda s: s.remove("plan-db"), None,
     [
         ('db',
          "RDS instance 'db' is in no AWS Backup selection; add it to an aws.backup.Selection of a plan with a cross-region copy."),
         ('backups',
          "Backup bucket 'backups' is in no AWS Backup selection; add it to an aws.backup.Selection of a plan with a cross-region copy."),
     ]),
    ("backup-plan-coverage", "backup-bucket", lambda s: s.set("plan-db", "resources", [ref("db")]), None,
     [
         ('backups',
          "Backup bucket 'backups' is in no AWS Backup selection; add it to an aws.backup.Selection of a plan with a cross-region copy."),
     ]),
    ("backup-plan-coverage", "stand-alone-instance", lambda s: instance(s), None,
     [
         ('lone',
          "Stand-alone instance 'lone' is in no AWS Backup selection; add it to an aws.backup.Selection of a plan with a cross-region copy."),
     ]),
    # --- backup-plan-retention-and-copy ---
    ("backup-plan-retention-and-copy", "short", lambda s: s.set("plan", "rules.0.lifecycle.deleteAfter", 3.0), None,
     [
         ('plan',
          "Backup plan 'plan' rule daily deletes recovery points after 3 days; keep them at least 7 days."),
     ]),
    ("backup-plan-retention-and-copy", "no-copy", lambda s: s.drop("plan", "rules.0.copyActions"), None,
     [
         ('plan',
          "Backup plan 'plan' keeps every copy in one region; add a copyActions entry to a vault in another region or account."),
     ]),
    # --- backup-vault-locked ---
    ("backup-vault-locked", "unlocked", lambda s: s.remove("vault-lock"), None,
     [
         ('vault',
          "Backup vault 'vault' can have its recovery points deleted; add an aws.backup.VaultLockConfiguration with a minimum retention."),
     ]),
    # --- kms-key-rotation ---
    ("kms-key-rotation", "off", lambda s: s.drop("backup-key", "enableKeyRotation"), None,
     [
         ('backup-key',
          "KMS key 'backup-key' is never rotated; set enableKeyRotation to true."),
     ]),
    # --- secret-encrypted-with-cmk ---
    ("secret-encrypted-with-cmk", "aws-key",
     lambda s: s.add("aws:secretsmanager/secret:Secret", "api-key", {"description": "payment API key"}), None,
     [
         ('api-key',
          "Secret 'api-key' is encrypted with the AWS-managed key; set kmsKeyId to a customer-managed key so access can be audited and revoked."),
     ]),
    # --- kms-key-enabled ---
    ("kms-key-enabled", "disabled", lambda s: s.set("backup-key", "isEnabled", False), None,
     [
         ('backup-key',
          "KMS key 'backup-key' is disabled, so everything encrypted with it is unreadable; set isEnabled to true."),
     ]),
]

COMPLIANT = [
    # --- stateful-resources-protected ---
    ("stateful-resources-protected", "staging-stack", lambda s: as_stack(s, "staging").protect("db", False), None),
    # --- backup-plan-coverage ---
    ("backup-plan-coverage", "selection-by-tag",
     lambda s: s.set("db", "tags", {"backup": "daily"}).set("backups", "tags", {"backup": "daily"}).drop(
         "plan-db", "resources").set("plan-db", "selectionTags", [{"type": "STRINGEQUALS", "key": "backup",
                                                                   "value": "daily"}]), None),
    ("backup-plan-coverage", "replica-bucket-is-the-copy",
     lambda s: s.add(TOKENS["bucket"], "backups-replica", {"bucket": "shop-backups-replica", "region": "us-west-2"}).add(
         TOKENS["replication"], "backups-replication", {"bucket": ref("backups"), "role": "arn:aws:iam::1:role/r", "rules": [
                  {"id": "dr", "status": "Enabled", "destination": {"bucket": ref("backups-replica")}}]}), None),
]
