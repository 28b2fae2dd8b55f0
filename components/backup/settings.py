"""Settings of the backup tier (keys are added with the tier itself)."""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigKey, ConfigReader

KEYS: tuple[ConfigKey, ...] = ()


@dataclass(frozen=True)
class BackupSettings:
    pass


def parse(reader: ConfigReader) -> BackupSettings:
    return BackupSettings()
