"""Settings of the edge tier (keys are added with the tier itself)."""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigKey, ConfigReader

KEYS: tuple[ConfigKey, ...] = ()


@dataclass(frozen=True)
class EdgeSettings:
    pass


def parse(reader: ConfigReader) -> EdgeSettings:
    return EdgeSettings()
