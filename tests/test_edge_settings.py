"""Bad edge settings: each row is raw config and the one exact problem it must produce."""

import pytest

from components.edge import settings as edge_settings
from components.validation import ConfigReader


def problems(raw: dict) -> list[str]:
    reader = ConfigReader(raw, edge_settings.KEYS)
    edge_settings.parse(reader)
    return reader.problems


def parsed(raw: dict) -> edge_settings.EdgeSettings:
    reader = ConfigReader(raw, edge_settings.KEYS)
    result = edge_settings.parse(reader)
    assert reader.problems == []
    return result


BAD_INPUTS = [
    ({"tlsPolicy": "ELBSecurityPolicy-2016-08"},
     "portal:tlsPolicy = ELBSecurityPolicy-2016-08: must be one of " + ", ".join(edge_settings.TLS_POLICIES)),
    ({"tlsPolicy": "ELBSecurityPolicy-TLS13-1-0-2021-06"},
     "portal:tlsPolicy = ELBSecurityPolicy-TLS13-1-0-2021-06: must be one of " + ", ".join(edge_settings.TLS_POLICIES)),
    ({"wafRateLimit": "9"}, "portal:wafRateLimit = 9: must be between 10 and 2000000000"),
    ({"wafRateLimit": "lots"}, "portal:wafRateLimit = lots: must be a whole number"),
    ({"healthCheckPath": "/"},
     "portal:healthCheckPath = /: must be the application's health endpoint, not /: a page that renders can still "
     "have a dead database behind it"),
    ({"healthCheckPath": "healthz"},
     "portal:healthCheckPath = healthz: must be an absolute URL path of at most 1024 letters, digits and . _ ~ / - "
     "characters"),
    ({"healthCheckPath": "/health check"},
     "portal:healthCheckPath = /health check: must be an absolute URL path of at most 1024 letters, digits and . "
     "_ ~ / - characters"),
    ({"healthCheckPath": "/healthz?deep=1"},
     "portal:healthCheckPath = /healthz?deep=1: must be an absolute URL path of at most 1024 letters, digits and . "
     "_ ~ / - characters"),
    ({"healthCheckPath": "/health;$(reboot)"},
     "portal:healthCheckPath = /health;$(reboot): must be an absolute URL path of at most 1024 letters, digits and "
     ". _ ~ / - characters"),
    ({"targetHealthCheckIntervalSeconds": "4"},
     "portal:targetHealthCheckIntervalSeconds = 4: must be between 5 and 300"),
    ({"targetHealthCheckTimeoutSeconds": "10"},
     "portal:targetHealthCheckTimeoutSeconds = 10: must be below targetHealthCheckIntervalSeconds (10)"),
    ({"targetHealthCheckIntervalSeconds": "6", "targetHealthCheckTimeoutSeconds": "6"},
     "portal:targetHealthCheckTimeoutSeconds = 6: must be below targetHealthCheckIntervalSeconds (6)"),
    ({"targetHealthCheckTimeoutSeconds": "1"}, "portal:targetHealthCheckTimeoutSeconds = 1: must be between 2 and 120"),
    ({"targetHealthyThreshold": "1"}, "portal:targetHealthyThreshold = 1: must be between 2 and 10"),
    ({"targetUnhealthyThreshold": "11"}, "portal:targetUnhealthyThreshold = 11: must be between 2 and 10"),
    ({"targetUnhealthyThreshold": "4"},
     "portal:targetUnhealthyThreshold = 4: with targetHealthCheckIntervalSeconds = 10 a dead server stays in "
     "rotation for 40 seconds; interval x targetUnhealthyThreshold must be at most 30"),
    ({"targetHealthCheckIntervalSeconds": "30"},
     "portal:targetUnhealthyThreshold = 2: with targetHealthCheckIntervalSeconds = 30 a dead server stays in "
     "rotation for 60 seconds; interval x targetUnhealthyThreshold must be at most 30"),
    ({"deregistrationDelaySeconds": "3601"}, "portal:deregistrationDelaySeconds = 3601: must be between 0 and 3600"),
    ({"stickinessSeconds": "0"}, "portal:stickinessSeconds = 0: must be between 1 and 604800"),
    ({"stickinessSeconds": "604801"}, "portal:stickinessSeconds = 604801: must be between 1 and 604800"),
    ({"rollbackAlarmThreshold": "0"}, "portal:rollbackAlarmThreshold = 0: must be at least 1"),
    ({"wafLogRetentionDays": "45"},
     "portal:wafLogRetentionDays = 45: CloudWatch Logs accepts only 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, "
     "400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days"),
    ({"wafLogRetentionDays": "forever"}, "portal:wafLogRetentionDays = forever: must be a whole number"),
]


@pytest.mark.parametrize("raw, problem", BAD_INPUTS, ids=[p.split(":")[1].split(" =")[0] + "-" + str(i)
                                                          for i, (_, p) in enumerate(BAD_INPUTS)])
def test_bad_input_is_reported_exactly(raw, problem):
    assert problems(raw) == [problem]


def test_defaults_are_secure_and_fast_to_evict():
    s = parsed({})
    assert s.tls_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert s.health_check_path == "/healthz"
    assert s.health_check_timeout_seconds < s.health_check_interval_seconds
    assert s.health_check_interval_seconds * s.unhealthy_threshold <= 30


def test_good_values_are_kept():
    s = parsed({"tlsPolicy": "ELBSecurityPolicy-TLS13-1-3-2021-06", "wafRateLimit": "500",
                "healthCheckPath": "/status/ready", "targetHealthCheckIntervalSeconds": "15",
                "targetHealthCheckTimeoutSeconds": "14", "targetUnhealthyThreshold": "2",
                "deregistrationDelaySeconds": "0"})
    assert (s.tls_policy, s.waf_rate_limit, s.health_check_path, s.health_check_interval_seconds,
            s.health_check_timeout_seconds, s.deregistration_delay_seconds) == (
        "ELBSecurityPolicy-TLS13-1-3-2021-06", 500, "/status/ready", 15, 14, 0)


def test_every_problem_is_reported_at_once():
    found = problems({"tlsPolicy": "old", "healthCheckPath": "/", "wafRateLimit": "1"})
    assert [p.split(" =")[0] for p in found] == ["portal:tlsPolicy", "portal:wafRateLimit", "portal:healthCheckPath"]
