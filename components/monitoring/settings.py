"""Settings of the alerting and monitoring tier: who is told, and when alarms fire."""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.validation import ConfigReader, is_domain_name, settings_keys

# Route 53 health checkers run from these regions only; at least three must be used.
HEALTH_CHECK_REGIONS = ("us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2",
                        "ap-northeast-1", "sa-east-1")
MIN_HEALTH_CHECK_REGIONS = 3
# Route 53 accepts only these two request intervals (the interval cannot be changed after creation).
HEALTH_CHECK_INTERVALS = (10, 30)

E164 = r"\+[1-9]\d{1,14}"
# Deliberately simple: one @, no spaces, a DNS domain. SNS itself does little more.
EMAIL = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,63}"


@dataclass(frozen=True)
class MonitoringSettings:
    alert_emails: tuple[str, ...] = ()
    alert_sms_numbers: tuple[str, ...] = ()
    alert_https_endpoints: tuple[str, ...] = ()
    alarm_evaluation_periods: int = 3
    target_5xx_threshold: int = 10
    target_response_time_p95_ms: int = 1500
    web_cpu_percent: int = 80
    web_disk_used_percent: int = 85
    database_cpu_percent: int = 80
    database_free_storage_mib: int = 5120
    database_freeable_memory_mib: int = 256
    database_connections: int = 200
    cache_evictions_threshold: int = 100
    cache_cpu_percent: int = 80
    cdn_5xx_error_rate_percent: int = 5
    application_errors_threshold: int = 10
    health_check_interval_seconds: int = 30
    health_check_failure_threshold: int = 3
    health_check_regions: tuple[str, ...] = ("us-east-1", "us-west-2", "eu-west-1")


_key = settings_keys(MonitoringSettings)
KEYS = (
    _key("alertEmails", "array", "E-mail addresses subscribed to the alert topics (each confirms by mail).",
         "alert_emails"),
    _key("alertSmsNumbers", "array", "Phone numbers in E.164 form (e.g. +447700900123) that get alerts by SMS.",
         "alert_sms_numbers"),
    _key("alertHttpsEndpoints", "array",
         "https:// URLs (a paging or chat service) subscribed to the alert topics.", "alert_https_endpoints"),
    _key("alarmEvaluationPeriods", "integer",
         "Consecutive one-minute periods a metric must breach before an alarm fires (1 to 60).",
         "alarm_evaluation_periods"),
    _key("target5xxThreshold", "integer",
         "Target (application) 5xx responses per minute at the load balancer that raise an alarm.",
         "target_5xx_threshold"),
    _key("targetResponseTimeP95Ms", "integer",
         "p95 target response time, in milliseconds, above which the load balancer latency alarm fires.",
         "target_response_time_p95_ms"),
    _key("webCpuPercent", "integer", "Average CPU percent of the web Auto Scaling group that raises an alarm.",
         "web_cpu_percent"),
    _key("webDiskUsedPercent", "integer",
         "Disk space used, in percent, on any web server's root or release volume that raises an alarm.",
         "web_disk_used_percent"),
    _key("databaseCpuPercent", "integer", "Database CPU percent that raises an alarm.", "database_cpu_percent"),
    _key("databaseFreeStorageMiB", "integer", "Free database storage, in MiB, below which an alarm fires.",
         "database_free_storage_mib"),
    _key("databaseFreeableMemoryMiB", "integer", "Freeable database memory, in MiB, below which an alarm fires.",
         "database_freeable_memory_mib"),
    _key("databaseConnections", "integer", "Database connections above which an alarm fires.", "database_connections"),
    _key("cacheEvictionsThreshold", "integer",
         "Cache evictions per minute above which an alarm fires (the cache is too small).",
         "cache_evictions_threshold"),
    _key("cacheCpuPercent", "integer", "Cache CPU percent that raises an alarm.", "cache_cpu_percent"),
    _key("cdn5xxErrorRatePercent", "integer", "CloudFront 5xx error rate, in percent, that raises an alarm.",
         "cdn_5xx_error_rate_percent"),
    _key("applicationErrorsThreshold", "integer",
         "Application error log lines per minute above which an alarm fires.", "application_errors_threshold"),
    _key("healthCheckIntervalSeconds", "integer",
         "Seconds between Route 53 outside-in checks from each region: 10 or 30.", "health_check_interval_seconds"),
    _key("healthCheckFailureThreshold", "integer",
         "Consecutive failed outside-in checks before Route 53 marks the site unhealthy (1 to 10).",
         "health_check_failure_threshold"),
    _key("healthCheckRegions", "array",
         "Regions the outside-in check runs from (at least 3 of Route 53's checker regions).",
         "health_check_regions"),
)


