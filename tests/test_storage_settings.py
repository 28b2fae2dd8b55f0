"""Storage settings: each bad input is reported with its key, the value given and the rule, and nothing else."""

import pytest

from components.storage import settings as storage_settings
from components.settings import SettingsError, load_settings
from components.validation import ConfigReader
from components.storage.settings import StorageSettings


def problems(raw: dict) -> list[str]:
    """The problems naming this tier's keys or a key given here (other tiers' rules are not under test)."""
    with pytest.raises(SettingsError) as caught:
        load_settings(raw, "staging")
    names = {key.name for key in storage_settings.KEYS} | set(raw)
    return [p for p in caught.value.problems if p.split(" = ", 1)[0].removeprefix("portal:") in names]


def own(raw: dict) -> storage_settings.StorageSettings:
    """This tier's settings parsed alone, so the defaults under test are this tier's only."""
    reader = ConfigReader(raw, storage_settings.KEYS)
    value = storage_settings.parse(reader)
    assert reader.problems == []
    return value


BAD_INPUTS = [
    ({"accessLogRetentionDays": "0"}, "portal:accessLogRetentionDays = 0: must be between 1 and 3650 days"),
    ({"accessLogRetentionDays": "forever"}, "portal:accessLogRetentionDays = forever: must be a whole number"),
    ({"accessLogRetentionDays": "4000"}, "portal:accessLogRetentionDays = 4000: must be between 1 and 3650 days"),
    ({"backupNoncurrentTransitionDays": "0"},
     "portal:backupNoncurrentTransitionDays = 0: must be between 1 and 3650 days"),
    ({"backupNoncurrentTransitionDays": "7.5"},
     "portal:backupNoncurrentTransitionDays = 7.5: must be a whole number"),
    ({"backupNoncurrentExpirationDays": "100"},
     "portal:backupNoncurrentExpirationDays = 100: must be at least portal:backupNoncurrentTransitionDays + 90 "
     "(120): Glacier bills every object for 90 days"),
    ({"backupNoncurrentTransitionDays": "300"},
     "portal:backupNoncurrentExpirationDays = 365: must be at least portal:backupNoncurrentTransitionDays + 90 "
     "(390): Glacier bills every object for 90 days"),
    ({"backupNoncurrentExpirationDays": "-1"},
     "portal:backupNoncurrentExpirationDays = -1: must be between 1 and 36500 days"),
    ({"backupObjectLockMode": "governance"},
     "portal:backupObjectLockMode = governance: must be one of GOVERNANCE, COMPLIANCE"),
    ({"backupObjectLockMode": "LEGAL_HOLD"},
     "portal:backupObjectLockMode = LEGAL_HOLD: must be one of GOVERNANCE, COMPLIANCE"),
    ({"backupObjectLockDays": "0"},
     "portal:backupObjectLockDays = 0: must be between 1 and 36500 days (S3 Object Lock's range)"),
    ({"backupObjectLockDays": "a month"}, "portal:backupObjectLockDays = a month: must be a whole number"),
    ({"backupObjectLockDays": "400"},
     "portal:backupObjectLockDays = 400: must not exceed portal:backupNoncurrentExpirationDays (365): S3 cannot "
     "remove a version while it is locked"),
    ({"accessLogRetentionDay": "30"},
     "portal:accessLogRetentionDay = 30: unknown key: the portal does not read it; did you mean "
     "portal:accessLogRetentionDays?"),
]


@pytest.mark.parametrize("raw, expected", BAD_INPUTS, ids=[str(raw) for raw, _ in BAD_INPUTS])
def test_bad_input_is_reported_exactly(raw, expected):
    assert problems(raw) == [expected]


def test_every_problem_is_reported_at_once():
    found = problems({"accessLogRetentionDays": "0", "backupObjectLockMode": "x", "backupObjectLockDays": "0"})
    assert len(found) == 3


def test_secure_defaults():
    storage = own({})
    assert storage == StorageSettings(access_log_retention_days=90, backup_noncurrent_transition_days=30,
                                      backup_noncurrent_expiration_days=365, backup_object_lock_mode="GOVERNANCE",
                                      backup_object_lock_days=30)


def test_good_values_are_read_as_numbers_and_words():
    storage = own({"accessLogRetentionDays": "400", "backupNoncurrentTransitionDays": "60",
                             "backupNoncurrentExpirationDays": 730.0, "backupObjectLockMode": "COMPLIANCE",
                             "backupObjectLockDays": "90"})
    assert (storage.access_log_retention_days, storage.backup_noncurrent_transition_days,
            storage.backup_noncurrent_expiration_days, storage.backup_object_lock_mode,
            storage.backup_object_lock_days) == (400, 60, 730, "COMPLIANCE", 90)
