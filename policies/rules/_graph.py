"""The stack graph: resources, their canonical kinds, and references resolved through propertyDependencies.

During a first preview every ID and ARN is unknown, so a reference such as an Auto Scaling group's
`vpcZoneIdentifiers` can only be followed through the engine's property dependencies (input key -> URNs).
"""
import functools
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence

from . import _native
from ._props import get, is_unknown, plain

# Deprecated / alternative modules that carry the same resources.
_MODULE_ALIASES = {
    "alb": "lb",
    "applicationloadbalancing": "lb",
    "elasticloadbalancingv2": "lb",
    "elasticloadbalancing": "elb",
}


@functools.lru_cache(maxsize=4096)
@functools.lru_cache(maxsize=4096)  # a pure function of the token, asked for every resource of every graph
def kind_of(token: str) -> str:
    """`aws:alb/targetGroup:TargetGroup` -> `lb/targetGroup`; `aws:s3/bucketVersioningV2:...` -> `s3/bucketVersioning`;
    `aws-native:rds:DbInstance` -> `native:rds/instance` (see _native)."""
    if not token.startswith("aws:") or "/" not in token:
        return _native.native_kind(token) or token
    module, rest = token[4:].split("/", 1)
    typ = rest.split(":", 1)[0]
    module = _MODULE_ALIASES.get(module, module)
    if module == "s3":
        typ = re.sub(r"V2$", "", typ)
        if typ == "bucketObjectv2":
            typ = "bucketObject"
    return f"{module}/{typ}"


SUBNET_KINDS = ("ec2/subnet", "ec2/defaultSubnet", _native.SUBNET)

# How messages name a resource (Node.describe): its kind in these words, then its name in quotes.
KIND_NAMES = {
    "autoscaling/group": "Auto Scaling group", "lb/loadBalancer": "Load balancer",
    "elb/loadBalancer": "Classic load balancer", "lb/targetGroup": "Target group", "lb/listener": "Listener",
    "rds/instance": "RDS instance", "rds/cluster": "RDS cluster", "rds/clusterInstance": "RDS cluster instance",
    "elasticache/cluster": "Cache cluster", "elasticache/replicationGroup": "Replication group",
    "ec2/instance": "Instance", "ec2/launchTemplate": "Launch template",
    "ec2/launchConfiguration": "Launch configuration", "ebs/volume": "EBS volume", "s3/bucket": "Bucket",
    "ec2/securityGroup": "Security group", "ec2/defaultSecurityGroup": "Security group",
    "ec2/securityGroupRule": "Security group rule", "vpc/securityGroupIngressRule": "Security group rule",
    "vpc/securityGroupEgressRule": "Security group rule",
    "efs/fileSystem": "EFS file system", "cloudfront/distribution": "Distribution", "route53/record": "Record",
    "ecs/service": "ECS service", "ecs/taskDefinition": "ECS task definition", "eks/nodeGroup": "EKS node group",
    "eks/cluster": "EKS cluster", "ecr/repositoryPolicy": "ECR repository policy",
    "ecr/repositoryCreationTemplate": "ECR repository creation template", "dynamodb/table": "DynamoDB table",
    "redshift/cluster": "Redshift cluster", "secretsmanager/secretVersion": "Secret version",
    _native.ASG: "Auto Scaling group", _native.LB: "Load balancer", _native.DB_INSTANCE: "RDS instance",
    _native.DB_CLUSTER: "RDS cluster", _native.BUCKET: "Bucket",
}


def stack_of(urn: str) -> str:
    parts = urn.split("::")
    if parts and parts[0].startswith("urn:pulumi:"):
        return parts[0][len("urn:pulumi:"):]
    return ""


class Node:
    """One resource, with plain properties and resolved references."""

    def __init__(self, resource_type: str, name: str, urn: str, props: Any, opts: Any = None,
                 provider: Any = None, input_keys: Optional[Iterable[str]] = None) -> None:
        self.type = resource_type
        self.kind = kind_of(resource_type)
        self.name = name
        self.urn = urn
        self.opts = opts
        self.deps: Dict[str, List["Node"]] = {}
        self.all_deps: List["Node"] = []
        self.parent: Optional["Node"] = None
        # Converted on first use: most policies look at a few kinds only, and stacks can be large.
        self._raw_props, self._props = props, None
        self._raw_provider, self._provider_props = provider, None
        renames = _native.RENAMES.get(self.kind)
        self._input_keys = (({renames.get(k, k) for k in input_keys} if renames else set(input_keys))
                            if input_keys else None)

    @property
    def props(self) -> Dict[str, Any]:
        if self._props is None:
            props = plain(self._raw_props) or {}
            if self.kind.startswith(_native.PREFIX):
                props = _native.translate(self.kind, props)
            if self._input_keys is not None:
                # Stack policies see outputs: during preview a computed output the program never set (a route's
                # instanceId, a database's replicateSourceDb) is unknown. The engine sends a property dependency
                # entry for every input key, so an unknown outside those keys was not set by the program.
                props = {k: v for k, v in props.items() if k in self._input_keys or not is_unknown(v)}
            self._props = props
        return self._props

    @property
    def inputs(self) -> Dict[str, Any]:
        """The properties the program set (stack policies see outputs, which also carry provider-computed values,
        e.g. the default encryption AWS reports for every bucket)."""
        if self._input_keys is None:
            return self.props
        return {k: v for k, v in self.props.items() if k in self._input_keys}

    @props.setter
    def props(self, value: Dict[str, Any]) -> None:
        self._props = value

    @property
    def provider_props(self) -> Dict[str, Any]:
        if self._provider_props is None:
            raw = getattr(self._raw_provider, "props", None) if self._raw_provider is not None else None
            self._provider_props = plain(raw) or {}
        return self._provider_props

    def get(self, *path: Any, default: Any = None) -> Any:
        return get(self.props, *path, default=default)

    @property
    def stack(self) -> str:
        return stack_of(self.urn)

    @property
    def region(self) -> Optional[str]:
        region = self.props.get("region")
        if isinstance(region, str) and not is_unknown(region):
            return region
        region = self.provider_props.get("region")
        if isinstance(region, str) and not is_unknown(region):
            return region
        return None

    def label(self) -> str:
        return f"'{self.name}'"

    def describe(self) -> str:
        """`RDS instance 'db'`: the resource's kind in words, then its name."""
        what = KIND_NAMES.get(self.kind)
        return f"{what} {self.label()}" if what else f"{self.type.split(':')[-1]} {self.label()}"

    def __repr__(self) -> str:
        return f"Node({self.kind} {self.name})"


