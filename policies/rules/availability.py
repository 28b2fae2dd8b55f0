"""Availability rules: spread over AZs, health checks, no single servers, safe rollouts."""
from typing import Iterable, List, Optional, Tuple

from . import _native
from ._base import MANDATORY, resource_policy, stack_policy
from ._exposure import public_paths
from ._config import setting
from ._graph import Graph, Node, az_count, az_list, cannot_verify
from ._props import as_list, first, fmt_num, is_unknown, number, truthy
from ._sg import WORLD, groups_of, rules_of_group
from .topology import (ASG, DefaultRoute, asg_has_lb, asg_zones, efs_one_zone, lb_zones, nat_az, private_egress,
                       subnet_az)

LB_KINDS = ("lb/loadBalancer", "elb/loadBalancer")
# The core availability rules also judge the aws-native forms (rules/_native.py).
CORE_ASG_KINDS = (ASG, _native.ASG)
CORE_LB_KINDS = LB_KINDS + (_native.LB,)


# --- asg-multi-az ------------------------------------------------------------------------------------------
def _asg_multi_az(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    need = int(setting(config, "asg-multi-az", "minAvailabilityZones"))
    for asg in g.of(*CORE_ASG_KINDS):
        azs, _, decided = asg_zones(g, asg)
        if not decided:
            yield asg, (f"Auto Scaling group {asg.label()} has subnets that cannot be resolved through the stack "
                        f"graph; pass subnets created in this stack (or literal subnet IDs) in "
                        f"{_native.field(asg.kind, 'vpcZoneIdentifiers')}.")
        elif len(azs) < need:
            yield asg, (f"Auto Scaling group {asg.label()} spans {az_count(azs)} ({az_list(azs)}); "
                        f"give {_native.field(asg.kind, 'vpcZoneIdentifiers')} subnets in at least {need} "
                        f"Availability Zones.")


# --- asg-min-capacity-per-az -------------------------------------------------------------------------------
def _asg_min_capacity(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for asg in g.of(*CORE_ASG_KINDS):
        azs, _, decided = asg_zones(g, asg)
        lo, hi = asg.props.get("minSize"), asg.props.get("maxSize")
        desired = asg.props.get("desiredCapacity")
        if is_unknown(lo):
            yield asg, cannot_verify(asg, "minSize")
            continue
        lo_n, hi_n, d_n = number(lo), number(hi), number(desired)
        if decided and azs and (lo_n or 0) < len(azs):
            yield asg, (f"Auto Scaling group {asg.label()} has minSize {fmt_num(lo_n or 0)} but spans {len(azs)} AZs; "
                        f"set minSize to at least {len(azs)} so every AZ keeps an instance.")
        if lo_n is not None and hi_n is not None and lo_n > hi_n:
            yield asg, (f"Auto Scaling group {asg.label()} has minSize {fmt_num(lo_n)} above maxSize {fmt_num(hi_n)}; "
                        f"raise maxSize.")
        if d_n is not None and ((lo_n is not None and d_n < lo_n) or (hi_n is not None and d_n > hi_n)):
            yield asg, (f"Auto Scaling group {asg.label()} has desiredCapacity {fmt_num(d_n)} outside "
                        f"[{fmt_num(lo_n)}, {fmt_num(hi_n)}]; keep min <= desired <= max.")


# --- lb-multi-az -------------------------------------------------------------------------------------------
def _lb_multi_az(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    need = int(setting(config, "lb-multi-az", "minAvailabilityZones"))
    for lb in g.of(*CORE_LB_KINDS):
        if lb.kind != "elb/loadBalancer" and lb.props.get("loadBalancerType") == "gateway":
            continue
        azs, _, decided = lb_zones(g, lb)
        if not decided:
            yield lb, (f"Load balancer {lb.label()} has subnets that cannot be resolved through the stack graph; "
                       f"pass subnets created in this stack (or literal subnet IDs).")
        elif len(azs) < need:
            yield lb, (f"Load balancer {lb.label()} spans {az_count(azs)} ({az_list(azs)}); "
                       f"place it in subnets of at least {need} Availability Zones.")


# --- asg-elb-health-check ----------------------------------------------------------------------------------
def _asg_elb_health_check(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    min_grace = number(setting(config, "asg-elb-health-check", "minGracePeriodSeconds")) or 0
    for asg in g.of(ASG):
        if not asg_has_lb(g, asg):
            continue
        hc = asg.props.get("healthCheckType")
        if is_unknown(hc):
            yield asg, cannot_verify(asg, "healthCheckType")
        elif "ELB" not in str(hc or "EC2").upper():
            yield asg, (f"Auto Scaling group {asg.label()} is behind a load balancer but uses "
                        f"{hc or 'EC2 (the default)'} health checks; set healthCheckType to \"ELB\" so instances "
                        f"the load balancer finds unhealthy are replaced.")
        grace = asg.props.get("healthCheckGracePeriod")
        g_n = number(grace)
        if g_n is not None and g_n < min_grace:
            yield asg, (f"Auto Scaling group {asg.label()} has a health check grace period of {fmt_num(g_n)}s; "
                        f"set healthCheckGracePeriod to at least {fmt_num(min_grace)}s (the instance boot time).")


# --- target-group-health-check -----------------------------------------------------------------------------

def _tg_health_check(node: Node, config) -> Iterable[str]:
    """An enabled check with sane thresholds. Without a healthCheck block AWS checks anyway (HTTP GET / expecting
    200 for HTTP(S) groups, a TCP connection for NLB groups), so only a disabled check is missing; whether / is an
    application page is target-group-health-check-path's advice."""
    name = "target-group-health-check"
    max_healthy = number(setting(config, name, "maxHealthyThreshold"))
    min_unhealthy = number(setting(config, name, "minUnhealthyThreshold"))
    max_unhealthy = number(setting(config, name, "maxUnhealthyThreshold"))
    max_interval = number(setting(config, name, "maxIntervalSeconds"))
    p = node.props
    if node.kind == "elb/loadBalancer":
        hc = first(p, "healthCheck")
        if not isinstance(hc, dict):
            yield f"Classic load balancer {node.label()} has no health check; add healthCheck with an HTTP target on an application path."
            return
        target = hc.get("target")
        if isinstance(target, str) and not is_unknown(target):
            proto = target.split(":", 1)[0].upper()
            if proto not in ("HTTP", "HTTPS"):
                yield (f"Classic load balancer {node.label()} checks {target}, which does not exercise the "
                       f"application; use an HTTP(S) target on an application path such as HTTP:80/healthz.")
    else:
        if p.get("targetType") == "lambda":
            return
        hc = first(p, "healthCheck")
        if not isinstance(hc, dict):
            return
        if truthy(hc.get("enabled")) is False:
            yield f"Target group {node.label()} disables its health check; set healthCheck.enabled to true."
            return
    interval, timeout = number(hc.get("interval")), number(hc.get("timeout"))
    healthy, unhealthy = number(hc.get("healthyThreshold")), number(hc.get("unhealthyThreshold"))
    label = ("Classic load balancer " if node.kind == "elb/loadBalancer" else "Target group ") + node.label()
    if interval is not None and timeout is not None and timeout >= interval:
        yield f"{label} has a health check timeout ({fmt_num(timeout)}s) not below its interval ({fmt_num(interval)}s); make the timeout shorter than the interval."
    if interval is not None and max_interval is not None and interval > max_interval:
        yield f"{label} checks health every {fmt_num(interval)}s; use an interval of at most {fmt_num(max_interval)}s."
    if healthy is not None and max_healthy is not None and healthy > max_healthy:
        yield f"{label} needs {fmt_num(healthy)} healthy checks before sending traffic; use a healthy threshold of at most {fmt_num(max_healthy)}."
    if unhealthy is not None and ((min_unhealthy is not None and unhealthy < min_unhealthy) or
                                  (max_unhealthy is not None and unhealthy > max_unhealthy)):
        yield (f"{label} has an unhealthy threshold of {fmt_num(unhealthy)}; use between {fmt_num(min_unhealthy)} "
               f"and {fmt_num(max_unhealthy)} so a failed instance is taken out quickly but not on one blip.")


# --- web-servers-in-asg ------------------------------------------------------------------------------------
WEB_PORTS = (80, 443, 8080, 8443)


def instance_web_reason(g: Graph, inst: Node) -> Optional[str]:
    for att in g.referrers(inst, ("lb/targetGroupAttachment",), ("targetId",)):
        return f"it is registered in a target group through {att.label()}"
    for lb in g.referrers(inst, ("elb/loadBalancer",), ("instances",)):
        return f"it is registered with Classic load balancer {lb.label()}"
    for att in g.referrers(inst, ("elb/attachment",), ("instance",)):
        return f"it is registered with a Classic load balancer through {att.label()}"
    for sg in groups_of(g, inst):
        for rule in rules_of_group(g, sg):
            if rule.direction == "ingress" and not rule.all_ports and any(rule.covers(p) for p in WEB_PORTS):
                return f"its security group {sg.label()} admits web traffic on {rule.ports_text()}"
            if rule.direction == "ingress" and rule.all_ports and rule.from_world:
                # A server open on every port from anywhere serves the web whatever it runs.
                paths = public_paths(g, inst)
                reach = f", and it has a public address through {paths[0].text}" if paths else ""
                return f"its security group {sg.label()} admits all ports from {_world(rule)}{reach}"
    return None


def _world(rule) -> str:
    return next(c for c in rule.cidrs if c in WORLD)


def _web_groups(g: Graph, asg: Node) -> Optional[str]:
    """Why an Auto Scaling group serves web traffic itself: its template's security group admits web ports, or
    every port, from the internet."""
    templates = [t for key in ("launchTemplate", "mixedInstancesPolicy", "launchConfiguration")
                 for t in g.refs(asg, key, "ec2/launchTemplate", "ec2/launchConfiguration")]
    for t in templates:
        for sg in groups_of(g, t):
            for rule in rules_of_group(g, sg):
                if rule.direction == "ingress" and rule.from_world and (
                        rule.all_ports or any(rule.covers(p) for p in WEB_PORTS)):
                    return f"security group {sg.label()} of {t.label()} admits {rule.ports_text()} from the internet"
    return None


def _web_servers_in_asg(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for inst in g.of("ec2/instance"):
        reason = instance_web_reason(g, inst)
        if reason:
            yield inst, (f"Instance {inst.label()} serves web traffic outside an Auto Scaling group ({reason}); "
                         f"run the web tier from a launch template in an Auto Scaling group attached to the load "
                         f"balancer's target group.")
    for asg in g.of(ASG):
        if asg_has_lb(g, asg):
            continue
        reason = _web_groups(g, asg)
        if reason:
            yield asg, (f"Auto Scaling group {asg.label()} serves web traffic with no load balancer in front ({reason}); "
                        f"attach it to a target group and admit web traffic only from the load balancer's security "
                        f"group.")


# --- rds-multi-az ------------------------------------------------------------------------------------------
def _rds_multi_az(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for db in g.of("rds/instance", _native.DB_INSTANCE):
        if db.props.get("replicateSourceDb") or db.props.get("clusterIdentifier"):
            continue  # a read replica, or (aws-native) a member of a cluster, judged with its cluster
        multi = db.props.get("multiAz")
        if is_unknown(multi):
            yield db, cannot_verify(db, "multiAz")
        elif truthy(multi) is not True:
            yield db, (f"RDS instance {db.label()} is single-AZ; set multiAz to true so it fails over to a standby "
                       f"in another AZ.")
    for cl in g.of("rds/cluster", _native.DB_CLUSTER):
        if cl.props.get("dbClusterInstanceClass"):
            continue  # Multi-AZ DB cluster: one writer and two readers in three AZs by construction.
        if str(cl.props.get("engineMode") or "provisioned") == "serverless":
            continue
        members = g.referrers(cl, ("rds/clusterInstance", _native.DB_INSTANCE), ("clusterIdentifier",))
        azs = {m.props.get("availabilityZone") for m in members}
        pinned = {a for a in azs if isinstance(a, str) and not is_unknown(a)}
        if len(members) < 2:
            yield cl, (f"RDS cluster {cl.label()} has {len(members)} instance(s); add a second cluster instance so "
                       f"a reader in another AZ can be promoted.")
        elif len(pinned) == 1 and len(pinned) == len(azs):
            yield cl, (f"RDS cluster {cl.label()} pins all its instances to {next(iter(pinned))}; spread "
                       f"availabilityZone over at least two AZs or leave it unset.")


# --- memcached-cross-az / redis-automatic-failover ---------------------------------------------------------
def _memcached(node: Node, config) -> Iterable[str]:
    p = node.props
    if str(p.get("engine") or "").lower() != "memcached":
        return
    nodes = p.get("numCacheNodes")
    n = number(nodes)
    if is_unknown(nodes):
        yield cannot_verify(node, "numCacheNodes")
        return
    if n is None or n < 2:
        yield (f"Memcached cluster {node.label()} has {fmt_num(n or 1)} node; set numCacheNodes to at least 2 so "
               f"losing a node or an AZ loses only part of the cache.")
    if str(p.get("azMode") or "single-az") != "cross-az":
        yield (f"Memcached cluster {node.label()} places all nodes in one AZ (azMode {p.get('azMode') or 'single-az'}); "
               f"set azMode to \"cross-az\".")
    pref = [a for a in as_list(p.get("preferredAvailabilityZones")) if isinstance(a, str) and not is_unknown(a)]
    if pref and len(set(pref)) < 2:
        yield (f"Memcached cluster {node.label()} prefers only {pref[0]}; list at least two different AZs in "
               f"preferredAvailabilityZones.")


def _redis(node: Node, config) -> Iterable[str]:
    p = node.props
    if node.kind == "elasticache/cluster":
        if str(p.get("engine") or "").lower() in ("redis", "valkey") and not p.get("replicationGroupId"):
            yield (f"Cache cluster {node.label()} is a single {p.get('engine')} node; use an "
                   f"aws.elasticache.ReplicationGroup with a replica, automaticFailoverEnabled and multiAzEnabled.")
        return
    if str(p.get("engine") or "redis").lower() not in ("redis", "valkey"):
        return
    fail = p.get("automaticFailoverEnabled")
    if is_unknown(fail):
        yield cannot_verify(node, "automaticFailoverEnabled")
    elif truthy(fail) is not True:
        yield f"Replication group {node.label()} has no automatic failover; set automaticFailoverEnabled to true."
    multi = p.get("multiAzEnabled")
    if not is_unknown(multi) and truthy(multi) is not True:
        yield f"Replication group {node.label()} is not Multi-AZ; set multiAzEnabled to true so the replica lives in another AZ."
    clusters = number(p.get("numCacheClusters"))
    replicas = number(p.get("replicasPerNodeGroup"))
    if not is_unknown(p.get("numCacheClusters")) and not is_unknown(p.get("replicasPerNodeGroup")):
        if (clusters or 1) < 2 and (replicas or 0) < 1:
            yield (f"Replication group {node.label()} has no replica; set numCacheClusters to at least 2 "
                   f"(or replicasPerNodeGroup to at least 1).")


# --- private-route-nat-same-az -----------------------------------------------------------------------------
def _route_label(rt: Node, route: DefaultRoute) -> str:
    if route.declared_by is rt:
        return f"Route table {rt.label()}"
    return f"Route {route.declared_by.label()} of route table {rt.label()}"


def _private_route_nat(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for rt, subnet, route in private_egress(g):
        az = subnet_az(subnet)
        if route.other:
            yield route.declared_by, (f"{_route_label(rt, route)} sends subnet {subnet.label()} to {route.other}, a "
                                      f"single server; route 0.0.0.0/0 to a NAT gateway in the subnet's own AZ.")
            continue
        for nat in route.nats:
            naz = nat_az(g, nat)
            if az and naz and az != naz:
                yield route.declared_by, (
                    f"{_route_label(rt, route)} sends subnet {subnet.label()} ({az}) to NAT gateway {nat.label()} in "
                    f"{naz}; give every AZ its own NAT gateway and route each private subnet to the one in its AZ.")


# --- no-nfs-single-point-of-failure ------------------------------------------------------------------------
NFS_PORTS = (2049, 111)
NFS_MARKERS = ("nfs-kernel-server", "nfs-utils", "/etc/exports", "nfs-server", "exportfs")


def _user_data_text(node: Node) -> str:
    import base64
    text = node.props.get("userData")
    if isinstance(text, str) and not is_unknown(text):
        return text
    b64 = node.props.get("userDataBase64")
    if isinstance(b64, str) and not is_unknown(b64):
        try:
            return base64.b64decode(b64).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - not base64: judge it as text
            return b64
    return ""


def nfs_server_reason(g: Graph, inst: Node) -> Optional[str]:
    for sg in groups_of(g, inst):
        for rule in rules_of_group(g, sg):
            if rule.direction == "ingress" and not rule.all_ports and any(rule.covers(p) for p in NFS_PORTS):
                return f"its security group {sg.label()} admits NFS on {rule.ports_text()}"
    text = _user_data_text(inst)
    for marker in NFS_MARKERS:
        if marker in text:
            return f"its user data sets up an NFS server ({marker})"
    return None


def _no_nfs_spof(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for fs in g.of("efs/fileSystem"):
        zone = efs_one_zone(fs)
        if zone:
            zone = "an AZ unknown at preview" if is_unknown(zone) else zone
            yield fs, (f"EFS file system {fs.label()} is One Zone ({zone}) and is lost with that AZ; remove "
                       f"availabilityZoneName to make it regional, or keep shared files in S3.")
    for inst in g.of("ec2/instance"):
        reason = nfs_server_reason(g, inst)
        if reason:
            yield inst, (f"Instance {inst.label()} serves NFS to other servers ({reason}), a single point of failure; "
                         f"keep shared files in S3 or a regional EFS file system with a mount target in every AZ.")


# --- sticky-sessions-need-shared-store ---------------------------------------------------------------------
def _store_is_durable(g: Graph, n: Node) -> bool:
    if n.kind == "rds/instance":
        return truthy(n.props.get("multiAz")) is True
    if n.kind == "rds/cluster":
        return True
    if n.kind == "elasticache/replicationGroup":
        return truthy(n.props.get("automaticFailoverEnabled")) is True
    return n.kind == "dynamodb/table" or n.kind not in ("elasticache/cluster",)


def _sticky(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    kinds = list(setting(config, "sticky-sessions-need-shared-store", "sessionStoreTypes"))
    stores = [n for n in g.nodes if n.kind in kinds and n.kind != "elasticache/cluster" and _store_is_durable(g, n)]
    sticky: List[Tuple[Node, str]] = []
    for tg in g.of("lb/targetGroup"):
        st = first(tg.props, "stickiness")
        if isinstance(st, dict) and truthy(st.get("enabled")) is not False:
            sticky.append((tg, f"Target group {tg.label()}"))
    for pol in g.of("elb/loadBalancerCookieStickinessPolicy", "elb/appCookieStickinessPolicy"):
        sticky.append((pol, f"Classic stickiness policy {pol.label()}"))
    if not sticky or stores:
        return
    memcached = [n for n in g.of("elasticache/cluster") if str(n.props.get("engine")).lower() == "memcached"]
    extra = " (memcached is not durable: a lost node loses its sessions)" if memcached else ""
    for node, label in sticky:
        yield node, (f"{label} pins users to one instance, but the stack has no shared, durable session store{extra}; "
                     f"keep sessions in a Multi-AZ RDS database (or Redis with failover, DynamoDB) or disable stickiness.")


# --- asg-instance-refresh-pinned-version -------------------------------------------------------------------
def _instance_refresh(node: Node, config) -> Iterable[str]:
    p = node.props
    min_healthy = number(setting(config, "asg-instance-refresh-pinned-version", "minHealthyPercentage"))
    if p.get("launchConfiguration") and not p.get("launchTemplate") and not p.get("mixedInstancesPolicy"):
        yield (f"Auto Scaling group {node.label()} uses a launch configuration, which cannot be versioned or "
               f"refreshed safely; use a launch template and pin its numbered latestVersion.")
        return
    spec = first(p, "launchTemplate")
    if not isinstance(spec, dict):
        spec = first(p, "mixedInstancesPolicy", "launchTemplate", "launchTemplateSpecification")
    if isinstance(spec, dict):
        version = spec.get("version")
        if not is_unknown(version) and (version is None or str(version) in ("$Latest", "$Default", "")):
            shown = version or "$Default (unset)"
            yield (f"Auto Scaling group {node.label()} uses launch template version {shown}, so an instance refresh "
                   f"never starts on a new template; set launchTemplate.version to the template's latestVersion.")
    refresh = first(p, "instanceRefresh")
    if not isinstance(refresh, dict):
        yield (f"Auto Scaling group {node.label()} has no instanceRefresh, so a new launch template version is never "
               f"rolled out; add instanceRefresh with strategy \"Rolling\" and a minHealthyPercentage.")
        return
    mhp = number(first(refresh, "preferences", "minHealthyPercentage"))
    if mhp is not None and min_healthy is not None and mhp < min_healthy:
        yield (f"Auto Scaling group {node.label()} lets an instance refresh drop to {fmt_num(mhp)}% healthy capacity; "
               f"set instanceRefresh.preferences.minHealthyPercentage to at least {fmt_num(min_healthy)}.")


POLICIES = [
    stack_policy(
        "asg-multi-az", _asg_multi_az, level=MANDATORY, catalogue=("A1", "NEW-4"),
        description="Auto Scaling groups must span at least two Availability Zones.",
        config_schema={
            "minAvailabilityZones": {"type": "integer", "minimum": 2, "default": 2,
                                     "description": "Minimum number of AZs an Auto Scaling group spans."},
        }),
    stack_policy(
        "asg-min-capacity-per-az", _asg_min_capacity, level=MANDATORY, catalogue=("NEW-3",),
        description=("An Auto Scaling group's minimum size must be at least the number of AZs it spans (min <= "
                     "desired <= max).")),
    stack_policy(
        "lb-multi-az", _lb_multi_az, level=MANDATORY, catalogue=("A4", "NEW-4"),
        description="Load balancers (ALB/NLB and Classic) must span at least two Availability Zones.",
        config_schema={
            "minAvailabilityZones": {"type": "integer", "minimum": 2, "default": 2,
                                     "description": "Minimum number of AZs a load balancer spans."},
        }),
    stack_policy(
        "asg-elb-health-check", _asg_elb_health_check, level=MANDATORY, catalogue=("A2",),
        description="An Auto Scaling group behind a load balancer must use ELB health checks with a grace period.",
        config_schema={
            "minGracePeriodSeconds": {"type": "integer", "minimum": 0, "default": 60,
                                      "description": "Minimum health check grace period (boot time)."},
        }),
    resource_policy(
        "target-group-health-check", ("lb/targetGroup", "elb/loadBalancer"), _tg_health_check,
        level=MANDATORY, catalogue=("A3", "NEW-10"),
        description="Target groups and Classic load balancers need an enabled health check with sane thresholds.",
        config_schema={
            "maxHealthyThreshold": {"type": "integer", "default": 5, "description": "Largest healthy threshold."},
            "minUnhealthyThreshold": {"type": "integer", "default": 2, "description": "Smallest unhealthy threshold."},
            "maxUnhealthyThreshold": {"type": "integer", "default": 5, "description": "Largest unhealthy threshold."},
            "maxIntervalSeconds": {"type": "integer", "default": 60, "description": "Longest health check interval."},
        }),
    stack_policy(
        "web-servers-in-asg", _web_servers_in_asg, level=MANDATORY, catalogue=("NEW-7", "A17"),
        description=("Web servers must run in an Auto Scaling group behind a load balancer, not as stand-alone "
                     "instances.")),
    stack_policy(
        "rds-multi-az", _rds_multi_az, level=MANDATORY, catalogue=("A7", "A8"),
        description="RDS databases must be Multi-AZ."),
    resource_policy(
        "memcached-cross-az", ("elasticache/cluster",), _memcached, level=MANDATORY, catalogue=("NEW-6",),
        description="Memcached clusters need at least two nodes spread across Availability Zones."),
    resource_policy(
        "redis-automatic-failover", ("elasticache/cluster", "elasticache/replicationGroup"), _redis,
        level=MANDATORY, catalogue=("A9",),
        description="Redis must run as a replication group with a replica, automatic failover and Multi-AZ."),
    stack_policy(
        "private-route-nat-same-az", _private_route_nat, level=MANDATORY, catalogue=("A12", "NEW-2"),
        description="Private subnets must egress through a NAT gateway in their own Availability Zone."),
    stack_policy(
        "no-nfs-single-point-of-failure", _no_nfs_spof, level=MANDATORY, catalogue=("A10", "NEW-7"),
        description="Shared files must not depend on a single NFS server or a One Zone EFS file system."),
    stack_policy(
        "sticky-sessions-need-shared-store", _sticky, level=MANDATORY, catalogue=("NEW-5",),
        description="Sticky sessions are allowed only when the stack has a shared, durable session store.",
        config_schema={
            "sessionStoreTypes": {
                "type": "array", "items": {"type": "string"},
                "default": ["rds/instance", "rds/cluster", "elasticache/replicationGroup", "dynamodb/table"],
                "description": "Resource kinds (module/type) that count as a shared, durable session store "
                               "when they are themselves highly available (memcached never counts).",
            },
        }),
    resource_policy(
        "asg-instance-refresh-pinned-version", (ASG,), _instance_refresh,
        level=MANDATORY, catalogue=("NEW-10", "A13"),
        description=("An Auto Scaling group must have an instance refresh that can start: a numbered launch "
                     "template version, not $Latest/$Default."),
        config_schema={
            "minHealthyPercentage": {"type": "integer", "default": 50,
                                     "description": "Lowest acceptable instance refresh min healthy percentage."},
        }),
]