def is_https_url(value: str) -> bool:
    match = re.fullmatch(r"https://([^/:?#@\s]+)(:\d{1,5})?([/?#]\S*)?", value)
    return bool(match) and is_domain_name(match.group(1).lower())


def _endpoints(reader: ConfigReader, key: str, valid, rule: str) -> tuple[str, ...]:
    values = reader.string_list(key)
    bad = [v for v in values if not valid(v)]
    reader.check(not bad, key, list(values), f"{', '.join(bad)}: {rule}")
    reader.check(len(set(values)) == len(values), key, list(values), "lists the same endpoint twice")
    return tuple(v for v in dict.fromkeys(values) if valid(v))


def _percent(reader: ConfigReader, key: str) -> int:
    return reader.integer(key, minimum=1, maximum=100, rule="is a percentage: between 1 and 100")


def parse(reader: ConfigReader) -> MonitoringSettings:
    emails = _endpoints(reader, "alertEmails", lambda v: bool(re.fullmatch(EMAIL, v)),
                        "not an e-mail address like ops@example.com")
    sms = _endpoints(reader, "alertSmsNumbers", lambda v: bool(re.fullmatch(E164, v)),
                     "not an E.164 phone number: + then the country code and number, digits only, at most 15, "
                     "e.g. +447700900123")
    https = _endpoints(reader, "alertHttpsEndpoints", is_https_url,
                       "not an https:// URL with a DNS host name (plain http and IP addresses are refused: alerts "
                       "must travel encrypted)")

    interval = reader.integer("healthCheckIntervalSeconds")
    if not reader.check(interval in HEALTH_CHECK_INTERVALS, "healthCheckIntervalSeconds", interval,
                        "Route 53 checks every 10 or 30 seconds only"):
        interval = MonitoringSettings.health_check_interval_seconds
    regions = reader.string_list("healthCheckRegions")
    unknown = [r for r in regions if r not in HEALTH_CHECK_REGIONS]
    regions_ok = reader.check(not unknown, "healthCheckRegions", list(regions),
                              f"{', '.join(unknown)}: Route 53 health checkers run only from "
                              f"{', '.join(HEALTH_CHECK_REGIONS)}")
    regions_ok &= reader.check(len(set(regions)) >= MIN_HEALTH_CHECK_REGIONS, "healthCheckRegions", list(regions),
                               f"Route 53 needs at least {MIN_HEALTH_CHECK_REGIONS} different checker regions")

    return MonitoringSettings(
        alert_emails=emails, alert_sms_numbers=sms, alert_https_endpoints=https,
        alarm_evaluation_periods=reader.integer("alarmEvaluationPeriods", minimum=1, maximum=60),
        target_5xx_threshold=reader.integer("target5xxThreshold", minimum=1),
        target_response_time_p95_ms=reader.integer("targetResponseTimeP95Ms", minimum=10, maximum=60000),
        web_cpu_percent=_percent(reader, "webCpuPercent"),
        web_disk_used_percent=_percent(reader, "webDiskUsedPercent"),
        database_cpu_percent=_percent(reader, "databaseCpuPercent"),
        database_free_storage_mib=reader.integer("databaseFreeStorageMiB", minimum=1),
        database_freeable_memory_mib=reader.integer("databaseFreeableMemoryMiB", minimum=1),
        database_connections=reader.integer("databaseConnections", minimum=1),
        cache_evictions_threshold=reader.integer("cacheEvictionsThreshold", minimum=1),
        cache_cpu_percent=_percent(reader, "cacheCpuPercent"),
        cdn_5xx_error_rate_percent=_percent(reader, "cdn5xxErrorRatePercent"),
        application_errors_threshold=reader.integer("applicationErrorsThreshold", minimum=1),
        health_check_interval_seconds=interval,
        health_check_failure_threshold=reader.integer("healthCheckFailureThreshold", minimum=1, maximum=10),
        health_check_regions=tuple(dict.fromkeys(regions)) if regions_ok else MonitoringSettings.health_check_regions,
    )
