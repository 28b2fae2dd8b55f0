"""Settings of the cache tier (keys are added with the tier itself)."""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigKey, ConfigReader

KEYS: tuple[ConfigKey, ...] = ()


@dataclass(frozen=True)
class CacheSettings:
    pass


def parse(reader: ConfigReader) -> CacheSettings:
    return CacheSettings()
