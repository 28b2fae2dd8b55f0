"""Settings of the dns tier: an existing hosted zone to use, or none (the portal creates one)."""

from __future__ import annotations

from dataclasses import dataclass

from components.validation import ConfigKey, ConfigReader

HOSTED_ZONE_ID = r"Z[A-Z0-9]{1,31}"

KEYS = (
    ConfigKey("hostedZoneId", "string",
              "ID of an existing public Route 53 hosted zone holding portal:domain (e.g. Z0123456789ABCDEFGHIJ); "
              "empty means the portal creates the zone (protected) and its name servers must be delegated.", ""),
)


@dataclass(frozen=True)
class DnsSettings:
    hosted_zone_id: str = ""


def parse(reader: ConfigReader) -> DnsSettings:
    zone_id = reader.string("hostedZoneId")
    if zone_id:
        zone_id = reader.string("hostedZoneId", pattern=HOSTED_ZONE_ID,
                                rule="must be a Route 53 hosted zone ID: Z followed by upper-case letters and "
                                     "digits, without the /hostedzone/ prefix")
    return DnsSettings(hosted_zone_id=zone_id)
