"""VPC and security group rules (inline rules and separate rule resources alike)."""
from typing import Any, Iterable, List, Optional, Tuple

from ._base import ADVISORY, MANDATORY, resource_policy, stack_policy
from ._config import setting
from ._graph import Graph, Node
from ._props import as_list, is_unknown, truthy
from ._sg import RULE_KINDS, SG_KINDS, groups_of, rules_of_group, rules_of_resource
from .topology import asg_has_lb, default_routes, route_table_subnets

_PORT_NAMES = {22: "SSH", 3389: "RDP", 3306: "MySQL", 5432: "PostgreSQL", 1433: "SQL Server", 1521: "Oracle",
               6379: "Redis", 11211: "memcached", 2049: "NFS", 27017: "MongoDB", 9200: "Elasticsearch",
               5984: "CouchDB"}


def _sensitive_ports(node: Node, config) -> Iterable[str]:
    ports = [int(p) for p in setting(config, "sg-no-sensitive-ports-from-internet", "ports")]
    for rule in rules_of_resource(node):
        if rule.direction != "ingress" or not rule.from_world:
            continue
        world = next(c for c in rule.cidrs if c in ("0.0.0.0/0", "::/0"))
        if rule.all_ports:
            yield (f"{node.describe()} opens all ports to {world}; admit only the ports the tier serves, from the "
                   f"security group in front of it.")
            continue
        hit = [p for p in ports if rule.covers(p)]
        if hit:
            names = ", ".join(f"{p} ({_PORT_NAMES.get(p, 'sensitive')})" for p in hit)
            yield (f"{node.describe()} opens {names} to {world}; admit it only from a security group reference (e.g. the "
                   f"web tier's) or use SSM Session Manager instead of SSH/RDP.")


