"""Settings of the database tier: RDS MySQL (8.4 by default), Multi-AZ, holding the shop's data and its sessions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.validation import (
    ConfigReader, log_retention_rule, performance_insights_retention_rule, rds_backup_retention_rule, settings_keys)


MIN_STORAGE_GIB = 20  # the gp3 minimum for RDS MySQL
MAX_STORAGE_GIB = 65536
MONITORING_INTERVALS = (1, 5, 10, 15, 30, 60)
# Performance Insights on MySQL is not offered on the micro and small burstable classes.
_NO_INSIGHTS = re.compile(r"db\.t[234]g?\.(micro|small)")
_RESERVED_USERNAMES = ("rdsadmin", "rdsrepladmin", "root", "mysql.sys", "mysql.session", "mysql.infoschema")

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MINUTES_PER_DAY = 24 * 60
_MINUTES_PER_WEEK = 7 * _MINUTES_PER_DAY
_HHMM = r"([01]\d|2[0-3]):([0-5]\d)"
_DAILY = re.compile(rf"{_HHMM}-{_HHMM}")
_WEEKLY = re.compile(rf"(mon|tue|wed|thu|fri|sat|sun):{_HHMM}-(mon|tue|wed|thu|fri|sat|sun):{_HHMM}")
MIN_WINDOW_MINUTES = 30


@dataclass(frozen=True)
class DatabaseSettings:
    instance_class: str = "db.t4g.medium"
    engine_version: str = "8.4"
    allocated_storage: int = 20
    max_allocated_storage: int = 100
    backup_retention_days: int = 7
    backup_window: str = "02:00-03:00"
    maintenance_window: str = "sun:04:00-sun:05:00"
    monitoring_interval: int = 60
    performance_insights_retention_days: int = 7
    log_retention_days: int = 30
    long_query_time: int = 2
    db_name: str = "portal"
    master_username: str = "portal_admin"
    app_username: str = "portal_app"


_key = settings_keys(DatabaseSettings)
KEYS = (
    _key("dbInstanceClass", "string",
         "RDS instance class of the MySQL database (Multi-AZ, so two of them run). Performance Insights "
         "needs db.*.medium or larger.", "instance_class"),
    _key("dbEngineVersion", "string",
         "MySQL version: \"8.0\" or \"8.4\" (RDS picks the latest minor and upgrades it automatically) or a "
         "full version such as 8.4.3. 8.0 runs on paid RDS Extended Support. Changing the major version upgrades "
         "the database in place.", "engine_version"),
    _key("dbAllocatedStorage", "integer", "Initial gp3 storage of the database in GiB (20 to 65536).",
         "allocated_storage"),
    _key("dbMaxAllocatedStorage", "integer",
         "Storage autoscaling ceiling in GiB; at least 10% above dbAllocatedStorage.", "max_allocated_storage"),
    _key("dbBackupRetentionDays", "integer",
         "Days RDS keeps automated backups and point-in-time recovery (7 to 35).", "backup_retention_days"),
    _key("dbBackupWindow", "string",
         "Daily UTC window of the automated backup, hh24:mi-hh24:mi, at least 30 minutes, not overlapping "
         "dbMaintenanceWindow.", "backup_window"),
    _key("dbMaintenanceWindow", "string",
         "Weekly UTC maintenance window, ddd:hh24:mi-ddd:hh24:mi, at least 30 minutes, not overlapping "
         "dbBackupWindow.", "maintenance_window"),
    _key("dbMonitoringInterval", "integer",
         "Seconds between enhanced monitoring samples: 1, 5, 10, 15, 30 or 60.", "monitoring_interval"),
    _key("dbPerformanceInsightsRetentionDays", "integer",
         "Days Performance Insights keeps its data: 7, 731, or a multiple of 31.",
         "performance_insights_retention_days"),
    _key("dbLogRetentionDays", "integer",
         "Days the exported MySQL error and slow query logs are kept in CloudWatch Logs.", "log_retention_days"),
    _key("dbLongQueryTime", "integer",
         "Seconds after which a query is written to the slow query log (1 to 60).", "long_query_time"),
    _key("dbName", "string", "Name of the shop's database schema (it also holds the sessions table).",
         "db_name"),
    _key("dbMasterUsername", "string",
         "Master user name; its password is generated and rotated by RDS in Secrets Manager, and only the "
         "stack's database bootstrap function reads it.", "master_username"),
    _key("dbAppUsername", "string",
         "The application's own MySQL user: IAM database authentication (no password), TLS required, data "
         "and schema rights on dbName only. Created by the stack; the web servers connect as this user.",
         "app_username"),
)


# -- windows, as minutes ---------------------------------------------------------------------------

def daily_window(text: str) -> tuple[int, int] | None:
    """`hh:mi-hh:mi` as (start, length) in minutes of the day; a window may run past midnight."""
    match = _DAILY.fullmatch(text)
    if not match:
        return None
    start = int(match[1]) * 60 + int(match[2])
    end = int(match[3]) * 60 + int(match[4])
    return start, (end - start) % _MINUTES_PER_DAY


def weekly_window(text: str) -> tuple[int, int] | None:
    """`ddd:hh:mi-ddd:hh:mi` as (start, length) in minutes of the week (Monday 00:00 is 0); it may wrap."""
    match = _WEEKLY.fullmatch(text.lower())
    if not match:
        return None
    start = DAYS.index(match[1]) * _MINUTES_PER_DAY + int(match[2]) * 60 + int(match[3])
    end = DAYS.index(match[4]) * _MINUTES_PER_DAY + int(match[5]) * 60 + int(match[6])
    return start, (end - start) % _MINUTES_PER_WEEK


def intervals_overlap(a: tuple[int, int], b: tuple[int, int], period: int) -> bool:
    """Whether [a0, a0+a1) and [b0, b0+b1) meet on a circle of `period` minutes."""
    (a_start, a_len), (b_start, b_len) = a, b
    return (b_start - a_start) % period < a_len or (a_start - b_start) % period < b_len


def windows_overlap(backup_window: str, maintenance_window: str) -> bool:
    """Whether the daily backup window meets the weekly maintenance window on any day of the week."""
    daily, weekly = daily_window(backup_window), weekly_window(maintenance_window)
    if daily is None or weekly is None:
        raise ValueError("windows must be valid before they are compared")
    return any(intervals_overlap((day * _MINUTES_PER_DAY + daily[0], daily[1]), weekly, _MINUTES_PER_WEEK)
               for day in range(7))


def parse(reader: ConfigReader) -> DatabaseSettings:
    instance_class = reader.string(
        "dbInstanceClass", pattern=r"db\.[a-z0-9]+\.[a-z0-9]+",
        rule="must be an RDS instance class such as db.t4g.medium or db.r6g.large")
    reader.check(not _NO_INSIGHTS.fullmatch(instance_class), "dbInstanceClass", instance_class,
                 "Performance Insights is not available on micro and small classes; use db.t4g.medium or larger")

    engine_version = reader.string(
        "dbEngineVersion", pattern=r"8\.[04](\.\d+)?",
        rule="the portal runs MySQL 8.0 or 8.4: give \"8.0\", \"8.4\" or a full version such as 8.0.40")

    allocated = reader.integer("dbAllocatedStorage", minimum=MIN_STORAGE_GIB, maximum=MAX_STORAGE_GIB,
                               rule=f"gp3 storage for MySQL must be between {MIN_STORAGE_GIB} and "
                                    f"{MAX_STORAGE_GIB} GiB")
    ceiling = reader.integer("dbMaxAllocatedStorage", maximum=MAX_STORAGE_GIB,
                             rule=f"storage autoscaling cannot go beyond {MAX_STORAGE_GIB} GiB")
    # RDS rejects a ceiling less than 10% above the allocated storage.
    least = -(-allocated * 11 // 10)
    reader.check(ceiling >= least, "dbMaxAllocatedStorage", ceiling,
                 f"must be at least 10% above portal:dbAllocatedStorage ({allocated} GiB), so at least {least} GiB, "
                 "for RDS to autoscale storage")

    retention = reader.ruled_integer("dbBackupRetentionDays", rds_backup_retention_rule)

    backup_window = reader.string("dbBackupWindow")
    daily = daily_window(backup_window)
    if daily is None:
        reader.problem("dbBackupWindow", backup_window, "must be a UTC time range hh24:mi-hh24:mi, e.g. 02:00-03:00")
    else:
        reader.check(daily[1] >= MIN_WINDOW_MINUTES, "dbBackupWindow", backup_window,
                     f"must last at least {MIN_WINDOW_MINUTES} minutes")
    maintenance_window = reader.string("dbMaintenanceWindow")
    weekly = weekly_window(maintenance_window)
    if weekly is None:
        reader.problem("dbMaintenanceWindow", maintenance_window,
                       "must be a UTC range ddd:hh24:mi-ddd:hh24:mi, e.g. sun:04:00-sun:05:00")
    else:
        reader.check(weekly[1] >= MIN_WINDOW_MINUTES, "dbMaintenanceWindow", maintenance_window,
                     f"must last at least {MIN_WINDOW_MINUTES} minutes")
    if daily is not None and weekly is not None and windows_overlap(backup_window, maintenance_window):
        reader.problem("dbBackupWindow", backup_window,
                       f"overlaps portal:dbMaintenanceWindow ({maintenance_window}); RDS rejects a backup window "
                       "that meets the maintenance window on any day")

    monitoring = reader.integer("dbMonitoringInterval")
    reader.check(monitoring in MONITORING_INTERVALS, "dbMonitoringInterval", monitoring,
                 "enhanced monitoring stays on: use 1, 5, 10, 15, 30 or 60 seconds")

    insights = reader.ruled_integer("dbPerformanceInsightsRetentionDays", performance_insights_retention_rule)
    log_retention = reader.ruled_integer("dbLogRetentionDays", log_retention_rule)

    long_query_time = reader.integer("dbLongQueryTime", minimum=1, maximum=60)

    db_name = reader.string("dbName", pattern=r"[A-Za-z][A-Za-z0-9_]{0,63}",
                            rule="must start with a letter and hold at most 64 letters, digits or underscores")
    username = reader.string("dbMasterUsername", pattern=r"[A-Za-z][A-Za-z0-9_]{0,15}",
                             rule="must start with a letter and hold at most 16 letters, digits or underscores")
    reader.check(username.lower() not in _RESERVED_USERNAMES, "dbMasterUsername", username,
                 "is reserved by MySQL or RDS")
    # MySQL user names are at most 32 characters.
    app_username = reader.string("dbAppUsername", pattern=r"[A-Za-z][A-Za-z0-9_]{0,31}",
                                 rule="must start with a letter and hold at most 32 letters, digits or underscores")
    reader.check(app_username.lower() not in _RESERVED_USERNAMES, "dbAppUsername", app_username,
                 "is reserved by MySQL or RDS")
    reader.check(app_username.lower() != username.lower(), "dbAppUsername", app_username,
                 "must differ from portal:dbMasterUsername: the application never uses the master account")

    return DatabaseSettings(
        instance_class=instance_class, engine_version=engine_version, allocated_storage=allocated,
        max_allocated_storage=ceiling, backup_retention_days=retention, backup_window=backup_window,
        maintenance_window=maintenance_window, monitoring_interval=monitoring,
        performance_insights_retention_days=insights, log_retention_days=log_retention,
        long_query_time=long_query_time, db_name=db_name, master_username=username,
        app_username=app_username)


def major_version(engine_version: str) -> str:
    """"8.0.40" -> "8.0": the major version names the parameter group family."""
    return ".".join(engine_version.split(".")[:2])
