"""The AZ-loss analysis: take each Availability Zone away and check, from the stack graph, that every tier serves.

Public rule sets judge one resource (or one pair) at a time. This policy joins the load balancer, the web
group, the private routes and their NAT gateways, the database, the cache, file systems and lone instances
through propertyDependencies, so it decides during a first preview, when every ID is still unknown.
"""
import math
from typing import Dict, Iterable, List, Tuple

from ._base import ADVISORY, MANDATORY, stack_policy
from ._config import setting
from ._graph import Graph, Node
from ._props import as_list, number, truthy
from .topology import (asg_zones, azs_of, db_zones, efs_one_zone, is_regional, known_azs, known_string, lb_zones,
                       mount_target_zones, nat_az, private_egress, stack_azs, subnet_az, web_zones)


class Breaks:
    """Collects (resource, tier, reason, fix) -> lost AZs, so each finding is one message naming its AZs."""

    def __init__(self) -> None:
        self.found: Dict[Tuple[str, str, str, str], List[str]] = {}
        self.nodes: Dict[str, Node] = {}

    def add(self, az: str, tier: str, node: Node, reason: str, fix: str) -> None:
        key = (node.urn, tier, reason, fix)
        self.nodes[node.urn] = node
        self.found.setdefault(key, [])
        if az not in self.found[key]:
            self.found[key].append(az)

    def messages(self) -> Iterable[Tuple[Node, str]]:
        for (urn, tier, reason, fix), azs in self.found.items():
            lost = " or ".join(azs)
            yield self.nodes[urn], f"Losing {lost} breaks the {tier} tier: {reason}; {fix}."


# Resources that refer to an instance without depending on it to serve (watching, backing up, addressing it).
_NOT_DEPENDENTS = ("ec2/eip", "ec2/eipAssociation", "cloudwatch/metricAlarm", "backup/selection", "ec2/volumeAttachment",
                   "ec2/tag", "ssm/association", "cloudwatch/dashboard")


