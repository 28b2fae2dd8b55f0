"""How an EC2 instance gets a public address: every path counts, not only `associatePublicIpAddress`.

An instance is reachable from the internet at its own address when it has
- `associatePublicIpAddress` true,
- a subnet that maps public IPs on launch (`mapPublicIpOnLaunch`; a default subnet does unless told not to),
- an Elastic IP (`aws.ec2.Eip` with `instance`, or an `aws.ec2.EipAssociation` with `instanceId`), or
- no subnet at all: it lands in the default VPC, whose default subnets give every instance a public IP.
`associatePublicIpAddress` false overrides the subnet and the default VPC (not an Elastic IP). An instance
launched on network interfaces of its own, or whose subnet or launch template cannot be resolved, is judged on
its Elastic IPs only. All of it reads inputs and property dependencies, so it decides during a first preview.
"""
from typing import List, NamedTuple, Optional

from ._graph import Graph, Node
from ._props import as_list, first, is_unknown, truthy


class PublicPath(NamedTuple):
    how: str  # "flag" | "subnet" | "eip" | "default-vpc"
    via: Optional[Node]  # the subnet or Elastic IP resource, when there is one
    text: str  # "subnet 'public-a' (mapPublicIpOnLaunch)"


def _elastic_ips(g: Graph, inst: Node) -> List[PublicPath]:
    out = [PublicPath("eip", e, f"Elastic IP {e.label()}")
           for e in g.referrers(inst, ("ec2/eip",), ("instance",))]
    out += [PublicPath("eip", a, f"Elastic IP association {a.label()}")
            for a in g.referrers(inst, ("ec2/eipAssociation",), ("instanceId",))]
    return out


def _lands_in_default_vpc(g: Graph, inst: Node) -> bool:
    p = inst.inputs  # after a deploy the provider reports the subnet AWS chose
    if p.get("subnetId") or p.get("networkInterfaces") or p.get("primaryNetworkInterface"):
        return False
    spec = first(p, "launchTemplate")
    if spec is None:
        return True
    templates = g.refs(inst, "launchTemplate", "ec2/launchTemplate")
    if not templates:
        return False  # a template of another stack may name the subnet
    return not any(isinstance(ni, dict) and ni.get("subnetId")
                   for t in templates for ni in as_list(t.props.get("networkInterfaces")))


def public_paths(g: Graph, inst: Node) -> List[PublicPath]:
    """Every way the instance gets a public address, most explicit first."""
    # After a deploy the provider reports the address the instance got; only what the program set is a choice.
    setting = inst.inputs.get("associatePublicIpAddress")
    flag = truthy(setting)
    out: List[PublicPath] = []
    if flag is True:
        out.append(PublicPath("flag", None, "associatePublicIpAddress"))
    elif flag is None and not is_unknown(setting):
        for s in g.subnets_of(inst, "subnetId"):
            mapped = truthy(s.props.get("mapPublicIpOnLaunch"))
            if mapped is True or (mapped is None and s.kind == "ec2/defaultSubnet"):
                out.append(PublicPath("subnet", s, f"subnet {s.label()} (mapPublicIpOnLaunch)"))
        if _lands_in_default_vpc(g, inst):
            out.append(PublicPath("default-vpc", None, "the default VPC (no subnetId)"))
    return out + _elastic_ips(g, inst)
