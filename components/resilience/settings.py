"""Settings of the resilience tier: the AZ power-interruption experiments (AWS FIS) and ARC zonal autoshift."""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigReader, settings_keys


@dataclass(frozen=True)
class ResilienceSettings:
    fault_injection: bool = True
    fault_duration_minutes: int = 30
    zonal_autoshift: bool = True


_key = settings_keys(ResilienceSettings)
KEYS = (
    _key("faultInjection", "boolean",
         "AWS FIS experiment templates that cut one Availability Zone (its web servers stopped and kept from "
         "relaunching there, the database failed over, the zone's private and data subnets cut off), one per "
         "AZ. A template does nothing until someone starts it (docs/game-day.md).", "fault_injection"),
    _key("faultDurationMinutes", "integer",
         "How long an AZ experiment keeps the zone's subnets disrupted and its web capacity blocked (5 to 60).",
         "fault_duration_minutes"),
    _key("zonalAutoshift", "boolean",
         "ARC zonal autoshift on the load balancer: AWS moves traffic out of an AZ it sees impaired, and runs "
         "weekly practice shifts unless the portal's alarms block them.", "zonal_autoshift"),
)


def parse(reader: ConfigReader) -> ResilienceSettings:
    return ResilienceSettings(
        fault_injection=reader.boolean("faultInjection"),
        fault_duration_minutes=reader.integer(
            "faultDurationMinutes", minimum=5, maximum=60,
            rule="an AZ experiment lasts 5 to 60 minutes: long enough to watch the failover, short enough that a "
                 "forgotten one ends on its own"),
        zonal_autoshift=reader.boolean("zonalAutoshift"))
