"""NEW-9: staging is an exact replica of production. A policy sees one stack, so production's HA shape is passed
in as policy config (`referenceShape`, produced by `stack_shape` over the production stack, e.g. from a preflight
run) and the stack under analysis must have the same shape. Sizes, counts inside a tier, retention periods and
protection flags may differ; the shape keeps only what decides availability and recoverability.
"""
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ._base import ADVISORY, stack_policy
from ._graph import Graph, Node
from ._props import first, is_unknown, number, truthy
from .topology import (asg_has_lb, asg_zones, lb_zones, nat_az, private_egress, stack_azs, subnet_az,
                       versioning_state)


def _key(node: Node, stack: str) -> str:
    name = node.name.replace(stack, "{stack}") if stack else node.name
    return f"{node.kind}:{name}"


def _s(value: Any) -> Any:
    return None if is_unknown(value) else value


def stack_shape(g: Graph) -> Dict[str, Any]:
    """The HA shape of a stack: JSON-able, stable, free of sizes and names that carry the stack name."""
    stack = g.stack
    facts: Dict[str, Any] = {}
    for asg in g.of("autoscaling/group"):
        zones, _, _ = asg_zones(g, asg)
        lo = number(asg.props.get("minSize"))
        version = first(asg.props, "launchTemplate", "version")
        facts[_key(asg, stack)] = {
            "azs": len(zones), "minCoversAzs": lo is not None and lo >= len(zones),
            "healthCheckType": _s(asg.props.get("healthCheckType")) or "EC2", "behindLoadBalancer": asg_has_lb(g, asg),
            "pinnedVersion": version is None or is_unknown(version) or str(version) not in ("$Latest", "$Default"),
            "instanceRefresh": bool(asg.props.get("instanceRefresh"))}
    for lb in g.of("lb/loadBalancer", "elb/loadBalancer"):
        zones, _, _ = lb_zones(g, lb)
        facts[_key(lb, stack)] = {"azs": len(zones), "internal": truthy(lb.props.get("internal")) is True}
    for tg in g.of("lb/targetGroup"):
        hc = first(tg.props, "healthCheck") or {}
        st = first(tg.props, "stickiness") or {}
        facts[_key(tg, stack)] = {
            "healthCheckPath": _s(hc.get("path")) if isinstance(hc, dict) else None,
            "sticky": isinstance(st, dict) and bool(st) and truthy(st.get("enabled")) is not False}
    for lst in g.of("lb/listener"):
        facts[_key(lst, stack)] = {"protocol": _s(lst.props.get("protocol")), "sslPolicy": _s(lst.props.get("sslPolicy"))}
    for db in g.of("rds/instance", "rds/cluster"):
        facts[_key(db, stack)] = {"engine": _s(db.props.get("engine")), "multiAz": truthy(db.props.get("multiAz")),
                                  "encrypted": truthy(db.props.get("storageEncrypted")),
                                  "backups": (number(db.props.get("backupRetentionPeriod")) or 0) > 0}
    for c in g.of("elasticache/cluster"):
        facts[_key(c, stack)] = {"engine": _s(c.props.get("engine")), "azMode": _s(c.props.get("azMode")),
                                 "multiNode": (number(c.props.get("numCacheNodes")) or 1) >= 2}
    for rg in g.of("elasticache/replicationGroup"):
        facts[_key(rg, stack)] = {"failover": truthy(rg.props.get("automaticFailoverEnabled"))}
    for b in g.of("s3/bucket"):
        facts[_key(b, stack)] = {"versioning": versioning_state(g, b)[0]}
    for cf in g.of("cloudfront/distribution"):
        cert = first(cf.props, "viewerCertificate") or {}
        facts[_key(cf, stack)] = {
            "viewerProtocolPolicy": _s(first(cf.props, "defaultCacheBehavior", "viewerProtocolPolicy")),
            "minimumProtocolVersion": _s(cert.get("minimumProtocolVersion")) if isinstance(cert, dict) else None}
    egress = sorted({(subnet_name, nat_az(g, nat) == subnet_az(s)) for rt, s, r in private_egress(g)
                     for nat in r.nats for subnet_name in [_key(s, stack)]})
    return {"azCount": len(stack_azs(g)), "types": sorted({n.kind for n in g.nodes if n.type.startswith("aws:")}),
            "natInOwnAz": all(ok for _, ok in egress), "resources": facts}


