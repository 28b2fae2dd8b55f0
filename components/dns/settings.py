"""Settings of the dns tier: an existing delegated zone to use, or the zone the stack creates and whether it is
delegated yet.

ACM validates certificates by looking the validation records up in public DNS, so a zone nobody has delegated
lets `pulumi up` wait for 75 minutes and fail. A stack that creates its zone therefore deploys only the zone
until `zoneDelegated` says the parent zone or registrar lists the zone's name servers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from components.validation import ConfigReader, settings_keys

HOSTED_ZONE_ID = r"Z[A-Z0-9]{1,31}"


@dataclass(frozen=True)
class DnsSettings:
    hosted_zone_id: str = ""
    zone_delegated: bool = False

    @property
    def awaiting_delegation(self) -> bool:
        """The stack creates its zone and nobody has delegated it yet: deploy the zone and nothing else."""
        return not self.hosted_zone_id and not self.zone_delegated


_key = settings_keys(DnsSettings)
KEYS = (
    _key("hostedZoneId", "string",
         "ID of an existing, delegated public Route 53 hosted zone holding portal:domain (e.g. "
         "Z0123456789ABCDEFGHIJ; staging may use production's zone); empty means the stack creates the zone "
         "for portal:domain (protected), see zoneDelegated.", "hosted_zone_id"),
    _key("zoneDelegated", "boolean",
         "With hostedZoneId empty: the zone this stack created is delegated (the parent zone or registrar "
         "lists its name servers). While false, `pulumi up` deploys only the zone and prints its name "
         "servers, because ACM can only validate the certificates once public DNS reaches the zone. "
         "Ignored when hostedZoneId is set.", "zone_delegated"),
)


def parse(reader: ConfigReader) -> DnsSettings:
    zone_id = reader.string("hostedZoneId")
    if zone_id:
        zone_id = reader.string("hostedZoneId", pattern=HOSTED_ZONE_ID,
                                rule="must be a Route 53 hosted zone ID: Z followed by upper-case letters and "
                                     "digits, without the /hostedzone/ prefix")
    return DnsSettings(hosted_zone_id=zone_id, zone_delegated=reader.boolean("zoneDelegated"))


def delegation_warning(domain: str, name_servers: Sequence[str] | None = None) -> str:
    """What to do after a run that deployed only the zone; the name servers once they are known."""
    servers = (", ".join(name_servers) if name_servers else
               "the name servers this run exports (`pulumi stack output nameServers`)")
    return (f"portal:zoneDelegated is false, so this run deploys only the hosted zone {domain}: ACM validates the "
            f"portal's certificates through public DNS, which does not reach the new zone yet. Delegate {domain} "
            f"to {servers} with NS records at its parent zone or registrar, then run `pulumi config set "
            "portal:zoneDelegated true` and `pulumi up` again.")


def delegated_zone_problem(domain: str, lookup_error: str | None) -> str | None:
    """Why `zoneDelegated` cannot be true, from the public-zone lookup by name (None: it found exactly one)."""
    if lookup_error is None:
        return None
    if "multiple" in lookup_error.lower():
        return (f"portal:zoneDelegated = true: this account has several public hosted zones named {domain}; set "
                "portal:hostedZoneId to the one its parent zone or registrar delegates to")
    return (f"portal:zoneDelegated = true: this account has no public hosted zone named {domain}, so it cannot have "
            "been delegated yet. Run `pulumi config set portal:zoneDelegated false` and `pulumi up`: that run "
            "creates only the zone and prints its name servers to delegate to")


def existing_zone_problem(zone_id: str, lookup_error: str) -> str:
    return (f"portal:hostedZoneId = {zone_id}: this account has no hosted zone with that ID ({lookup_error}); give "
            "the ID of a public zone holding portal:domain, or leave it empty for the stack to create the zone")
