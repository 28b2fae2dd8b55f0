"""Settings of the logging tier: how long the instances' log groups keep their events."""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigReader, log_retention_rule, settings_keys


@dataclass(frozen=True)
class LoggingSettings:
    retention_days: int = 90


_key = settings_keys(LoggingSettings)
KEYS = (
    _key("logRetentionDays", "integer",
         "Days the application, system and auth log groups keep their events (a value CloudWatch Logs allows).",
         "retention_days"),
)


def parse(reader: ConfigReader) -> LoggingSettings:
    return LoggingSettings(retention_days=reader.ruled_integer("logRetentionDays", log_retention_rule))
