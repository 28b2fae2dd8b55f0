"""Security group rules in every form: inline ingress/egress, aws.ec2.SecurityGroupRule, aws.vpc.Security*Rule."""
from typing import Any, List, Optional

from ._graph import Graph, Node
from ._props import as_list, is_unknown, number

SG_KINDS = ("ec2/securityGroup", "ec2/defaultSecurityGroup")
WORLD = ("0.0.0.0/0", "::/0")


class Rule:
    def __init__(self, direction: str, from_port: Any, to_port: Any, protocol: Any, cidrs: List[str],
                 source: Node, sg: Optional[Node], description: Any, refs_sg: bool) -> None:
        self.direction = direction
        self.protocol = str(protocol).lower() if protocol is not None and not is_unknown(protocol) else None
        self.from_port = number(from_port)
        self.to_port = number(to_port)
        self.cidrs = [c for c in cidrs if isinstance(c, str) and not is_unknown(c)]
        self.source = source  # the resource that declares the rule
        self.sg = sg  # the security group it belongs to (None when it cannot be resolved)
        self.description = description
        self.refs_sg = refs_sg  # the rule admits another security group / prefix list rather than CIDRs

    @property
    def all_ports(self) -> bool:
        if self.protocol in ("-1", "all"):
            return True
        return self.from_port is not None and self.from_port <= 0 and (self.to_port or 0) >= 65535

    def covers(self, port: int) -> bool:
        if self.all_ports:
            return True
        if self.protocol in ("icmp", "icmpv6", "1", "58"):
            return False
        lo = self.from_port if self.from_port is not None else 0
        hi = self.to_port if self.to_port is not None else lo
        return lo <= port <= hi

    @property
    def from_world(self) -> bool:
        return any(c in WORLD for c in self.cidrs)

    def ports_text(self) -> str:
        if self.all_ports:
            return "all ports"
        lo, hi = self.from_port, self.to_port
        if lo is None:
            return "unknown ports"
        if hi is None or hi == lo:
            return f"port {int(lo)}"
        return f"ports {int(lo)}-{int(hi)}"


def rules_of_resource(node: Node, sg: Optional[Node] = None) -> List[Rule]:
    """The rules a single resource declares (no graph needed)."""
    p = node.props
    out: List[Rule] = []
    if node.kind in SG_KINDS:
        for direction in ("ingress", "egress"):
            entries = p.get(direction)
            for e in as_list(entries) if not is_unknown(entries) else []:
                if not isinstance(e, dict):
                    continue
                cidrs = as_list(e.get("cidrBlocks")) + as_list(e.get("ipv6CidrBlocks"))
                refs = bool(as_list(e.get("securityGroups")) or e.get("self") or as_list(e.get("prefixListIds")))
                out.append(Rule(direction, e.get("fromPort"), e.get("toPort"), e.get("protocol"), cidrs, node,
                                sg or node, e.get("description"), refs))
    elif node.kind == "ec2/securityGroupRule":
        cidrs = as_list(p.get("cidrBlocks")) + as_list(p.get("ipv6CidrBlocks"))
        refs = bool(p.get("sourceSecurityGroupId") or p.get("self") or as_list(p.get("prefixListIds")))
        out.append(Rule(p.get("type") or "ingress", p.get("fromPort"), p.get("toPort"), p.get("protocol"), cidrs,
                        node, sg, p.get("description"), refs))
    elif node.kind in ("vpc/securityGroupIngressRule", "vpc/securityGroupEgressRule"):
        cidrs = [c for c in (p.get("cidrIpv4"), p.get("cidrIpv6")) if c]
        refs = bool(p.get("referencedSecurityGroupId") or p.get("prefixListId"))
        direction = "ingress" if node.kind.endswith("IngressRule") else "egress"
        out.append(Rule(direction, p.get("fromPort"), p.get("toPort"), p.get("ipProtocol"), cidrs, node, sg,
                        p.get("description"), refs))
    return out


RULE_KINDS = ("ec2/securityGroupRule", "vpc/securityGroupIngressRule", "vpc/securityGroupEgressRule")


def rules_of_group(g: Graph, sg: Node) -> List[Rule]:
    """Inline rules of the group plus every separate rule resource attached to it through the graph."""
    out = rules_of_resource(sg)
    for r in g.referrers(sg, RULE_KINDS, ("securityGroupId",)):
        out.extend(rules_of_resource(r, sg))
    return out


def groups_of(g: Graph, node: Node) -> List[Node]:
    """Security groups attached to an instance, launch template, database, cache, load balancer..."""
    out: List[Node] = []
    for key in ("vpcSecurityGroupIds", "securityGroups", "securityGroupIds", "securityGroupNames"):
        for sg in g.refs(node, key, *SG_KINDS):
            if sg not in out:
                out.append(sg)
    for ni in node.deps.get("networkInterfaces", []):
        if ni.kind in SG_KINDS and ni not in out:
            out.append(ni)
    return out
