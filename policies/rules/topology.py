"""Graph queries several concerns share, so each rule asks the stack the same way: where a group, load balancer,
subnet, file system or database runs (its AZs), which groups form the web tier, how private subnets egress and
where their NAT gateways live, and what a bucket is called and whether it keeps versions.

Every query reads plain data and follows references through the stack graph (property dependencies), so it
answers during a first preview, when IDs are unknown. An AZ the graph cannot tell reads `<AZ of ...>`.
"""
from typing import Iterable, List, Optional, Tuple

from . import _native
from ._graph import Graph, Node
from ._props import as_list, first, is_unknown, truthy

ASG = "autoscaling/group"
MOUNT_TARGET = "efs/mountTarget"


def known_azs(azs: Iterable[str]) -> List[str]:
    """The AZs the stack graph could tell (not the `<AZ of ...>` placeholders)."""
    return [a for a in azs if not a.startswith("<")]


# --- where things run: the AZs of subnets, groups, load balancers, file systems, databases ---
def subnet_az(subnet: Node) -> Optional[str]:
    for key in ("availabilityZone", "availabilityZoneId"):
        v = subnet.props.get(key)
        if isinstance(v, str) and v and not is_unknown(v):
            return v
    return None


def azs_of(subnets: Iterable[Node]) -> List[str]:
    """Distinct AZs of the subnets, in order; a subnet whose AZ is not known counts as its own AZ."""
    out: List[str] = []
    for s in subnets:
        az = subnet_az(s) or f"<AZ of subnet {s.name}>"
        if az not in out:
            out.append(az)
    return out


def asg_zones(g: Graph, asg: Node) -> Tuple[List[str], List[Node], bool]:
    """(AZs, subnets, decided) of an Auto Scaling group."""
    subnets = g.subnets_of(asg, "vpcZoneIdentifiers")
    if subnets:
        outside = [f"<AZ of {i}>" for i in g.external_refs(asg, "vpcZoneIdentifiers")]
        return azs_of(subnets) + outside, subnets, True
    azs = [a for a in as_list(asg.props.get("availabilityZones")) if isinstance(a, str) and a]
    if azs and not any(is_unknown(a) for a in azs):
        return list(dict.fromkeys(azs)), [], True
    ids = [i for i in as_list(asg.props.get("vpcZoneIdentifiers")) if isinstance(i, str) and i]
    if ids and not any(is_unknown(i) for i in ids):
        # Literal subnet IDs of another stack: their AZs are unknown, count each as its own.
        return [f"<AZ of {i}>" for i in dict.fromkeys(ids)], [], True
    return [], [], False


def lb_zones(g: Graph, lb: Node) -> Tuple[List[str], List[Node], bool]:
    subnets = g.subnets_of(lb, "subnets", "subnetMappings")
    if subnets:
        outside = [f"<AZ of {i}>" for i in g.external_refs(lb, "subnets")]
        return azs_of(subnets) + outside, subnets, True
    if lb.kind == "elb/loadBalancer":
        azs = [a for a in as_list(lb.props.get("availabilityZones")) if isinstance(a, str) and a]
        if azs and not any(is_unknown(a) for a in azs):
            return list(dict.fromkeys(azs)), [], True
    literal = [i for i in as_list(lb.props.get("subnets")) if isinstance(i, str) and not is_unknown(i)]
    literal += [first(m, "subnetId") for m in as_list(lb.props.get("subnetMappings")) if isinstance(m, dict)
                and isinstance(m.get("subnetId"), str) and not is_unknown(m.get("subnetId"))]
    if literal:
        return [f"<AZ of {i}>" for i in dict.fromkeys(literal)], [], True
    return [], [], False


def asg_load_balancers(g: Graph, asg: Node) -> List[Node]:
    """Target groups / Classic LBs the group is registered with (inline lists or attachment resources)."""
    out: List[Node] = []
    for key in ("targetGroupArns", "loadBalancers", "trafficSources"):
        for d in g.refs(asg, key, "lb/targetGroup", "elb/loadBalancer"):
            if d not in out:
                out.append(d)
    for att in g.referrers(asg, ("autoscaling/attachment", "autoscaling/trafficSourceAttachment"),
                           ("autoscalingGroupName",)):
        for key in ("lbTargetGroupArn", "elb", "trafficSource"):
            for d in g.refs(att, key, "lb/targetGroup", "elb/loadBalancer"):
                if d not in out:
                    out.append(d)
    return out