def _survives(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    azs = stack_azs(g)
    if not azs:
        return
    min_after = number(setting(config, "az-loss-survivable", "minWebCapacityAfterLoss")) or 1
    out = Breaks()
    web = web_zones(g)
    # A regional file system's web AZs without a mount target of their own reach it through another AZ's.
    efs_gaps = {}
    for fs in g.of("efs/fileSystem"):
        if is_regional(fs):
            zones, _ = mount_target_zones(g, fs)
            efs_gaps[fs.urn] = (zones, [w for w in web if w not in zones])
    for az in azs:
        # Load balancers keep subnets elsewhere.
        for lb in g.of("lb/loadBalancer", "elb/loadBalancer"):
            zones, _, decided = lb_zones(g, lb)
            if decided and zones and all(z == az for z in zones):
                out.add(az, "load balancer", lb, f"load balancer {lb.label()} has subnets only in {az}",
                        "place it in public subnets of at least two AZs")
        # The web group keeps subnets and capacity elsewhere.
        for asg in g.of("autoscaling/group"):
            zones, _, decided = asg_zones(g, asg)
            if not decided or not zones:
                continue
            if all(z == az for z in zones):
                out.add(az, "web", asg, f"Auto Scaling group {asg.label()} has subnets only in {az}",
                        "give vpcZoneIdentifiers subnets in at least two AZs")
                continue
            if az not in zones:
                continue
            lo = number(asg.props.get("minSize"))
            if lo is None:
                continue
            left = lo - math.ceil(lo / len(zones))
            if left < min_after:
                out.add(az, "web", asg,
                        f"Auto Scaling group {asg.label()} keeps {int(left)} of its minimum {int(lo)} instances "
                        f"across {len(zones)} AZs",
                        f"raise minSize so at least {int(min_after)} instance(s) remain after losing an AZ")
        # Private subnets in surviving AZs must not egress through the lost AZ.
        for rt, subnet, route in private_egress(g):
            saz = subnet_az(subnet)
            if not saz or saz == az or not route.nats:
                continue
            if all(nat_az(g, n) == az for n in route.nats):
                out.add(az, "egress", subnet,
                        f"subnet {subnet.label()} in {saz} egresses through NAT gateway {route.nats[0].label()} in "
                        f"{az} (route table {rt.label()})",
                        f"route it to a NAT gateway in {saz}")
        # The database fails over.
        for db in g.of("rds/instance"):
            if db.props.get("replicateSourceDb"):
                continue
            zones = db_zones(g, db)
            if truthy(db.props.get("multiAz")) is True:
                if zones and all(z == az for z in zones):
                    out.add(az, "database", db, f"Multi-AZ RDS instance {db.label()} has a subnet group only in {az}",
                            "give its DB subnet group subnets in at least two AZs")
                continue
            home = known_string(db.props.get("availabilityZone"))
            if (home == az) or (home is None and (az in zones or not zones)):
                out.add(az, "database", db, f"RDS instance {db.label()} is single-AZ and has no standby",
                        "set multiAz to true")
        for cl in g.of("rds/cluster"):
            if cl.props.get("dbClusterInstanceClass"):
                continue
            members = g.referrers(cl, ("rds/clusterInstance",), ("clusterIdentifier",))
            homes = {known_string(m.props.get("availabilityZone")) for m in members}
            if len(members) < 2 or (len(homes) == 1 and None not in homes and az in homes):
                out.add(az, "database", cl, f"RDS cluster {cl.label()} has no instance outside one AZ",
                        "add a second cluster instance in another AZ")
        # Cache nodes remain.
        for c in g.of("elasticache/cluster"):
            engine = str(c.props.get("engine") or "").lower()
            if c.props.get("replicationGroupId"):
                continue
            n = number(c.props.get("numCacheNodes")) or 1
            pref = [known_string(a) for a in as_list(c.props.get("preferredAvailabilityZones"))]
            cross = c.props.get("azMode") == "cross-az" and engine == "memcached"
            if cross and n >= 2:
                if pref and all(a == az for a in pref if a):
                    out.add(az, "cache", c, f"cache cluster {c.label()} prefers only {az} for its nodes",
                            "spread preferredAvailabilityZones over the AZs")
                continue
            home = known_string(c.props.get("availabilityZone")) or (pref[0] if pref else None)
            if home is None or home == az:
                out.add(az, "cache", c, f"cache cluster {c.label()} keeps all its nodes in one AZ",
                        "run at least two nodes with azMode \"cross-az\" (memcached) or a Redis replication group "
                        "with failover")
        for rg in g.of("elasticache/replicationGroup"):
            replicas = (number(rg.props.get("numCacheClusters")) or 1) >= 2 or \
                (number(rg.props.get("replicasPerNodeGroup")) or 0) >= 1
            pref = [known_string(a) for a in as_list(rg.props.get("preferredCacheClusterAzs"))]
            if truthy(rg.props.get("automaticFailoverEnabled")) is not True or not replicas:
                out.add(az, "cache", rg, f"replication group {rg.label()} cannot fail over to a replica",
                        "add a replica and set automaticFailoverEnabled and multiAzEnabled")
            elif pref and all(a == az for a in pref if a):
                out.add(az, "cache", rg, f"replication group {rg.label()} keeps every node in {az}",
                        "spread preferredCacheClusterAzs over the AZs")
        # Shared files.
        for fs in g.of("efs/fileSystem"):
            if known_string(efs_one_zone(fs)) == az:
                out.add(az, "shared files", fs, f"EFS file system {fs.label()} is One Zone in {az}",
                        "use a regional file system or S3")
            zones, gap = efs_gaps.get(fs.urn, ([], []))
            if az in zones and any(w != az for w in gap):
                out.add(az, "shared files", fs,
                        f"EFS file system {fs.label()} has no mount target in {', '.join(gap)}, so the web servers "
                        f"there reach it through a mount target in another AZ",
                        "add a mount target in every AZ of the web tier")
        # Lone instances that other resources depend on.
        for inst in g.of("ec2/instance"):
            users = [r for r in g.referrers(inst) if r.kind not in _NOT_DEPENDENTS]
            if not users:
                continue
            home = known_string(inst.props.get("availabilityZone"))
            if home is None:
                subnets = g.subnets_of(inst, "subnetId")
                home = subnet_az(subnets[0]) if subnets else None
            if home == az:
                out.add(az, "single instance", inst,
                        f"instance {inst.label()} lives only in {az} and {users[0].label()} depends on it",
                        "replace it with an Auto Scaling group across AZs or a managed Multi-AZ service")
    yield from out.messages()


def _consistency(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    web: List[str] = []
    for asg in g.of("autoscaling/group"):
        zones, _, decided = asg_zones(g, asg)
        for z in known_azs(zones):
            if z not in web:
                web.append(z)
    if not web:
        return

    def missing(zones: List[str]) -> List[str]:
        return [z for z in web if z not in zones]

    for lb in g.of("lb/loadBalancer", "elb/loadBalancer"):
        zones, _, decided = lb_zones(g, lb)
        gap = missing(known_azs(zones))
        if decided and known_azs(zones) and gap:
            yield lb, (f"Load balancer {lb.label()} has no subnet in {', '.join(gap)}, where the web tier runs; add a "
                       f"public subnet of every web AZ.")
    for sg in g.of("rds/subnetGroup", "elasticache/subnetGroup"):
        zones = known_azs(azs_of(g.refs(sg, "subnetIds", "ec2/subnet")))
        gap = missing(zones)
        if zones and gap:
            yield sg, (f"Subnet group {sg.label()} has no subnet in {', '.join(gap)}, where the web tier runs; add a "
                       f"data subnet of every web AZ so the standby can live there.")
    for fs in g.of("efs/fileSystem"):
        targets = g.referrers(fs, ("efs/mountTarget",), ("fileSystemId",))
        zones = known_azs(azs_of([s for t in targets for s in g.refs(t, "subnetId", "ec2/subnet")]))
        gap = missing(zones)
        if gap:
            yield fs, (f"EFS file system {fs.label()} has no mount target in {', '.join(gap)}, where the web tier "
                       f"runs; add a mount target in every web AZ.")


POLICIES = [
    stack_policy(
        "az-loss-survivable", _survives, level=MANDATORY, catalogue=("NEW-8", "NEW-4", "NEW-2"),
        description="Every tier must keep serving when any one Availability Zone is lost.",
        config_schema={
            "minWebCapacityAfterLoss": {"type": "integer", "minimum": 1, "default": 1,
                                        "description": "Instances the web group must keep (at its minimum size) after losing an AZ."},
        }),
    stack_policy(
        "az-consistency-across-tiers", _consistency, level=ADVISORY, catalogue=("NEW-4",),
        description="The load balancer, database, cache and file system should cover every AZ the web tier uses."),
]
