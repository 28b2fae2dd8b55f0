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
    ({"drRegion": "Frankfurt"},
     "portal:drRegion = Frankfurt: must be an AWS region name such as eu-central-1, or empty for no copy"),
    ({"drRegion": "eu-central-1a"},
     "portal:drRegion = eu-central-1a: must be an AWS region name such as eu-central-1, or empty for no copy"),
    ({"drRegion": "42"}, "portal:drRegion = 42: must be an AWS region name such as eu-central-1, or empty for no copy"),
    ({"backupDailyRetentionDays": "3"},
     "portal:backupDailyRetentionDays = 3: daily recovery points must be kept between 7 and 36500 days"),
    ({"backupDailyRetentionDays": "week"}, "portal:backupDailyRetentionDays = week: must be a whole number"),
    ({"backupMonthlyRetentionDays": "30"},
     "portal:backupMonthlyRetentionDays = 30: must be longer than portal:backupDailyRetentionDays (35 days): "
     "monthly points are the ones kept for long"),
    ({"backupDailyRetentionDays": "90", "backupMonthlyRetentionDays": "90"},
     "portal:backupMonthlyRetentionDays = 90: must be longer than portal:backupDailyRetentionDays (90 days): "
     "monthly points are the ones kept for long"),
    ({"backupMonthlyRetentionDays": "40000"},
     "portal:backupMonthlyRetentionDays = 40000: AWS Backup keeps recovery points at most 36500 days"),
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


def test_dr_region_is_optional_and_shared():
    assert parsed({}).dr_region == ""
    assert parsed({"drRegion": "eu-central-1"}).dr_region == "eu-central-1"


def test_backup_hour_right_after_the_database_window_is_accepted():
    assert parsed({"backupHourUtc": "3"}).hour_utc == 3


def test_the_portal_settings_apply_the_backup_hour_rule():
    """The cross-tier rule is wired into load_settings, not only callable."""
    with pytest.raises(SettingsError) as caught:
        load_settings({"backupHourUtc": "2"}, "staging")
    assert ("portal:backupHourUtc = 2: the AWS Backup job's first hour overlaps portal:dbBackupWindow "
            "(02:00-03:00); pick an hour outside it") in caught.value.problems


@pytest.mark.parametrize("dr_region, region, expected", [
    ("", "eu-west-1", None),
    ("eu-central-1", "eu-west-1", None),
    ("eu-west-1", "eu-west-1", "portal:drRegion = eu-west-1: must differ from the portal's own region (eu-west-1, "
                               "aws:region); a copy in the same region does not survive the loss of the region"),
])
def test_dr_region_must_be_another_region(dr_region, region, expected):
    assert backup_settings.dr_region_problem(dr_region, region) == expected