def asg_has_lb(g: Graph, asg: Node) -> bool:
    if asg_load_balancers(g, asg):
        return True
    for key in ("targetGroupArns", "loadBalancers", "trafficSources"):
        v = asg.props.get(key)
        if is_unknown(v) or (isinstance(v, list) and len(v) > 0):
            return True
    return bool(g.referrers(asg, ("autoscaling/attachment", "autoscaling/trafficSourceAttachment")))


def web_groups(g: Graph) -> List[Node]:
    return [asg for asg in g.of(ASG) if asg_has_lb(g, asg)]


def web_zones(g: Graph) -> List[str]:
    """Every known AZ of the web Auto Scaling groups, in order. Subnets of other stacks have no known AZ."""
    out: List[str] = []
    for asg in web_groups(g):
        for az in known_azs(asg_zones(g, asg)[0]):
            if az not in out:
                out.append(az)
    return out


def efs_one_zone(fs: Node) -> Optional[str]:
    """The AZ a One Zone file system was given (the unknown sentinel when it comes from an output at preview);
    None for a regional one. Only the program's `availabilityZoneName` says so: after a deploy the provider
    reports an AZ name and id for every file system."""
    zone = fs.inputs.get("availabilityZoneName")
    return zone if isinstance(zone, str) and zone else None


def is_regional(fs: Node) -> bool:
    return efs_one_zone(fs) is None


def mount_target_zones(g: Graph, fs: Node) -> Tuple[List[str], List[Node]]:
    """(AZs of the file system's mount targets, mount targets whose AZ the stack graph cannot tell)."""
    zones: List[str] = []
    unresolved: List[Node] = []
    for mt in g.referrers(fs, (MOUNT_TARGET,), ("fileSystemId",)):
        found = known_azs(azs_of(g.subnets_of(mt, "subnetId")))
        if not found:
            unresolved.append(mt)
        for az in found:
            if az not in zones:
                zones.append(az)
    return zones, unresolved


def db_zones(g: Graph, db: Node) -> List[str]:
    return known_azs(azs_of(g.subnets_of(db, "dbSubnetGroupName")))


def known_string(value) -> Optional[str]:
    return value if isinstance(value, str) and value and not is_unknown(value) else None


def stack_azs(g: Graph) -> List[str]:
    azs: List[str] = []

    def add(a):
        a = known_string(a)
        if a and a not in azs:
            azs.append(a)
    for s in g.of("ec2/subnet", "ec2/defaultSubnet"):
        add(subnet_az(s))
    for n in g.of("autoscaling/group", "elb/loadBalancer"):
        for a in as_list(n.props.get("availabilityZones")):
            add(a)
    for n in g.of("rds/instance", "ec2/instance", "elasticache/cluster", "rds/clusterInstance"):
        add(n.props.get("availabilityZone"))
    for n in g.of("efs/fileSystem"):
        add(efs_one_zone(n))
    for n in g.of("elasticache/cluster"):
        for a in as_list(n.props.get("preferredAvailabilityZones")):
            add(a)
    return sorted(azs)


# --- how subnets egress: default routes, their NAT gateways and the AZs those live in ---
RT_KINDS = ("ec2/routeTable", "ec2/defaultRouteTable")
DEFAULT_DESTS = ("0.0.0.0/0", "::/0")


class DefaultRoute:
    def __init__(self, declared_by: Node, nats: List[Node], igw: bool, other: Optional[str]) -> None:
        self.declared_by, self.nats, self.igw, self.other = declared_by, nats, igw, other


def default_routes(g: Graph, rt: Node) -> List[DefaultRoute]:
    out: List[DefaultRoute] = []
    inline = [r for r in as_list(rt.props.get("routes")) if isinstance(r, dict)]
    for r in inline:
        if r.get("cidrBlock") in DEFAULT_DESTS or r.get("ipv6CidrBlock") in DEFAULT_DESTS:
            nats = g.refs(rt, "routes", "ec2/natGateway")
            igw = bool(r.get("gatewayId")) and not r.get("natGatewayId")
            other = ("a NAT instance" if r.get("networkInterfaceId") or r.get("instanceId") else None)
            out.append(DefaultRoute(rt, nats if r.get("natGatewayId") else [], igw, other))
    for route in g.referrers(rt, ("ec2/route",), ("routeTableId",)):
        p = route.props
        if p.get("destinationCidrBlock") in DEFAULT_DESTS or p.get("destinationIpv6CidrBlock") in DEFAULT_DESTS:
            nats = g.refs(route, "natGatewayId", "ec2/natGateway")
            igw = bool(p.get("gatewayId")) and not p.get("natGatewayId")
            other = ("a NAT instance" if p.get("networkInterfaceId") or p.get("instanceId") else None)
            out.append(DefaultRoute(route, nats, igw, other))
    return out


