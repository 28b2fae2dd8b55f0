"""Settings of the backup tier: how long AWS Backup keeps recovery points, and when its jobs run. (Where the copies
go is the general setting drRegion.)"""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigReader, backup_retention_rule, settings_keys

# Daily recovery points live a week at least, like the database's own automated backups.
MIN_DAILY_RETENTION_DAYS = 7


@dataclass(frozen=True)
class BackupSettings:
    daily_retention_days: int = 35
    monthly_retention_days: int = 365
    hour_utc: int = 5


_key = settings_keys(BackupSettings)
KEYS = (
    _key("backupDailyRetentionDays", "integer",
         "Days AWS Backup keeps the daily recovery points (and their copies in drRegion).", "daily_retention_days"),
    _key("backupMonthlyRetentionDays", "integer",
         "Days AWS Backup keeps the monthly recovery points; longer than backupDailyRetentionDays.",
         "monthly_retention_days"),
    _key("backupHourUtc", "integer",
         "UTC hour at which the daily and monthly AWS Backup jobs start; outside dbBackupWindow, since RDS "
         "takes no other snapshot during its own backup.", "hour_utc"),
)


def parse(reader: ConfigReader) -> BackupSettings:
    daily = reader.ruled_integer("backupDailyRetentionDays", lambda days: backup_retention_rule(
        days, points="daily recovery points", least=MIN_DAILY_RETENTION_DAYS))
    monthly = reader.ruled_integer("backupMonthlyRetentionDays", lambda days: backup_retention_rule(
        days, points="monthly recovery points"))
    reader.check(monthly > daily, "backupMonthlyRetentionDays", monthly,
                 f"must be longer than portal:backupDailyRetentionDays ({daily} days): monthly points are the "
                 "ones kept for long")
    hour = reader.integer("backupHourUtc", minimum=0, maximum=23, rule="must be an hour of the day, 0 to 23")
    return BackupSettings(daily_retention_days=daily, monthly_retention_days=monthly, hour_utc=hour)


BACKUP_START_WINDOW_MINUTES = 60


def check_against_database(reader: ConfigReader, backup: BackupSettings, database) -> None:
    """AWS Backup cannot snapshot the database while RDS takes its automated backup: keep the jobs apart."""
    from components.database.settings import daily_window, intervals_overlap

    window = daily_window(database.backup_window)
    if window is None:
        return
    job = (backup.hour_utc * 60, BACKUP_START_WINDOW_MINUTES)
    reader.check(not intervals_overlap(job, window, 24 * 60), "backupHourUtc", backup.hour_utc,
                 f"the AWS Backup job's first hour overlaps portal:dbBackupWindow ({database.backup_window}); "
                 "pick an hour outside it")
