"""Default service quotas a new account runs into when several stacks of the portal share a region.

Each stack runs one NAT gateway, with its own Elastic IP, per Availability Zone. The default "EC2-VPC Elastic
IPs" quota is 5 per region, so staging and prod with three AZs each (six addresses) in one region and account
fail halfway through the second stack's first `pulumi up`. The check is pure; the composer reads the other
stack files of the project and warns at preview.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

ELASTIC_IP_QUOTA = 5
ELASTIC_IP_QUOTA_CODE = "L-0263D0A3"


@dataclass(frozen=True)
class StackFootprint:
    stack: str
    region: str
    nat_gateways: int
    # The accounts the stack can run in, when known (this stack's caller, another's aws:allowedAccountIds).
    accounts: tuple[str, ...] = ()


def _may_share_account(a: StackFootprint, b: StackFootprint) -> bool:
    return not (a.accounts and b.accounts) or bool(set(a.accounts) & set(b.accounts))


def shared_region_quota_warning(this: StackFootprint, others: Sequence[StackFootprint],
                                quota: int = ELASTIC_IP_QUOTA) -> str | None:
    """A warning when the stacks sharing this stack's region (and account) need more Elastic IPs than `quota`."""
    sharing = sorted((o for o in others if o.region == this.region and _may_share_account(this, o)),
                     key=lambda o: o.stack)
    total = this.nat_gateways + sum(o.nat_gateways for o in sharing)
    if not sharing or total <= quota:
        return None
    stacks = ", ".join(f"{s.stack} ({s.nat_gateways})" for s in (this, *sharing))
    return (f"stacks {stacks} run their NAT gateways in {this.region}, in the same account as far as their stack "
            f"files tell: {total} NAT gateways need {total} Elastic IPs, and the default quota is {quota} per "
            f"region. Raise \"EC2-VPC Elastic IPs\" (Service Quotas: ec2 {ELASTIC_IP_QUOTA_CODE}) to at least "
            f"{total} in {this.region} before `pulumi up`, or the last stack's NAT gateways fail to be created")


def footprint_from_stack_config(stack: str, config: Mapping[str, Any], default_az_count: int) -> StackFootprint | None:
    """The footprint another stack file describes; None when it names no aws:region (it cannot be compared)."""
    region = config.get("aws:region")
    if not isinstance(region, str) or not region:
        return None
    zones = _structured(config.get("portal:availabilityZones"))
    count = len(zones) if isinstance(zones, list) and zones else _integer(config.get("portal:azCount"),
                                                                           default_az_count)
    accounts = _structured(config.get("aws:allowedAccountIds"))
    return StackFootprint(stack=stack, region=region, nat_gateways=count,
                          accounts=tuple(str(a) for a in accounts) if isinstance(accounts, list) else ())


def other_stack_footprints(project_dir: Path, this_stack: str, default_az_count: int) -> list[StackFootprint]:
    """Footprints of the project's other stack files (Pulumi.<stack>.yaml beside Pulumi.yaml)."""
    import yaml

    found = []
    for path in sorted(project_dir.glob("Pulumi.*.yaml")):
        stack = path.name[len("Pulumi."):-len(".yaml")]
        if stack == this_stack:
            continue
        try:
            config = (yaml.safe_load(path.read_text()) or {}).get("config") or {}
        except (OSError, yaml.YAMLError, AttributeError):
            continue
        footprint = footprint_from_stack_config(stack, config, default_az_count)
        if footprint is not None:
            found.append(footprint)
    return found


def _structured(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def _integer(value: Any, default: int) -> int:
    try:
        return int(str(value)) if value is not None else default
    except ValueError:
        return default
