"""The load balancer's health-check settings, read from a stack file exactly as the stack itself would read them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from components.settings import SettingsError, load_settings
from preflight.config import StackConfigError, load_stack_config

ROOT = Path(__file__).resolve().parent.parent


class DrillError(Exception):
    """The drill could not be set up; the message says what and how to fix it."""


@dataclass(frozen=True)
class HealthCheck:
    stack: str
    path: str
    interval: int
    timeout: int
    healthy_threshold: int
    unhealthy_threshold: int
    stickiness_seconds: int

    @property
    def detection_bound(self) -> int:
        """Longest a dead server may stay in rotation: the unhealthy threshold's failed checks, one interval apart."""
        return self.interval * self.unhealthy_threshold

    @property
    def recovery_bound(self) -> int:
        """Longest a recovered server may stay out: the first passing check within one interval, then the rest."""
        return self.interval * self.healthy_threshold


def health_check(stack: str = "staging") -> HealthCheck:
    try:
        config = load_stack_config(str(ROOT), stack)
        raw = {key.split(":", 1)[1]: value for key, value in config.values.items() if key.startswith("portal:")}
        edge = load_settings(raw, stack).edge
    except (StackConfigError, SettingsError) as error:
        raise DrillError(f"stack {stack}: {error}") from None
    return HealthCheck(stack=stack, path=edge.health_check_path, interval=edge.health_check_interval_seconds,
                       timeout=edge.health_check_timeout_seconds, healthy_threshold=edge.healthy_threshold,
                       unhealthy_threshold=edge.unhealthy_threshold, stickiness_seconds=edge.stickiness_seconds)