def route_table_subnets(g: Graph, rt: Node) -> List[Node]:
    out: List[Node] = []
    for assoc in g.referrers(rt, ("ec2/routeTableAssociation",), ("routeTableId",)):
        for s in g.refs(assoc, "subnetId", "ec2/subnet"):
            if s not in out:
                out.append(s)
    return out


def nat_az(g: Graph, nat: Node) -> Optional[str]:
    for s in g.refs(nat, "subnetId", "ec2/subnet"):
        return subnet_az(s)
    return None


def main_route_table(g: Graph, vpc: Node) -> Optional[Node]:
    """The VPC's main route table, when the program manages it (used by subnets with no association)."""
    for assoc in g.referrers(vpc, ("ec2/mainRouteTableAssociation",), ("vpcId",)):
        for rt in g.refs(assoc, "routeTableId", *RT_KINDS):
            return rt
    for rt in g.referrers(vpc, ("ec2/defaultRouteTable",), ("defaultRouteTableId",)):
        return rt
    return None


def private_egress(g: Graph) -> List[Tuple[Node, Node, DefaultRoute]]:
    """(route table, subnet, default route) for every subnet whose default route does not go to an IGW."""
    out = []
    associated = set()
    for rt in g.of(*RT_KINDS):
        routes = default_routes(g, rt)
        subnets = route_table_subnets(g, rt)
        associated.update(s.urn for s in subnets)
        if not routes or any(r.igw for r in routes):
            continue
        for s in subnets:
            for r in routes:
                out.append((rt, s, r))
    for s in g.of("ec2/subnet"):
        if s.urn in associated:
            continue
        for vpc in g.refs(s, "vpcId", "ec2/vpc"):
            rt = main_route_table(g, vpc)
            routes = default_routes(g, rt) if rt else []
            if routes and not any(r.igw for r in routes):
                out.extend((rt, s, r) for r in routes)
    return out


# --- buckets: their names, companion resources and versioning ---
def bucket_name(b: Node) -> str:
    for key in ("bucket", "bucketPrefix"):
        v = b.props.get(key)
        if isinstance(v, str) and v and not is_unknown(v):
            return v
    return b.name


def describe_bucket(b: Node) -> str:
    """Node.describe() for a bucket, with its bucket name when that differs from the resource name."""
    name = bucket_name(b)
    return f"Bucket {b.label()}" if name == b.name else f"Bucket {b.label()} ({name})"


def companions(g: Graph, b: Node, kind: str) -> List[Node]:
    """Companion resources whose `bucket` input is this bucket (through the graph, or by literal name)."""
    out = g.referrers(b, (kind,), ("bucket",))
    name = b.props.get("bucket")
    if isinstance(name, str) and name and not is_unknown(name):
        for c in g.of(kind):
            if c not in out and c.props.get("bucket") == name:
                out.append(c)
    return out


def versioning_state(g: Graph, b: Node) -> Tuple[str, Optional[Node]]:
    """('Enabled' | 'Suspended' | 'Disabled' | 'unknown' | 'absent', declaring resource)."""
    inline = first(b.inputs, "versioning")
    if not isinstance(inline, dict):
        inline = first(b.inputs, "versionings")
    state: Tuple[str, Optional[Node]] = ("absent", None)
    if isinstance(inline, dict):
        en = inline.get("enabled")
        if is_unknown(en):
            state = ("unknown", b)
        elif truthy(en) is True:
            return ("Enabled", b)
        elif truthy(en) is False:
            state = ("Disabled", b)
    # An aws-native bucket carries the companion's versioningConfiguration itself.
    declared = [(b, b.inputs)] if b.kind == _native.BUCKET else []
    declared += [(c, c.props) for c in companions(g, b, "s3/bucketVersioning")]
    for c, props in declared:
        status = first(props, "versioningConfiguration", "status")
        if is_unknown(status):
            state = ("unknown", c)
        elif status == "Enabled":
            return ("Enabled", c)
        elif status:
            state = (str(status), c)
    return state
