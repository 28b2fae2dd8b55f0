"""Settings of the storage tier (keys are added with the tier itself)."""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigKey, ConfigReader

KEYS: tuple[ConfigKey, ...] = ()


@dataclass(frozen=True)
class StorageSettings:
    pass


def parse(reader: ConfigReader) -> StorageSettings:
    return StorageSettings()
