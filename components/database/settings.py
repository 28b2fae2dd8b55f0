"""Settings of the database tier (keys are added with the tier itself)."""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigKey, ConfigReader

KEYS: tuple[ConfigKey, ...] = ()


@dataclass(frozen=True)
class DatabaseSettings:
    pass


def parse(reader: ConfigReader) -> DatabaseSettings:
    return DatabaseSettings()
