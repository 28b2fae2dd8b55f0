"""Settings of the storage tier: how long logs and old backup versions live, and how backups are locked."""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigReader, lifecycle_days_rule, object_lock_retention_rule, settings_keys

OBJECT_LOCK_MODES = ("GOVERNANCE", "COMPLIANCE")

# S3 bills objects moved to Glacier Flexible Retrieval for at least 90 days; expiring them sooner pays for
# storage that is never used, so the expiry must leave them there that long.
GLACIER_MINIMUM_DAYS = 90
# Ten years of access logs or of a version waiting for Glacier is already far past any use; a backup version may be
# kept as long as S3 Object Lock can lock it.
MAX_LIFECYCLE_DAYS = 3650
MAX_VERSION_DAYS = 36500


@dataclass(frozen=True)
class StorageSettings:
    access_log_retention_days: int = 90
    backup_noncurrent_transition_days: int = 30
    backup_noncurrent_expiration_days: int = 365
    backup_object_lock_mode: str = "GOVERNANCE"
    backup_object_lock_days: int = 30


_key = settings_keys(StorageSettings)
KEYS = (
    _key("accessLogRetentionDays", "integer",
         "Days ALB and CloudFront access logs are kept in the logs bucket before they expire.",
         "access_log_retention_days"),
    _key("backupNoncurrentTransitionDays", "integer",
         "Days a replaced or deleted version in the backups bucket stays in S3 Standard before it moves to "
         "Glacier Flexible Retrieval.", "backup_noncurrent_transition_days"),
    _key("backupNoncurrentExpirationDays", "integer",
         "Days a replaced or deleted version in the backups bucket is kept before S3 removes it (at least "
         "90 days after it reaches Glacier).", "backup_noncurrent_expiration_days"),
    _key("backupObjectLockMode", "string",
         "Object Lock mode of the backups bucket: GOVERNANCE (users with s3:BypassGovernanceRetention can "
         "still delete) or COMPLIANCE (nobody can, not even the root user, until retention ends).",
         "backup_object_lock_mode"),
    _key("backupObjectLockDays", "integer",
         "Days every object written to the backups bucket is locked against deletion and overwrite.",
         "backup_object_lock_days"),
)


def parse(reader: ConfigReader) -> StorageSettings:
    log_days = reader.ruled_integer("accessLogRetentionDays", lambda days: lifecycle_days_rule(days, MAX_LIFECYCLE_DAYS))
    transition = reader.ruled_integer("backupNoncurrentTransitionDays",
                                      lambda days: lifecycle_days_rule(days, MAX_LIFECYCLE_DAYS))
    expiration = reader.ruled_integer("backupNoncurrentExpirationDays",
                                      lambda days: lifecycle_days_rule(days, MAX_VERSION_DAYS))
    reader.check(expiration >= transition + GLACIER_MINIMUM_DAYS, "backupNoncurrentExpirationDays", expiration,
                 f"must be at least portal:backupNoncurrentTransitionDays + {GLACIER_MINIMUM_DAYS} "
                 f"({transition + GLACIER_MINIMUM_DAYS}): Glacier bills every object for {GLACIER_MINIMUM_DAYS} days")
    mode = reader.string("backupObjectLockMode", choices=OBJECT_LOCK_MODES)
    lock_days = reader.ruled_integer("backupObjectLockDays", object_lock_retention_rule)
    reader.check(lock_days <= expiration, "backupObjectLockDays", lock_days,
                 "must not exceed portal:backupNoncurrentExpirationDays "
                 f"({expiration}): S3 cannot remove a version while it is locked")
    return StorageSettings(access_log_retention_days=log_days, backup_noncurrent_transition_days=transition,
                           backup_noncurrent_expiration_days=expiration, backup_object_lock_mode=mode,
                           backup_object_lock_days=lock_days)
