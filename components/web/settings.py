"""Settings of the web tier (keys are added with the tier itself)."""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigKey, ConfigReader

KEYS: tuple[ConfigKey, ...] = ()


@dataclass(frozen=True)
class WebSettings:
    pass


def parse(reader: ConfigReader) -> WebSettings:
    return WebSettings()
