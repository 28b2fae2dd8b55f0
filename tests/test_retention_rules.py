"""The retention rules, one pure function per service limit, and the config keys that use them."""

import pytest

from components.settings import SettingsError, load_settings
from components.validation import (
    LOG_RETENTION_DAYS, backup_retention_rule, lifecycle_days_rule, log_retention_rule, object_lock_retention_rule,
    performance_insights_retention_rule, rds_backup_retention_rule)

LOGS_RULE = ("CloudWatch Logs accepts only 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, "
             "1827, 2192, 2557, 2922, 3288, 3653 days")
RDS_RULE = "automated backups must be kept at least 7 days (RDS allows at most 35)"
INSIGHTS_RULE = "Performance Insights keeps 7 days, 731 days, or a multiple of 31 days"


@pytest.mark.parametrize("days", LOG_RETENTION_DAYS)
def test_cloudwatch_logs_periods_are_accepted(days):
    assert log_retention_rule(days) is None


@pytest.mark.parametrize("days", [-1, 0, 2, 4, 45, 364, 366, 3652, 3654, 10000])
def test_other_log_periods_are_refused(days):
    assert log_retention_rule(days) == LOGS_RULE


@pytest.mark.parametrize("days, expected", [(6, RDS_RULE), (7, None), (35, None), (36, RDS_RULE), (0, RDS_RULE)])
def test_rds_backup_retention(days, expected):
    assert rds_backup_retention_rule(days) == expected


@pytest.mark.parametrize("days, least, expected", [
    (1, 1, None), (36500, 1, None), (0, 1, "recovery points must be kept between 1 and 36500 days"),
    (36501, 1, "recovery points must be kept between 1 and 36500 days"),
    (6, 7, "recovery points must be kept between 7 and 36500 days"), (7, 7, None),
])
def test_aws_backup_retention(days, least, expected):
    assert backup_retention_rule(days, least=least) == expected


def test_aws_backup_retention_names_the_points():
    assert backup_retention_rule(3, points="daily recovery points", least=7) == \
        "daily recovery points must be kept between 7 and 36500 days"


@pytest.mark.parametrize("days", [7, 31, 62, 713, 731])
def test_performance_insights_periods_are_accepted(days):
    assert performance_insights_retention_rule(days) is None


@pytest.mark.parametrize("days", [0, -31, 1, 6, 8, 30, 32, 730, 744, 732])
def test_other_performance_insights_periods_are_refused(days):
    assert performance_insights_retention_rule(days) == INSIGHTS_RULE


@pytest.mark.parametrize("days, most, expected", [
    (1, 3650, None), (3650, 3650, None), (0, 3650, "must be between 1 and 3650 days"),
    (3651, 3650, "must be between 1 and 3650 days"), (36500, 36500, None),
])
def test_s3_lifecycle_days(days, most, expected):
    assert lifecycle_days_rule(days, most) == expected


@pytest.mark.parametrize("days, expected", [
    (1, None), (36500, None), (0, "must be between 1 and 36500 days (S3 Object Lock's range)"),
    (36501, "must be between 1 and 36500 days (S3 Object Lock's range)"),
])
def test_object_lock_days(days, expected):
    assert object_lock_retention_rule(days) == expected


# Every retention key of the portal, with a value its rule refuses: each is reported in the one format, and all
# of them at once.
EVERY_RETENTION_KEY = {
    "flowLogRetentionDays": ("45", LOGS_RULE),
    "dbLogRetentionDays": ("45", LOGS_RULE),
    "wafLogRetentionDays": ("45", LOGS_RULE),
    "logRetentionDays": ("45", LOGS_RULE),
    "dbBackupRetentionDays": ("36", RDS_RULE),
    "dbPerformanceInsightsRetentionDays": ("30", INSIGHTS_RULE),
    "backupDailyRetentionDays": ("6", "daily recovery points must be kept between 7 and 36500 days"),
    "backupMonthlyRetentionDays": ("36501", "monthly recovery points must be kept between 1 and 36500 days"),
    "accessLogRetentionDays": ("3651", "must be between 1 and 3650 days"),
    "backupNoncurrentExpirationDays": ("36501", "must be between 1 and 36500 days"),
    "backupObjectLockDays": ("0", "must be between 1 and 36500 days (S3 Object Lock's range)"),
}


def test_every_retention_key_is_checked_by_its_rule_all_at_once():
    with pytest.raises(SettingsError) as caught:
        load_settings({key: value for key, (value, _) in EVERY_RETENTION_KEY.items()}, "staging")
    assert sorted(caught.value.problems) == sorted(
        f"portal:{key} = {value}: {rule}" for key, (value, rule) in EVERY_RETENTION_KEY.items())