class _Resource:
    """The part of a PolicyResource that Graph reads."""

    def __init__(self, resource_type, name, urn, props):
        self.resource_type, self.name, self.urn, self.props = resource_type, name, urn, props
        self.opts = self.provider = self.parent = None
        self.dependencies, self.property_dependencies = [], {}


def shape_of_resources(resources) -> Dict[str, Any]:
    """`stack_shape` of a recorded run: objects with type, name, urn, outputs and property_dependencies
    (input key -> URNs), e.g. `preflight.runner.run_program(".", "prod").resources`."""
    by_urn = {r.urn: _Resource(r.type, r.name, r.urn, dict(r.outputs)) for r in resources}
    for r in resources:
        by_urn[r.urn].property_dependencies = {k: [by_urn[u] for u in v if u in by_urn]
                                               for k, v in (r.property_dependencies or {}).items()}
    return stack_shape(Graph(list(by_urn.values())))


def _diff(ref: Dict[str, Any], cur: Dict[str, Any]) -> List[Tuple[Optional[str], str]]:
    """(resource key or None for the stack, what differs)."""
    out: List[Tuple[Optional[str], str]] = []
    if ref.get("azCount") != cur.get("azCount"):
        out.append((None, f"uses {cur.get('azCount')} AZs where production uses {ref.get('azCount')}"))
    missing = sorted(set(ref.get("types", [])) - set(cur.get("types", [])))
    extra = sorted(set(cur.get("types", [])) - set(ref.get("types", [])))
    if missing:
        out.append((None, f"lacks resource types production has: {', '.join(missing)}"))
    if extra:
        out.append((None, f"has resource types production lacks: {', '.join(extra)}"))
    if ref.get("natInOwnAz") != cur.get("natInOwnAz"):
        out.append((None, "places its NAT gateways differently from production (one per AZ or not)"))
    rres, cres = ref.get("resources", {}), cur.get("resources", {})
    for key in sorted(set(rres) & set(cres)):
        for fact in sorted(set(rres[key]) | set(cres[key])):
            if rres[key].get(fact) != cres[key].get(fact):
                out.append((key, f"has {fact} = {cres[key].get(fact)!r} where production has {rres[key].get(fact)!r}"))
    for key in sorted(set(rres) - set(cres)):
        out.append((None, f"has no {key.split(':', 1)[1]} ({key.split(':', 1)[0]}) where production has one"))
    return out


def _matches_production(g: Graph, config) -> Iterable[Tuple[Optional[Node], str]]:
    ref = (config or {}).get("referenceShape")
    if not isinstance(ref, dict) or not ref:
        return  # no production shape given: nothing to compare with
    by_key = {_key(n, g.stack): n for n in g.nodes}
    stack_node = next((n for n in g.nodes if n.type == "pulumi:pulumi:Stack"), None)
    for key, difference in _diff(ref, stack_shape(g)):
        node = by_key.get(key) if key else None
        if node is not None:
            yield node, f"{node.describe()} {difference}; give it production's setting (only sizes may differ)."
        else:
            yield stack_node, (f"Stack '{g.stack}' {difference}; build it from the same program and settings as "
                               f"production (only sizes may differ).")


POLICIES = [stack_policy(
        "staging-matches-production", _matches_production, level=ADVISORY, catalogue=("NEW-9",),
        description=("A non-production stack must have production's HA shape (AZs, Multi-AZ, health checks, "
                     "versioning...); only sizes may differ."),
        config_schema={
            "referenceShape": {"type": "object", "default": {},
                               "description": "Production's HA shape (rules.shape.stack_shape of the production stack); "
                                              "empty turns the comparison off."},
        })]
