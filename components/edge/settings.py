"""Settings of the edge tier: the load balancer, its listeners, target group health check and WAF."""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.validation import ConfigReader, log_retention_rule, settings_keys

# TLS 1.2+ policies only (the TLS13-1-0 / 1-1 variants still accept TLS 1.0 / 1.1).
TLS_POLICIES = (
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
)

# The longest a dead server may keep receiving traffic before the ALB takes it out of rotation.
MAX_DETECTION_SECONDS = 30


def rollback_alarm_name(portal_name: str) -> str:
    """The alarm every web-tier instance refresh rolls back on; the release tool finds it by this name too."""
    return f"{portal_name}-alb-5xx"


@dataclass(frozen=True)
class EdgeSettings:
    tls_policy: str = TLS_POLICIES[0]
    waf_rate_limit: int = 2000
    health_check_path: str = "/healthz"
    health_check_interval_seconds: int = 10
    health_check_timeout_seconds: int = 5
    healthy_threshold: int = 3
    unhealthy_threshold: int = 2
    deregistration_delay_seconds: int = 30
    stickiness_seconds: int = 3600
    rollback_alarm_threshold: int = 10
    waf_log_retention_days: int = 90


_key = settings_keys(EdgeSettings)
KEYS = (
    _key("tlsPolicy", "string",
         "TLS policy of the HTTPS listener, one of the TLS 1.2+ ELBSecurityPolicy-TLS13-* policies.",
         "tls_policy"),
    _key("wafRateLimit", "integer",
         "Requests one client IP may make in 5 minutes before the WAF blocks it (10 to 2000000000).", "waf_rate_limit"),
    _key("healthCheckPath", "string",
         "The application's health path the load balancer probes (not /: it must prove the app works).",
         "health_check_path"),
    _key("targetHealthCheckIntervalSeconds", "integer",
         "Seconds between health checks of one target (5 to 300).", "health_check_interval_seconds"),
    _key("targetHealthCheckTimeoutSeconds", "integer",
         "Seconds a health check may take; below the interval (2 to 120).", "health_check_timeout_seconds"),
    _key("targetHealthyThreshold", "integer",
         "Consecutive passed checks before a target receives traffic (2 to 10).", "healthy_threshold"),
    _key("targetUnhealthyThreshold", "integer",
         "Consecutive failed checks before a target leaves rotation (2 to 10); interval x this must be at "
         f"most {MAX_DETECTION_SECONDS} seconds.", "unhealthy_threshold"),
    _key("deregistrationDelaySeconds", "integer",
         "Seconds in-flight requests may finish on a target leaving the group (0 to 3600).",
         "deregistration_delay_seconds"),
    _key("stickinessSeconds", "integer",
         "Lifetime of the load balancer's stickiness cookie (1 to 604800); sessions live in the database, so "
         "stickiness only helps caching.", "stickiness_seconds"),
    _key("wafLogRetentionDays", "integer",
         "Days the WAF's log of blocked and counted requests is kept in CloudWatch Logs.", "waf_log_retention_days"),
    _key("rollbackAlarmThreshold", "integer",
         "5xx responses per minute (the web servers' own plus the load balancer's) that set off the rollback "
         "alarm (the instance refresh rolls back on it).", "rollback_alarm_threshold"),
)


# An absolute path of plain URL characters, at most 1024 long (the ALB's limit). It is also written into the web
# servers' httpd configuration, so characters httpd or the shell would interpret are kept out.
_PATH = r"/[A-Za-z0-9._~/-]{1,1023}"


def parse(reader: ConfigReader) -> EdgeSettings:
    tls_policy = reader.string("tlsPolicy", choices=TLS_POLICIES)
    waf_rate_limit = reader.integer("wafRateLimit", minimum=10, maximum=2_000_000_000)
    path = reader.string("healthCheckPath")
    if reader.check(path != "/", "healthCheckPath", path,
                    "must be the application's health endpoint, not /: a page that renders can still have a "
                    "dead database behind it"):
        if not reader.check(bool(re.fullmatch(_PATH, path)), "healthCheckPath", path,
                            "must be an absolute URL path of at most 1024 letters, digits and . _ ~ / - characters"):
            path = EdgeSettings.health_check_path
    else:
        path = EdgeSettings.health_check_path
    interval = reader.integer("targetHealthCheckIntervalSeconds", minimum=5, maximum=300)
    timeout = reader.integer("targetHealthCheckTimeoutSeconds", minimum=2, maximum=120)
    reader.check(timeout < interval, "targetHealthCheckTimeoutSeconds", timeout,
                 f"must be below targetHealthCheckIntervalSeconds ({interval})")
    healthy = reader.integer("targetHealthyThreshold", minimum=2, maximum=10)
    unhealthy = reader.integer("targetUnhealthyThreshold", minimum=2, maximum=10)
    reader.check(interval * unhealthy <= MAX_DETECTION_SECONDS, "targetUnhealthyThreshold", unhealthy,
                 f"with targetHealthCheckIntervalSeconds = {interval} a dead server stays in rotation for "
                 f"{interval * unhealthy} seconds; interval x targetUnhealthyThreshold must be at most "
                 f"{MAX_DETECTION_SECONDS}")
    return EdgeSettings(
        tls_policy=tls_policy,
        waf_rate_limit=waf_rate_limit,
        health_check_path=path,
        health_check_interval_seconds=interval,
        health_check_timeout_seconds=timeout,
        healthy_threshold=healthy,
        unhealthy_threshold=unhealthy,
        deregistration_delay_seconds=reader.integer("deregistrationDelaySeconds", minimum=0, maximum=3600),
        stickiness_seconds=reader.integer("stickinessSeconds", minimum=1, maximum=604_800),
        rollback_alarm_threshold=reader.integer("rollbackAlarmThreshold", minimum=1),
        waf_log_retention_days=reader.ruled_integer("wafLogRetentionDays", log_retention_rule),
    )
