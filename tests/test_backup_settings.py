"""Bad backup settings: each row is raw config and the one exact problem it must produce."""

import pytest

from components.backup import settings as backup_settings
from components.database import settings as database_settings
from components.settings import SettingsError, load_settings
from components.validation import ConfigReader


def problems(raw: dict) -> list[str]:
    """The tier's own parse, plus the rule tying the backup hour to the database window."""
    reader = ConfigReader(raw, backup_settings.KEYS + database_settings.KEYS)
    database = database_settings.parse(reader)
    backup = backup_settings.parse(reader)
    backup_settings.check_against_database(reader, backup, database)
    return reader.problems


def parsed(raw: dict) -> backup_settings.BackupSettings:
    assert problems(raw) == []
    reader = ConfigReader(raw, backup_settings.KEYS)
    return backup_settings.parse(reader)


BAD_INPUTS = [
    ({"backupDailyRetentionDays": "3"},
     "portal:backupDailyRetentionDays = 3: daily recovery points must be kept between 7 and 36500 days"),
    ({"backupDailyRetentionDays": "week"}, "portal:backupDailyRetentionDays = week: must be a whole number"),
    ({"backupMonthlyRetentionDays": "30"},
     "portal:backupMonthlyRetentionDays = 30: must be longer than portal:backupDailyRetentionDays (35 days): "
     "monthly points are the ones kept for long"),
    ({"backupDailyRetentionDays": "90", "backupMonthlyRetentionDays": "90"},
     "portal:backupMonthlyRetentionDays = 90: must be longer than portal:backupDailyRetentionDays (90 days): "
     "monthly points are the ones kept for long"),
    ({"backupDailyRetentionDays": "36501"},
     "portal:backupDailyRetentionDays = 36501: daily recovery points must be kept between 7 and 36500 days"),
    ({"backupMonthlyRetentionDays": "40000"},
     "portal:backupMonthlyRetentionDays = 40000: monthly recovery points must be kept between 1 and 36500 days"),
    # Out of AWS Backup's range: only that is reported, not also the comparison with the daily points.
    ({"backupMonthlyRetentionDays": "0"},
     "portal:backupMonthlyRetentionDays = 0: monthly recovery points must be kept between 1 and 36500 days"),
    ({"backupHourUtc": "24"}, "portal:backupHourUtc = 24: must be an hour of the day, 0 to 23"),
    ({"backupHourUtc": "-1"}, "portal:backupHourUtc = -1: must be an hour of the day, 0 to 23"),
    ({"backupHourUtc": "2"},
     "portal:backupHourUtc = 2: the AWS Backup job's first hour overlaps portal:dbBackupWindow (02:00-03:00); "
     "pick an hour outside it"),
    # The job's first hour (01:00-02:00) reaches into a backup window that starts at 01:30.
    ({"backupHourUtc": "1", "dbBackupWindow": "01:30-02:30"},
     "portal:backupHourUtc = 1: the AWS Backup job's first hour overlaps portal:dbBackupWindow (01:30-02:30); "
     "pick an hour outside it"),
]


@pytest.mark.parametrize("raw, expected", BAD_INPUTS, ids=[str(raw) for raw, _ in BAD_INPUTS])
def test_bad_backup_setting_is_reported_exactly(raw, expected):
    assert problems(raw) == [expected]


def test_backup_hour_right_after_the_database_window_is_accepted():
    assert parsed({"backupHourUtc": "3"}).hour_utc == 3


def test_the_portal_settings_apply_the_backup_hour_rule():
    """The cross-tier rule is wired into load_settings, not only callable."""
    with pytest.raises(SettingsError) as caught:
        load_settings({"backupHourUtc": "2"}, "staging")
    assert ("portal:backupHourUtc = 2: the AWS Backup job's first hour overlaps portal:dbBackupWindow "
            "(02:00-03:00); pick an hour outside it") in caught.value.problems

