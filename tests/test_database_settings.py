"""Bad database settings: each row is raw config and the one exact problem it must produce."""

import pytest

from components.database.settings import daily_window, major_version, weekly_window, windows_overlap
from components.database import settings as database_settings
from components.validation import ConfigReader


def problems(raw: dict) -> list[str]:
    reader = ConfigReader(raw, database_settings.KEYS)
    database_settings.parse(reader)
    return reader.problems


def parsed(raw: dict) -> database_settings.DatabaseSettings:
    reader = ConfigReader(raw, database_settings.KEYS)
    result = database_settings.parse(reader)
    assert reader.problems == []
    return result


BAD_INPUTS = [
    ({"dbAppUsername": "portal-app"},
     "portal:dbAppUsername = portal-app: must start with a letter and hold at most 32 letters, digits or underscores"),
    ({"dbAppUsername": "rdsadmin"}, "portal:dbAppUsername = rdsadmin: is reserved by MySQL or RDS"),
    ({"dbAppUsername": "Portal_Admin"},
     "portal:dbAppUsername = Portal_Admin: must differ from portal:dbMasterUsername: the application never uses the "
     "master account"),
    ({"dbInstanceClass": "m5.large"},
     "portal:dbInstanceClass = m5.large: must be an RDS instance class such as db.t4g.medium or db.r6g.large"),
    ({"dbInstanceClass": "db.t4g.micro"},
     "portal:dbInstanceClass = db.t4g.micro: Performance Insights is not available on micro and small classes; "
     "use db.t4g.medium or larger"),
    ({"dbInstanceClass": "db.t3.small"},
     "portal:dbInstanceClass = db.t3.small: Performance Insights is not available on micro and small classes; "
     "use db.t4g.medium or larger"),
    ({"dbEngineVersion": "5.7"},
     'portal:dbEngineVersion = 5.7: the portal runs MySQL 8.0 or 8.4: give "8.0", "8.4" or a full version such as '
     '8.0.40'),
    ({"dbEngineVersion": "9.1"},
     'portal:dbEngineVersion = 9.1: the portal runs MySQL 8.0 or 8.4: give "8.0", "8.4" or a full version such as '
     '8.0.40'),
    ({"dbEngineVersion": "8"},
     'portal:dbEngineVersion = 8: the portal runs MySQL 8.0 or 8.4: give "8.0", "8.4" or a full version such as '
     '8.0.40'),
    ({"dbAllocatedStorage": "10"},
     "portal:dbAllocatedStorage = 10: gp3 storage for MySQL must be between 20 and 65536 GiB"),
    ({"dbAllocatedStorage": "lots"}, "portal:dbAllocatedStorage = lots: must be a whole number"),
    ({"dbAllocatedStorage": "100", "dbMaxAllocatedStorage": "100"},
     "portal:dbMaxAllocatedStorage = 100: must be at least 10% above portal:dbAllocatedStorage (100 GiB), so at "
     "least 110 GiB, for RDS to autoscale storage"),
    ({"dbAllocatedStorage": "25", "dbMaxAllocatedStorage": "27"},
     "portal:dbMaxAllocatedStorage = 27: must be at least 10% above portal:dbAllocatedStorage (25 GiB), so at "
     "least 28 GiB, for RDS to autoscale storage"),
    ({"dbMaxAllocatedStorage": "70000"},
     "portal:dbMaxAllocatedStorage = 70000: storage autoscaling cannot go beyond 65536 GiB"),
    ({"dbBackupRetentionDays": "1"},
     "portal:dbBackupRetentionDays = 1: automated backups must be kept at least 7 days (RDS allows at most 35)"),
    ({"dbBackupRetentionDays": "0"},
     "portal:dbBackupRetentionDays = 0: automated backups must be kept at least 7 days (RDS allows at most 35)"),
    ({"dbBackupRetentionDays": "36"},
     "portal:dbBackupRetentionDays = 36: automated backups must be kept at least 7 days (RDS allows at most 35)"),
    ({"dbBackupWindow": "2am-3am"},
     "portal:dbBackupWindow = 2am-3am: must be a UTC time range hh24:mi-hh24:mi, e.g. 02:00-03:00"),
    ({"dbBackupWindow": "24:00-01:00"},
     "portal:dbBackupWindow = 24:00-01:00: must be a UTC time range hh24:mi-hh24:mi, e.g. 02:00-03:00"),
    ({"dbBackupWindow": "02:00-02:15"}, "portal:dbBackupWindow = 02:00-02:15: must last at least 30 minutes"),
    ({"dbMaintenanceWindow": "sunday 04:00"},
     "portal:dbMaintenanceWindow = sunday 04:00: must be a UTC range ddd:hh24:mi-ddd:hh24:mi, e.g. "
     "sun:04:00-sun:05:00"),
    ({"dbMaintenanceWindow": "sun:04:00-sun:04:10"},
     "portal:dbMaintenanceWindow = sun:04:00-sun:04:10: must last at least 30 minutes"),
    # The daily backup window meets the weekly maintenance window on Sunday.
    ({"dbBackupWindow": "04:30-05:30", "backupHourUtc": "7"},
     "portal:dbBackupWindow = 04:30-05:30: overlaps portal:dbMaintenanceWindow (sun:04:00-sun:05:00); RDS rejects "
     "a backup window that meets the maintenance window on any day"),
    # Both windows wrap past midnight: Sunday 23:30 to Monday 00:30 meets the 23:00-00:00 backup on Sunday.
    ({"dbBackupWindow": "23:00-00:00", "dbMaintenanceWindow": "sun:23:30-mon:00:30", "backupHourUtc": "5"},
     "portal:dbBackupWindow = 23:00-00:00: overlaps portal:dbMaintenanceWindow (sun:23:30-mon:00:30); RDS rejects "
     "a backup window that meets the maintenance window on any day"),
    ({"dbMonitoringInterval": "0"},
     "portal:dbMonitoringInterval = 0: enhanced monitoring stays on: use 1, 5, 10, 15, 30 or 60 seconds"),
    ({"dbMonitoringInterval": "45"},
     "portal:dbMonitoringInterval = 45: enhanced monitoring stays on: use 1, 5, 10, 15, 30 or 60 seconds"),
    ({"dbPerformanceInsightsRetentionDays": "30"},
     "portal:dbPerformanceInsightsRetentionDays = 30: Performance Insights keeps 7 days, 731 days, or a multiple "
     "of 31 days"),
    ({"dbPerformanceInsightsRetentionDays": "3"},
     "portal:dbPerformanceInsightsRetentionDays = 3: Performance Insights keeps 7 days, 731 days, or a multiple "
     "of 31 days"),
    ({"dbPerformanceInsightsRetentionDays": "0"},
     "portal:dbPerformanceInsightsRetentionDays = 0: Performance Insights keeps 7 days, 731 days, or a multiple "
     "of 31 days"),
    ({"dbPerformanceInsightsRetentionDays": "744"},
     "portal:dbPerformanceInsightsRetentionDays = 744: Performance Insights keeps 7 days, 731 days, or a multiple "
     "of 31 days"),
    ({"dbLogRetentionDays": "10"},
     "portal:dbLogRetentionDays = 10: CloudWatch Logs accepts only 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, "
     "365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days"),
    ({"dbLongQueryTime": "0"}, "portal:dbLongQueryTime = 0: must be between 1 and 60"),
    ({"dbName": "1shop"},
     "portal:dbName = 1shop: must start with a letter and hold at most 64 letters, digits or underscores"),
    ({"dbName": "my-shop"},
     "portal:dbName = my-shop: must start with a letter and hold at most 64 letters, digits or underscores"),
    ({"dbMasterUsername": "administrator_account"},
     "portal:dbMasterUsername = administrator_account: must start with a letter and hold at most 16 letters, "
     "digits or underscores"),
    ({"dbMasterUsername": "rdsadmin"}, "portal:dbMasterUsername = rdsadmin: is reserved by MySQL or RDS"),
    ({"dbMasterUsername": "root"}, "portal:dbMasterUsername = root: is reserved by MySQL or RDS"),
]