def _flow_logs(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for vpc in g.of("ec2/vpc", "ec2/defaultVpc"):
        if not g.referrers(vpc, ("ec2/flowLog",), ("vpcId",)):
            yield vpc, f"VPC {vpc.label()} has no flow log; add an aws.ec2.FlowLog with vpcId set to it."


def _compute_subnets(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    seen: List[Node] = []
    users = []
    for asg in g.of("autoscaling/group"):
        users += [(s, f"Auto Scaling group {asg.label()}") for s in g.subnets_of(asg, "vpcZoneIdentifiers")]
    for inst in g.of("ec2/instance"):
        users += [(s, f"instance {inst.label()}") for s in g.subnets_of(inst, "subnetId")]
    for sgroup in g.of("rds/subnetGroup", "elasticache/subnetGroup"):
        users += [(s, f"subnet group {sgroup.label()}") for s in g.subnets_of(sgroup, "subnetIds")]
    for subnet, user in users:
        if subnet in seen or truthy(subnet.props.get("mapPublicIpOnLaunch")) is not True:
            continue
        seen.append(subnet)
        yield subnet, (f"Subnet {subnet.label()} (used by {user}) gives every instance a public IP; set "
                       f"mapPublicIpOnLaunch to false and egress through a NAT gateway.")


def _default_sg(node: Node, config) -> Iterable[str]:
    if as_list(node.props.get("ingress")) or as_list(node.props.get("egress")):
        yield (f"Default security group {node.label()} has rules; declare it with no ingress and no egress so "
               f"nothing can use it by accident.")


def _rule_conflict(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for sg in g.of("ec2/securityGroup"):
        inline = as_list(sg.props.get("ingress")) + as_list(sg.props.get("egress"))
        separate = g.referrers(sg, RULE_KINDS, ("securityGroupId",))
        if inline and separate:
            yield sg, (f"Security group {sg.label()} has inline rules and separate rule resources "
                       f"({separate[0].label()}); they overwrite each other on every update, so use only one form.")


def _descriptions(node: Node, config) -> Iterable[str]:
    if node.kind in SG_KINDS and node.kind != "ec2/defaultSecurityGroup":
        desc = node.props.get("description")
        if not desc or desc == "Managed by Pulumi":
            yield f"Security group {node.label()} has no description; say which tier it guards and why."
    for rule in rules_of_resource(node):
        if not rule.description and not is_unknown(rule.description):
            yield (f"{node.describe()} has an {rule.direction} rule on {rule.ports_text()} without a description; say "
                   f"what the rule admits.")
            break


DATA_KINDS = ("rds/instance", "rds/cluster", "elasticache/cluster", "elasticache/replicationGroup",
              "efs/mountTarget")


def _first_cidr_ingress(g: Graph, sg: Node) -> Optional[Tuple[Any, str]]:
    """The first ingress rule of a group that admits address ranges rather than another group, and its name."""
    for rule in rules_of_group(g, sg):
        if rule.direction == "ingress" and rule.cidrs:
            who = (f"Security group {sg.label()}" if rule.source is sg else
                   f"Rule {rule.source.label()} of security group {sg.label()}")
            return rule, who
    return None


def _data_by_reference(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    seen: List[Node] = []
    for data in g.of(*DATA_KINDS):
        for sg in groups_of(g, data):
            if sg in seen:
                continue
            seen.append(sg)
            found = _first_cidr_ingress(g, sg)
            if found:
                rule, who = found
                yield rule.source, (
                    f"{who} guards {data.label()} but admits {', '.join(rule.cidrs)} on "
                    f"{rule.ports_text()}; admit only the web tier's security group (a security group reference).")


def _authorized_ports(node: Node, config) -> Iterable[str]:
    allowed = [int(p) for p in setting(config, "sg-world-ingress-authorized-ports", "authorizedPorts")]
    for rule in rules_of_resource(node):
        if rule.direction != "ingress" or not rule.from_world:
            continue
        if rule.all_ports or rule.from_port is None or not all(
                int(p) in allowed for p in range(int(rule.from_port), int(rule.to_port or rule.from_port) + 1)):
            yield (f"{node.describe()} opens {rule.ports_text()} to the internet, beyond the authorised ports "
                   f"{', '.join(map(str, allowed))}; admit other ports only from security group references.")
            return


def _igw_routes(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    users = {}
    for asg in g.of("autoscaling/group"):
        for s in g.subnets_of(asg, "vpcZoneIdentifiers"):
            users.setdefault(s.urn, f"Auto Scaling group {asg.label()}")
    for inst in g.of("ec2/instance"):
        for s in g.subnets_of(inst, "subnetId"):
            users.setdefault(s.urn, f"instance {inst.label()}")
    for grp in g.of("rds/subnetGroup", "elasticache/subnetGroup"):
        for s in g.subnets_of(grp, "subnetIds"):
            users.setdefault(s.urn, f"subnet group {grp.label()}")
    for rt in g.of("ec2/routeTable", "ec2/defaultRouteTable"):
        if not any(r.igw for r in default_routes(g, rt)):
            continue
        for s in route_table_subnets(g, rt):
            if s.urn in users:
                yield s, (f"Subnet {s.label()} holds {users[s.urn]} but routes 0.0.0.0/0 to an internet gateway "
                          f"through route table {rt.label()}; put it behind a NAT gateway in a private route table.")


def _nacl_in_use(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for acl in g.of("ec2/networkAcl"):
        if as_list(acl.props.get("subnetIds")) or g.referrers(acl, ("ec2/networkAclAssociation",), ("networkAclId",)):
            continue
        yield acl, (f"Network ACL {acl.label()} protects no subnet; associate it with the subnets it is meant for, or "
                    f"delete it.")


def _web_sg_from_lb(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    seen: List[Node] = []
    for asg in g.of("autoscaling/group"):
        if not asg_has_lb(g, asg):
            continue
        templates = [t for key in ("launchTemplate", "mixedInstancesPolicy", "launchConfiguration")
                     for t in g.refs(asg, key, "ec2/launchTemplate", "ec2/launchConfiguration")]
        for t in templates:
            for sg in groups_of(g, t):
                if sg in seen:
                    continue
                seen.append(sg)
                found = _first_cidr_ingress(g, sg)
                if found:
                    rule, who = found
                    yield rule.source, (
                        f"{who} lets {', '.join(rule.cidrs)} reach the web servers of {asg.label()} on "
                        f"{rule.ports_text()}, around the load balancer; admit only the load balancer's security "
                        f"group (use SSM Session Manager for shell access).")


POLICIES = [
    resource_policy(
        "sg-no-sensitive-ports-from-internet", SG_KINDS + RULE_KINDS, _sensitive_ports,
        level=MANDATORY, catalogue=("E1", "E2", "F9"),
        description="Security groups must not open SSH, RDP, database, cache, NFS or all ports to the internet.",
        config_schema={
            "ports": {"type": "array", "items": {"type": "integer"},
                      "default": [22, 3389, 3306, 5432, 1433, 1521, 6379, 11211, 2049, 27017, 9200, 5984],
                      "description": "Ports that must never be open to 0.0.0.0/0 or ::/0."},
        }),
    stack_policy(
        "vpc-flow-logs", _flow_logs, level=ADVISORY, catalogue=("E7",),
        description="VPCs should have flow logs."),
    stack_policy(
        "compute-subnets-no-auto-public-ip", _compute_subnets, level=ADVISORY, catalogue=("E8",),
        description="Subnets that hold instances, web servers or databases should not auto-assign public IPs."),
    resource_policy(
        "default-security-group-closed", ("ec2/defaultSecurityGroup",), _default_sg,
        level=ADVISORY, catalogue=("E5",),
        description="The VPC default security group should have no rules."),
    stack_policy(
        "sg-rule-management-conflict", _rule_conflict, level=ADVISORY, catalogue=("E6",),
        description=("A security group's rules should be managed either inline or as separate rule resources, not "
                     "both.")),
    resource_policy(
        "sg-descriptions", SG_KINDS + RULE_KINDS, _descriptions, level=ADVISORY, catalogue=("E4",),
        description="Security groups and their rules should have descriptions."),
    stack_policy(
        "sg-data-tier-by-reference", _data_by_reference, level=ADVISORY, catalogue=("NEW-15",),
        description=("Database, cache and file-system security groups should admit traffic only from other "
                     "security groups, not CIDR ranges.")),
    resource_policy(
        "sg-world-ingress-authorized-ports", SG_KINDS + RULE_KINDS, _authorized_ports,
        level=ADVISORY, catalogue=("E3",),
        description="Only the authorised ports (by default 80 and 443) may be open to the internet.",
        config_schema={
            "authorizedPorts": {"type": "array", "items": {"type": "integer"}, "default": [80, 443],
                                "description": "Ports that may be open to 0.0.0.0/0 or ::/0."},
        }),
    stack_policy(
        "igw-routes-only-public-subnets", _igw_routes, level=ADVISORY, catalogue=("E9",),
        description=("Only public subnets may route 0.0.0.0/0 to an internet gateway; instances, groups and "
                     "databases stay off them.")),
    stack_policy(
        "network-acl-in-use", _nacl_in_use, level=ADVISORY, catalogue=("E10",),
        description="Network ACLs should be associated with subnets (no unused NACLs)."),
    stack_policy(
        "web-sg-only-from-load-balancer", _web_sg_from_lb, level=ADVISORY, catalogue=("NEW-15",),
        description=("Web servers behind a load balancer should admit traffic only from the load balancer's "
                     "security group.")),
]
