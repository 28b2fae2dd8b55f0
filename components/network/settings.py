"""Network settings and the subnet plan, as pure functions."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from components.validation import ConfigReader, is_private_range, log_retention_rule, parse_network, settings_keys

SUBNET_TIERS = ("public", "private", "data")

# Each tier owns a block of 8 slots and each AZ takes the slot of its letter (a -> 0 ... h -> 7), so the
# CIDR of a subnet depends only on its tier and its AZ name: adding an AZ never renumbers the others.
SLOTS_PER_TIER = 8
SUBNET_BITS = 5  # 32 slots: 3 tiers x 8 letters, the rest kept free for later tiers.
MAX_VPC_PREFIX = 22  # subnets of /27: the smallest an ALB accepts (it needs 8 free addresses per subnet).
MIN_AZ_COUNT = 2
MAX_AZ_COUNT = SLOTS_PER_TIER

AZ_NAME = r"[a-z]{2}(-[a-z]+)+-\d[a-h]"


# Interface endpoints the web servers use at boot and while serving (S3 has its gateway endpoint): the SSM agent
# and Session Manager, Parameter Store reads, the database secret, and the CloudWatch agent's logs and metrics.
INTERFACE_ENDPOINT_SERVICES = ("ssm", "ssmmessages", "ec2messages", "secretsmanager", "logs", "monitoring")


@dataclass(frozen=True)
class NetworkSettings:
    az_count: int = 3
    availability_zones: tuple[str, ...] = ()
    vpc_cidr: str = "10.40.0.0/16"
    reserved_cidrs: tuple[str, ...] = ()
    flow_log_retention_days: int = 90
    interface_endpoints: bool = True


_key = settings_keys(NetworkSettings)
KEYS = (
    _key("azCount", "integer",
         "How many Availability Zones the portal spreads over (at least 2, so it survives the loss of one). "
         "Ignored when availabilityZones lists them.", "az_count"),
    _key("availabilityZones", "array",
         "Explicit Availability Zone names, e.g. [\"eu-west-1a\", \"eu-west-1b\"]; empty means the first "
         "azCount zones the region reports as available.", "availability_zones"),
    _key("vpcCidr", "string",
         "The VPC's private IPv4 range (RFC 1918), /16 to /22; every subnet is carved from it by tier and AZ "
         "letter.", "vpc_cidr"),
    _key("reservedCidrs", "array",
         "Networks the VPC will be peered or VPN-connected with; the VPC must not overlap any of them.",
         "reserved_cidrs"),
    _key("flowLogRetentionDays", "integer",
         "Days the VPC flow logs are kept in CloudWatch Logs.", "flow_log_retention_days"),
    _key("interfaceEndpoints", "boolean",
         "Interface VPC endpoints for SSM (ssm, ssmmessages, ec2messages), Secrets Manager and CloudWatch "
         "(logs, monitoring) in the private subnets, so web servers boot, read their configuration and "
         "database credentials, ship logs and stay reachable by Session Manager while their AZ's NAT gateway "
         "is down. false saves the endpoints' hourly cost, and then a NAT outage stops all of that.",
         "interface_endpoints"),
)


def parse(reader: ConfigReader) -> NetworkSettings:
    az_count = reader.integer(
        "azCount", minimum=MIN_AZ_COUNT, maximum=MAX_AZ_COUNT,
        rule=(f"the portal must survive the loss of an Availability Zone, so at least {MIN_AZ_COUNT} are needed"
              if _below(reader.raw("azCount"), MIN_AZ_COUNT) else
              f"the subnet plan has room for at most {MAX_AZ_COUNT} Availability Zones"))
    zones = reader.string_list("availabilityZones")
    zones_ok = True
    if zones:
        bad = [z for z in zones if not re.fullmatch(AZ_NAME, z)]
        zones_ok &= reader.check(not bad, "availabilityZones", list(zones),
                                 f"{', '.join(bad)} is not an Availability Zone name like eu-west-1a (letters a-h)")
        zones_ok &= reader.check(len(set(zones)) == len(zones), "availabilityZones", list(zones),
                                 "lists an Availability Zone twice")
        zones_ok &= reader.check(len(set(zones)) >= MIN_AZ_COUNT, "availabilityZones", list(zones),
                                 "the portal must survive the loss of an Availability Zone, so at least "
                                 f"{MIN_AZ_COUNT} are needed")
        regions = {z[:-1] for z in zones}
        zones_ok &= reader.check(len(regions) <= 1, "availabilityZones", list(zones),
                                 "all Availability Zones must be in one region")
        if zones_ok:
            az_count = len(zones)

    vpc_cidr = reader.string("vpcCidr")
    network = parse_network(vpc_cidr)
    if network is None:
        reader.problem("vpcCidr", vpc_cidr, "is not an IPv4 network in CIDR notation with no host bits, "
                                            "e.g. 10.40.0.0/16")
    else:
        reader.check(is_private_range(network), "vpcCidr", vpc_cidr,
                     "must be a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16")
        reader.check(network.prefixlen >= 16, "vpcCidr", vpc_cidr, "AWS allows VPC ranges of /16 to /28; use /16 "
                                                                   f"to /{MAX_VPC_PREFIX}")
        reader.check(network.prefixlen <= MAX_VPC_PREFIX, "vpcCidr", vpc_cidr,
                     f"is too small for the subnets: 3 tiers x {SLOTS_PER_TIER} AZ slots need a /{MAX_VPC_PREFIX} "
                     f"or larger, so each subnet is at least a /{MAX_VPC_PREFIX + SUBNET_BITS}")

    reserved = reader.string_list("reservedCidrs")
    for cidr in reserved:
        other = parse_network(cidr)
        if other is None:
            reader.problem("reservedCidrs", list(reserved), f"{cidr} is not an IPv4 network in CIDR notation")
        elif network is not None and network.overlaps(other):
            reader.problem("vpcCidr", vpc_cidr, f"overlaps {cidr} listed in portal:reservedCidrs; "
                                                "peered or VPN-connected networks must not overlap")

    retention = reader.ruled_integer("flowLogRetentionDays", log_retention_rule)

    return NetworkSettings(az_count=az_count, availability_zones=zones if zones_ok else (), vpc_cidr=vpc_cidr,
                           reserved_cidrs=reserved, flow_log_retention_days=retention,
                           interface_endpoints=reader.boolean("interfaceEndpoints"))


def _below(value: object, minimum: int) -> bool:
    try:
        return int(str(value)) < minimum
    except ValueError:
        return False


def az_slot(az_name: str) -> int:
    """The slot of an AZ inside each tier's block: its letter, so the plan is stable per AZ name."""
    if not re.fullmatch(AZ_NAME, az_name):
        raise ValueError(f"{az_name!r} is not an Availability Zone name with a letter a-h")
    return ord(az_name[-1]) - ord("a")


def subnet_slot(tier: str, az_name: str) -> int:
    return SUBNET_TIERS.index(tier) * SLOTS_PER_TIER + az_slot(az_name)


def subnet_cidr(vpc_cidr: str, tier: str, az_name: str) -> str:
    """The CIDR of the `tier` subnet in `az_name`: a pure function of the three, never of list order."""
    network = ipaddress.IPv4Network(vpc_cidr)
    size = network.num_addresses >> SUBNET_BITS
    return str(ipaddress.IPv4Network((int(network.network_address) + subnet_slot(tier, az_name) * size,
                                      network.prefixlen + SUBNET_BITS)))