@pytest.mark.parametrize("raw, expected", BAD_INPUTS, ids=[str(raw) for raw, _ in BAD_INPUTS])
def test_bad_database_setting_is_reported_exactly(raw, expected):
    assert problems(raw) == [expected]


def test_every_database_problem_is_reported_at_once():
    found = problems({"dbInstanceClass": "db.t4g.micro", "dbBackupRetentionDays": "3", "dbName": "1x"})
    assert [p.split(" = ")[0] for p in found] == ["portal:dbInstanceClass", "portal:dbBackupRetentionDays",
                                                   "portal:dbName"]


def test_secure_defaults():
    db = parsed({})
    assert db.backup_retention_days >= 7
    assert db.monitoring_interval > 0
    assert db.max_allocated_storage > db.allocated_storage
    assert not windows_overlap(db.backup_window, db.maintenance_window)


@pytest.mark.parametrize("backup, maintenance, overlap", [
    ("02:00-03:00", "sun:04:00-sun:05:00", False),
    ("03:30-04:00", "sun:04:00-sun:05:00", False),  # touching ends do not overlap
    ("03:30-04:01", "sun:04:00-sun:05:00", True),
    ("23:30-00:30", "mon:00:00-mon:01:00", True),   # backup past midnight into Monday
    ("22:00-23:00", "sun:23:30-mon:00:30", False),
    ("00:00-00:30", "sun:23:30-mon:00:30", True),   # maintenance past midnight, week wraps Sunday to Monday
    ("10:00-11:00", "wed:10:30-wed:11:30", True),
])
def test_window_overlap(backup, maintenance, overlap):
    assert windows_overlap(backup, maintenance) is overlap


def test_window_parsing():
    assert daily_window("23:30-00:30") == (23 * 60 + 30, 60)
    assert weekly_window("sun:23:30-mon:00:30") == (6 * 1440 + 23 * 60 + 30, 60)
    assert weekly_window("Sun:04:00-Sun:05:00") == (6 * 1440 + 240, 60)
    assert daily_window("25:00-01:00") is None


def test_a_ceiling_exactly_10_percent_above_is_accepted():
    assert parsed({"dbAllocatedStorage": "25", "dbMaxAllocatedStorage": "28"}).max_allocated_storage == 28


@pytest.mark.parametrize("version, major", [("8.0", "8.0"), ("8.0.40", "8.0"), ("8.4", "8.4"), ("8.4.3", "8.4")])
def test_supported_versions_and_their_parameter_family(version, major):
    assert parsed({"dbEngineVersion": version}).engine_version == version
    assert major_version(version) == major