def az_count(azs: List[str]) -> str:
    """`1 AZ`, `2 AZs`."""
    return f"{len(azs)} AZ" + ("" if len(azs) == 1 else "s")


def az_list(azs: List[str]) -> str:
    """`us-east-1a, us-east-1b`, or `none`."""
    return ", ".join(azs) if azs else "none"


def mid_sentence(described: str) -> str:
    """A description (`Bucket 'logs'`) as it reads inside a sentence (`bucket 'logs'`)."""
    return described[0].lower() + described[1:]


def cannot_verify(node: Node, what: str) -> str:
    """The finding for a setting that decides the verdict but is unknown at preview."""
    return (f"{node.describe()} sets {what} from a value that is unknown at preview, so it cannot be verified; "
            f"set it from configuration or a literal.")


def node_from_args(args: Any) -> Node:
    """A Node for a resource policy (no graph)."""
    return Node(args.resource_type, args.name, args.urn, args.props, getattr(args, "opts", None),
                getattr(args, "provider", None))


class Graph:
    def __init__(self, resources: Sequence[Any]) -> None:
        self.nodes: List[Node] = []
        by_id: Dict[int, Node] = {}
        for r in resources:
            pdeps = getattr(r, "property_dependencies", None) or {}
            n = Node(r.resource_type, r.name, r.urn, r.props, getattr(r, "opts", None), getattr(r, "provider", None),
                     input_keys=list(pdeps) or None)
            by_id[id(r)] = n
            self.nodes.append(n)
        for r in resources:
            n = by_id[id(r)]
            if getattr(r, "parent", None) is not None and id(r.parent) in by_id:
                n.parent = by_id[id(r.parent)]
            pdeps = getattr(r, "property_dependencies", None) or {}
            renames = _native.RENAMES.get(n.kind) or {}
            for key, deps in pdeps.items():
                n.deps[renames.get(key, key)] = [by_id[id(d)] for d in deps if id(d) in by_id]
            n.all_deps = [by_id[id(d)] for d in (getattr(r, "dependencies", None) or []) if id(d) in by_id]
        self.by_urn = {n.urn: n for n in self.nodes}
        self._by_kind: Dict[str, List[Node]] = {}
        for n in self.nodes:
            self._by_kind.setdefault(n.kind, []).append(n)
        self._referrers: Dict[int, List[tuple]] = {}
        for n in self.nodes:
            for key, deps in n.deps.items():
                for d in deps:
                    self._referrers.setdefault(id(d), []).append((key, n))

    @property
    def stack(self) -> str:
        for n in self.nodes:
            s = n.stack
            if s:
                return s
        return ""

    def of(self, *kinds: str) -> List[Node]:
        if len(kinds) == 1:
            return list(self._by_kind.get(kinds[0], ()))
        return [n for n in self.nodes if n.kind in kinds]

    def refs(self, node: Node, key: str, *kinds: str) -> List[Node]:
        """Resources that `node`'s input `key` refers to (optionally of the given kinds)."""
        out: List[Node] = []
        for d in node.deps.get(key, []):
            if (not kinds or d.kind in kinds) and d not in out:
                out.append(d)
        return out

    def referrers(self, node: Node, kinds: Iterable[str] = (), keys: Iterable[str] = ()) -> List[Node]:
        """Resources whose inputs refer to `node` (optionally through the given keys / of the given kinds)."""
        kinds, keys = tuple(kinds), tuple(keys)
        out: List[Node] = []
        for key, n in self._referrers.get(id(node), []):
            if (not kinds or n.kind in kinds) and (not keys or key in keys) and n not in out:
                out.append(n)
        return out

    # --- networking helpers -------------------------------------------------------------------------
    def subnets_of(self, node: Node, *keys: str) -> List[Node]:
        """Subnets an input refers to; a subnet group or subnet-mapping in between is followed."""
        found: List[Node] = []
        for key in keys:
            for d in self.refs(node, key):
                if d.kind in SUBNET_KINDS:
                    targets = [d]
                elif d.kind in ("rds/subnetGroup", "elasticache/subnetGroup"):
                    targets = self.refs(d, "subnetIds", *SUBNET_KINDS)
                else:
                    targets = []
                for t in targets:
                    if t not in found:
                        found.append(t)
        return found

    def external_refs(self, node: Node, key: str) -> List[str]:
        """Entries of a list input that are literal IDs of resources outside the stack graph.

        Resolved entries are unknown during preview and known afterwards, so the count is what is left once the
        graph-resolved entries are taken away.
        """
        values = node.props.get(key)
        if not isinstance(values, list):
            return []
        known = [v for v in values if isinstance(v, str) and v and not is_unknown(v)]
        unknown = len(values) - len(known)
        resolved = len(self.refs(node, key))
        extra = max(0, len(values) - max(resolved, unknown))
        return known[len(known) - extra:] if extra else []


