"""Settings of the backup tier, and the disaster-recovery region every state tier copies to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.validation import ConfigKey, ConfigReader

KEYS = (
    ConfigKey("drRegion", "string",
              "Disaster-recovery region that backups are copied to (AWS Backup copies, RDS automated backup "
              "replication, S3 replication); empty means no copy leaves the portal's region.", ""),
    ConfigKey("backupDailyRetentionDays", "integer",
              "Days AWS Backup keeps the daily recovery points (and their copies in drRegion).", 35),
    ConfigKey("backupMonthlyRetentionDays", "integer",
              "Days AWS Backup keeps the monthly recovery points; longer than backupDailyRetentionDays.", 365),
    ConfigKey("backupHourUtc", "integer",
              "UTC hour at which the daily and monthly AWS Backup jobs start; outside dbBackupWindow, since RDS "
              "takes no other snapshot during its own backup.", 5),
)

REGION_PATTERN = r"[a-z]{2}(-gov)?-[a-z]+-\d"
MAX_RETENTION_DAYS = 36500  # AWS Backup's limit (100 years)


@dataclass(frozen=True)
class BackupSettings:
    dr_region: str = ""
    daily_retention_days: int = 35
    monthly_retention_days: int = 365
    hour_utc: int = 5


def parse(reader: ConfigReader) -> BackupSettings:
    dr_region = reader.string("drRegion")
    if dr_region:
        if not reader.check(_is_region(dr_region), "drRegion", dr_region,
                            "must be an AWS region name such as eu-central-1, or empty for no copy"):
            dr_region = ""
    daily = reader.integer("backupDailyRetentionDays", minimum=7, maximum=MAX_RETENTION_DAYS,
                           rule=f"daily recovery points must be kept between 7 and {MAX_RETENTION_DAYS} days")
    monthly = reader.integer("backupMonthlyRetentionDays", maximum=MAX_RETENTION_DAYS,
                             rule=f"AWS Backup keeps recovery points at most {MAX_RETENTION_DAYS} days")
    reader.check(monthly > daily, "backupMonthlyRetentionDays", monthly,
                 f"must be longer than portal:backupDailyRetentionDays ({daily} days): monthly points are the "
                 "ones kept for long")
    hour = reader.integer("backupHourUtc", minimum=0, maximum=23, rule="must be an hour of the day, 0 to 23")
    return BackupSettings(dr_region=dr_region, daily_retention_days=daily, monthly_retention_days=monthly,
                          hour_utc=hour)


def _is_region(value: str) -> bool:
    return bool(re.fullmatch(REGION_PATTERN, value))


BACKUP_START_WINDOW_MINUTES = 60


def dr_region_problem(dr_region: str, region: str) -> str | None:
    """The DR region is checked against the provider's region once the program knows it (aws:region is not a
    portal key, so the settings cannot see it)."""
    if dr_region and dr_region == region:
        return (f"portal:drRegion = {dr_region}: must differ from the portal's own region ({region}, aws:region); "
                "a copy in the same region does not survive the loss of the region")
    return None


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
