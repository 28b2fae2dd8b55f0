"""Monitoring settings: every bad input is named with its key, the value given and the rule (pure, no mocks)."""

import pytest

from components.monitoring import settings as monitoring
from components.validation import ConfigReader

E164_RULE = ("not an E.164 phone number: + then the country code and number, digits only, at most 15, "
             "e.g. +447700900123")
HTTPS_RULE = ("not an https:// URL with a DNS host name (plain http and IP addresses are refused: alerts must "
              "travel encrypted)")


def parse(raw: dict) -> tuple[monitoring.MonitoringSettings, list[str]]:
    reader = ConfigReader(raw, monitoring.KEYS)
    reader.check_unknown_keys()
    return monitoring.parse(reader), reader.problems


BAD_INPUTS = [
    ({"alertEmails": '["ops@example.com", "not-an-email"]'},
     'portal:alertEmails = ["ops@example.com", "not-an-email"]: not-an-email: not an e-mail address like '
     'ops@example.com'),
    ({"alertEmails": '["ops@localhost"]'},
     'portal:alertEmails = ["ops@localhost"]: ops@localhost: not an e-mail address like ops@example.com'),
    ({"alertEmails": "ops@example.com"}, "portal:alertEmails = ops@example.com: must be a list of strings"),
    ({"alertEmails": '["ops@example.com", "ops@example.com"]'},
     'portal:alertEmails = ["ops@example.com", "ops@example.com"]: lists the same endpoint twice'),
    ({"alertSmsNumbers": '["07700900123"]'}, f'portal:alertSmsNumbers = ["07700900123"]: 07700900123: {E164_RULE}'),
    ({"alertSmsNumbers": '["+44 7700 900123"]'},
     f'portal:alertSmsNumbers = ["+44 7700 900123"]: +44 7700 900123: {E164_RULE}'),
    ({"alertSmsNumbers": '["+4477009001234567"]'},
     f'portal:alertSmsNumbers = ["+4477009001234567"]: +4477009001234567: {E164_RULE}'),
    ({"alertSmsNumbers": "[447700900123]"}, "portal:alertSmsNumbers = [447700900123]: must be a list of strings"),
    ({"alertHttpsEndpoints": '["http://hooks.example.com/alerts"]'},
     f'portal:alertHttpsEndpoints = ["http://hooks.example.com/alerts"]: http://hooks.example.com/alerts: {HTTPS_RULE}'),
    ({"alertHttpsEndpoints": '["https://10.0.0.8/alerts"]'},
     f'portal:alertHttpsEndpoints = ["https://10.0.0.8/alerts"]: https://10.0.0.8/alerts: {HTTPS_RULE}'),
    ({"alertHttpsEndpoints": '["hooks.example.com"]'},
     f'portal:alertHttpsEndpoints = ["hooks.example.com"]: hooks.example.com: {HTTPS_RULE}'),
    # The log groups' retention is the logging tier's key (tests/test_logging_settings.py), not this tier's.
    ({"logRetentionDays": "30"}, "portal:logRetentionDays = 30: unknown key: the portal does not read it"),
    ({"webCpuPercent": "0"}, "portal:webCpuPercent = 0: is a percentage: between 1 and 100"),
    ({"webDiskUsedPercent": "100.5"}, "portal:webDiskUsedPercent = 100.5: must be a whole number"),
    ({"webDiskUsedPercent": "120"}, "portal:webDiskUsedPercent = 120: is a percentage: between 1 and 100"),
    ({"databaseCpuPercent": "101"}, "portal:databaseCpuPercent = 101: is a percentage: between 1 and 100"),
    ({"cdn5xxErrorRatePercent": "high"}, "portal:cdn5xxErrorRatePercent = high: must be a whole number"),
    ({"alarmEvaluationPeriods": "0"}, "portal:alarmEvaluationPeriods = 0: must be between 1 and 60"),
    ({"target5xxThreshold": "0"}, "portal:target5xxThreshold = 0: must be at least 1"),
    ({"targetResponseTimeP95Ms": "5"}, "portal:targetResponseTimeP95Ms = 5: must be between 10 and 60000"),
    ({"databaseFreeStorageMiB": "-1"}, "portal:databaseFreeStorageMiB = -1: must be at least 1"),
    ({"healthCheckIntervalSeconds": "20"},
     "portal:healthCheckIntervalSeconds = 20: Route 53 checks every 10 or 30 seconds only"),
    ({"healthCheckFailureThreshold": "11"}, "portal:healthCheckFailureThreshold = 11: must be between 1 and 10"),
    ({"healthCheckRegions": '["us-east-1", "eu-west-1", "eu-central-1"]'},
     'portal:healthCheckRegions = ["us-east-1", "eu-west-1", "eu-central-1"]: eu-central-1: Route 53 health '
     'checkers run only from us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, '
     'ap-northeast-1, sa-east-1'),
    ({"healthCheckRegions": '["us-east-1", "eu-west-1"]'},
     'portal:healthCheckRegions = ["us-east-1", "eu-west-1"]: Route 53 needs at least 3 different checker regions'),
    ({"alertEmail": '["ops@example.com"]'},
     'portal:alertEmail = ["ops@example.com"]: unknown key: the portal does not read it; did you mean '
     'portal:alertEmails?'),
]


@pytest.mark.parametrize(("raw", "expected"), BAD_INPUTS, ids=[next(iter(raw)) + f"-{i}"
                                                                 for i, (raw, _) in enumerate(BAD_INPUTS)])
def test_bad_input_is_reported_exactly(raw, expected):
    _, problems = parse(raw)
    assert problems == [expected]


def test_every_problem_is_reported_at_once():
    _, problems = parse({"alertEmails": '["x"]', "alertSmsNumbers": '["123"]', "webCpuPercent": "0"})
    assert [p.split(" = ")[0] for p in problems] == ["portal:alertEmails", "portal:alertSmsNumbers",
                                                     "portal:webCpuPercent"]


def test_defaults_are_valid_and_sensible():
    settings, problems = parse({})
    assert problems == []
    assert settings == monitoring.MonitoringSettings()
    assert settings.health_check_interval_seconds in (10, 30)
    assert len(settings.health_check_regions) >= 3
    assert (settings.alert_emails, settings.alert_sms_numbers, settings.alert_https_endpoints) == ((), (), ())


def test_valid_endpoints_are_kept_in_order():
    settings, problems = parse({
        "alertEmails": '["ops@example.com", "on-call+shop@team.example.co.uk"]',
        "alertSmsNumbers": '["+447700900123", "+14155550100"]',
        "alertHttpsEndpoints": '["https://events.pagerduty.com/integration/abc/enqueue", '
                               '"https://hooks.example.com:8443/alerts?team=shop"]',
        "webCpuPercent": "70", "healthCheckIntervalSeconds": "10",
        "healthCheckRegions": '["eu-west-1", "us-east-1", "ap-southeast-1"]',
    })
    assert problems == []
    assert settings.alert_emails == ("ops@example.com", "on-call+shop@team.example.co.uk")
    assert settings.alert_sms_numbers == ("+447700900123", "+14155550100")
    assert settings.alert_https_endpoints == ("https://events.pagerduty.com/integration/abc/enqueue",
                                              "https://hooks.example.com:8443/alerts?team=shop")
    assert (settings.web_cpu_percent, settings.health_check_interval_seconds) == (70, 10)
    assert settings.health_check_regions == ("eu-west-1", "us-east-1", "ap-southeast-1")
