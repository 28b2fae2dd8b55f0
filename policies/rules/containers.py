"""Containers: ECS services and task definitions, EKS clusters and managed node groups, ECR repository policies."""
import fnmatch
import json
import re
from typing import Any, Iterable, List, Optional, Tuple

from ._base import ADVISORY, MANDATORY, resource_policy, stack_policy
from ._graph import Graph, Node, az_count, az_list, cannot_verify
from ._props import as_list, first, fmt_num, is_unknown, number, truthy
from ._sg import SG_KINDS, WORLD, rules_of_group
from .storage import _policy_doc, _statements
from .topology import azs_of

SERVICE, TASK_DEF = "ecs/service", "ecs/taskDefinition"
NODE_GROUP, EKS_CLUSTER = "eks/nodeGroup", "eks/cluster"
REPO_POLICY, REPO_TEMPLATE = "ecr/repositoryPolicy", "ecr/repositoryCreationTemplate"
SCALING_TARGET = "appautoscaling/target"
SUBNET_KINDS = ("ec2/subnet", "ec2/defaultSubnet")
MIN_TASKS = 2





def _zones(g: Graph, node: Node, key: str, values: Any) -> Tuple[List[str], bool]:
    """(AZs, decided) of the subnets listed in `values`, the list held under the top-level input `key`.

    The subnets are followed through the graph (the input's property dependencies); literal IDs of subnets
    outside the stack count as one AZ each, since their AZ cannot be known.
    """
    subnets = [d for d in g.refs(node, key) if d.kind in SUBNET_KINDS]
    if is_unknown(values):
        return [], False
    listed = as_list(values)
    known = [v for v in listed if isinstance(v, str) and v and not is_unknown(v)]
    unknown = len(listed) - len(known)
    if unknown > len(subnets):
        return [], False  # some entries come from something other than a subnet of the stack
    # In update mode the resolved entries are known IDs too; only what the graph cannot account for is outside.
    extra = max(0, len(listed) - max(len(subnets), unknown))
    outside = [f"<AZ of {i}>" for i in dict.fromkeys(known[len(known) - extra:])] if extra else []
    if subnets or listed:
        return azs_of(subnets) + outside, True
    return [], False


# --- ecs-service-multi-az ----------------------------------------------------------------------------------
def _scaling_floor(g: Graph, svc: Node) -> Optional[Tuple[Node, Any]]:
    """The Application Auto Scaling target that owns the service's desired count, and its minCapacity."""
    for t in g.referrers(svc, (SCALING_TARGET,), ("resourceId",)):
        dim = t.props.get("scalableDimension")
        if dim is None or is_unknown(dim) or dim == "ecs:service:DesiredCount":
            return t, t.props.get("minCapacity")
    return None


def _ecs_service_multi_az(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for svc in g.of(SERVICE):
        p = svc.props
        strategy = p.get("schedulingStrategy")
        if isinstance(strategy, str) and strategy.upper() == "DAEMON":
            continue  # one task on every container instance: the cluster's capacity decides, not a count
        floor = _scaling_floor(g, svc)
        if floor is not None:
            target, low = floor
            if is_unknown(low):
                yield svc, (f"{svc.describe()} takes its fewest tasks from scaling target {target.label()}, whose "
                            f"minCapacity is unknown at preview, so it cannot be verified; set it from configuration "
                            f"or a literal.")
            elif (number(low) or 0) < MIN_TASKS:
                yield svc, (f"{svc.describe()} can scale in to {fmt_num(number(low) or 0)} task(s): its scaling "
                            f"target {target.label()} has minCapacity {fmt_num(number(low) or 0)}; set minCapacity "
                            f"to at least {MIN_TASKS} so losing a task or an AZ does not stop the service.")
        else:
            count = p.get("desiredCount")
            if is_unknown(count):
                yield svc, cannot_verify(svc, "desiredCount")
            elif count is None:
                yield svc, (f"{svc.describe()} sets no desiredCount, which defaults to 0 tasks; set desiredCount to "
                            f"at least {MIN_TASKS} so losing a task or an AZ does not stop the service.")
            elif (number(count) or 0) < MIN_TASKS:
                yield svc, (f"{svc.describe()} runs desiredCount {fmt_num(number(count) or 0)} task(s); set "
                            f"desiredCount to at least {MIN_TASKS} so losing a task or an AZ does not stop the "
                            f"service.")
        net = first(p, "networkConfiguration")
        if not isinstance(net, dict) or net.get("subnets") is None:
            continue  # bridge/host networking: tasks land where the cluster's instances are
        azs, decided = _zones(g, svc, "networkConfiguration", net.get("subnets"))
        if not decided:
            yield svc, (f"{svc.describe()} has subnets that cannot be resolved through the stack graph; pass subnets "
                        f"created in this stack (or literal subnet IDs) in networkConfiguration.subnets.")
        elif len(azs) < 2:
            yield svc, (f"{svc.describe()} places its tasks in {az_count(azs)} ({az_list(azs)}); give "
                        f"networkConfiguration.subnets subnets in at least 2 Availability Zones.")


# --- ecs-tasks-private-behind-load-balancer ----------------------------------------------------------------
def _ecs_tasks_private(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for svc in g.of(SERVICE):
        lbs = svc.props.get("loadBalancers")
        if not is_unknown(lbs) and not as_list(lbs):
            continue
        net = first(svc.props, "networkConfiguration")
        public_ip = net.get("assignPublicIp") if isinstance(net, dict) else None
        if public_ip is None or truthy(public_ip) is False:
            continue
        open_rules = [r for sg in g.refs(svc, "networkConfiguration", *SG_KINDS) for r in rules_of_group(g, sg)
                      if r.direction == "ingress" and r.from_world]
        if not open_rules:
            continue
        if is_unknown(public_ip):
            yield svc, cannot_verify(svc, "networkConfiguration.assignPublicIp")
            continue
        r = open_rules[0]
        world = next(c for c in r.cidrs if c in WORLD)
        yield svc, (f"{svc.describe()} sits behind a load balancer, but its tasks get public IPs (assignPublicIp) and "
                    f"security group {r.sg.label()} admits {r.ports_text()} from {world}, so the internet reaches "
                    f"the tasks around the load balancer; set assignPublicIp to false (private subnets with a NAT "
                    f"gateway) and admit only the load balancer's security group.")


# --- ecs-no-secrets-in-environment -------------------------------------------------------------------------
_SENSITIVE = re.compile(r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL")
# Names that point at a secret, or describe one, rather than hold it.
_POINTER = re.compile(r"_(ARN|NAME|ID|FILE|PATH|URL|URI|ENDPOINT|HEADER|TTL|EXPIRY|EXPIRES|LENGTH|TIMEOUT|"
                      r"REGION|ENABLED|TYPE|VERSION|PARAMETER)$")
_HARMLESS_VALUE = re.compile(r"^(true|false|yes|no|on|off|none|null|\d{1,6}|arn:.*)$", re.I)
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I)


def _holds_secret(name: Any, value: Any) -> bool:
    if value is None or isinstance(value, (bool, dict, list)):
        return False
    text = str(value).strip()
    if not text:
        return False
    if _URL_WITH_PASSWORD.match(text):
        return True
    if not isinstance(name, str):
        return False
    key = re.sub(r"[^A-Z0-9]+", "_", name.upper())
    return bool(_SENSITIVE.search(key)) and not _POINTER.search(key) and not _HARMLESS_VALUE.match(text)


def container_definitions(node: Node) -> Optional[List[dict]]:
    """The parsed container definitions; None while they are unknown (built from outputs at preview)."""
    raw = node.props.get("containerDefinitions")
    if raw is None or is_unknown(raw):
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    return [c for c in as_list(raw) if isinstance(c, dict)]


def _ecs_env_secrets(node: Node, config) -> Iterable[str]:
    for i, c in enumerate(container_definitions(node) or []):
        names = [e.get("name") for e in as_list(c.get("environment"))
                 if isinstance(e, dict) and _holds_secret(e.get("name"), e.get("value"))]
        if names:
            container = c.get("name") if isinstance(c.get("name"), str) else f"#{i + 1}"
            yield (f"{node.describe()} passes {', '.join(str(n) for n in names)} to container '{container}' as plain "
                   f"environment variables, readable by anyone who can describe the task definition; move them to "
                   f"the container's secrets (valueFrom a Secrets Manager secret or an SSM SecureString parameter).")


# --- eks-node-group-multi-az -------------------------------------------------------------------------------
def _eks_node_group_multi_az(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for ng in g.of(NODE_GROUP):
        azs, decided = _zones(g, ng, "subnetIds", ng.props.get("subnetIds"))
        if not decided:
            yield ng, (f"{ng.describe()} has subnets that cannot be resolved through the stack graph; pass subnets "
                       f"created in this stack (or literal subnet IDs) in subnetIds.")
        elif len(azs) < 2:
            yield ng, (f"{ng.describe()} spans {az_count(azs)} ({az_list(azs)}); give subnetIds subnets in "
                       f"at least 2 Availability Zones.")
        low = first(ng.props, "scalingConfig", "minSize")
        if is_unknown(low):
            yield ng, cannot_verify(ng, "scalingConfig.minSize")
        elif decided and azs and (number(low) or 0) < len(azs):
            yield ng, (f"{ng.describe()} has scalingConfig.minSize {fmt_num(number(low) or 0)} but spans "
                       f"{az_count(azs)}; set minSize to at least {len(azs)} so every AZ keeps a node.")


# --- eks-endpoint-not-public -------------------------------------------------------------------------------
def _eks_endpoint(node: Node, config) -> Iterable[str]:
    vpc = first(node.props, "vpcConfig")
    vpc = vpc if isinstance(vpc, dict) else {}
    public = vpc.get("endpointPublicAccess")
    if is_unknown(public):
        yield cannot_verify(node, "vpcConfig.endpointPublicAccess")
        return
    if truthy(public) is False:
        return
    cidrs = vpc.get("publicAccessCidrs")
    if is_unknown(cidrs) or any(is_unknown(c) for c in as_list(cidrs)):
        yield cannot_verify(node, "vpcConfig.publicAccessCidrs")
        return
    listed = [c for c in as_list(cidrs) if isinstance(c, str)]
    world = [c for c in listed if c in WORLD]
    if not listed or world:
        source = f"publicAccessCidrs {world[0]}" if world else "publicAccessCidrs unset, which means 0.0.0.0/0"
        yield (f"{node.describe()} serves the Kubernetes API on a public endpoint open to the whole internet "
               f"({source}); set vpcConfig.endpointPublicAccess to false with endpointPrivateAccess true, or "
               f"restrict publicAccessCidrs to the networks that administer the cluster.")


# --- eks-secrets-encrypted ---------------------------------------------------------------------------------
def _eks_secrets(node: Node, config) -> Iterable[str]:
    enc = node.props.get("encryptionConfig")
    if is_unknown(enc):
        yield cannot_verify(node, "encryptionConfig")
        return
    for e in as_list(enc):
        if not isinstance(e, dict):
            continue
        resources = e.get("resources")
        if is_unknown(resources):
            yield cannot_verify(node, "encryptionConfig.resources")
            return
        if "secrets" in as_list(resources) and first(e, "provider", "keyArn"):
            return
    yield (f"{node.describe()} does not envelope-encrypt Kubernetes secrets with a KMS key of its own (since 1.28 EKS "
           f"uses an AWS-owned key, whose use you cannot audit, rotate or revoke); add encryptionConfig with "
           f"resources [\"secrets\"] and provider.keyArn of a customer-managed KMS key.")


# --- ecr-repository-policy-not-public ----------------------------------------------------------------------
PUSH = ("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload")
DELETE = ("ecr:BatchDeleteImage", "ecr:DeleteRepository")
# Condition keys that narrow who may call: with a positive operator they restrict a "*" principal.
_WHO_KEYS = {"aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
             "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceowner",
             "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip", "aws:vpcsourceip", "aws:userid", "aws:username",
             "aws:principalservicename"}


def _everyone(principal: Any) -> bool:
    return principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS")))


def _granted(st: dict, action: str) -> bool:
    def hit(patterns):
        return any(isinstance(a, str) and fnmatch.fnmatchcase(action.lower(), a.lower()) for a in as_list(patterns))
    if "NotAction" in st:
        return not hit(st.get("NotAction"))
    return hit(st.get("Action"))


def _narrows(condition: Any, negated: bool) -> bool:
    """A condition block that limits the caller: a positive match on a caller key (an Allow), or a negated one
    (a Deny that refuses everyone else). IfExists and ForAllValues pass when the key is absent, so they do not."""
    if not isinstance(condition, dict):
        return False
    for op, pairs in condition.items():
        op_l = str(op).lower()
        if op_l.endswith("ifexists") or op_l.startswith("forallvalues") or op_l == "null":
            continue
        if ("not" in op_l.split(":")[-1]) != negated or not isinstance(pairs, dict):
            continue
        for key, values in pairs.items():
            vals = [v for v in as_list(values) if isinstance(v, str)]
            if str(key).lower() in _WHO_KEYS and vals and not any(v.strip() in ("", "*") for v in vals):
                return True
    return False


def public_write_actions(doc: Optional[dict]) -> List[str]:
    """Push and delete actions the policy lets everyone perform with no condition restricting the caller."""
    sts = _statements(doc)
    guards = [st for st in sts if st.get("Effect") == "Deny" and _everyone(st.get("Principal"))
              and _narrows(st.get("Condition"), negated=True)]
    out: List[str] = []
    for st in sts:
        if st.get("Effect") != "Allow" or not _everyone(st.get("Principal")) or _narrows(st.get("Condition"), False):
            continue
        for action in PUSH + DELETE:
            if _granted(st, action) and not any(_granted(d, action) for d in guards) and action not in out:
                out.append(action)
    return [a for a in PUSH + DELETE if a in out]


def _ecr_policy(node: Node, config) -> Iterable[str]:
    key = "policy" if node.kind == REPO_POLICY else "repositoryPolicy"
    actions = public_write_actions(_policy_doc(node.props.get(key)))
    if not actions:
        return
    push, delete = [a for a in actions if a in PUSH], [a for a in actions if a in DELETE]
    what = " and ".join(w for w, acts in (("push", push), ("delete", delete)) if acts)
    yield (f"{node.describe()} lets any principal (\"*\") {what} images ({', '.join(actions)}) with no condition "
           f"restricting the caller, so anyone can replace or remove what the services deploy; grant those actions "
           f"to the publishing role or account only, or add a condition such as aws:PrincipalOrgID.")


POLICIES = [
    stack_policy(
        "ecs-service-multi-az", _ecs_service_multi_az, level=MANDATORY, catalogue=("NEW-17",),
        description=("ECS services must keep at least two tasks running, in subnets of at least two Availability "
                     "Zones.")),
    stack_policy(
        "ecs-tasks-private-behind-load-balancer", _ecs_tasks_private, level=MANDATORY, catalogue=("NEW-18",),
        description=("Tasks of a load-balanced ECS service must not be reachable from the internet around the load "
                     "balancer (public IP and a world-open security group).")),
    resource_policy(
        "ecs-no-secrets-in-environment", (TASK_DEF,), _ecs_env_secrets, level=MANDATORY, catalogue=("L9",),
        description=("Task definitions must pass passwords, tokens and keys to containers as secrets, not as plain "
                     "environment variables.")),
    stack_policy(
        "eks-node-group-multi-az", _eks_node_group_multi_az, level=MANDATORY, catalogue=("NEW-17",),
        description=("EKS managed node groups must span at least two Availability Zones, with a minimum size of at "
                     "least one node per AZ.")),
    resource_policy(
        "eks-endpoint-not-public", (EKS_CLUSTER,), _eks_endpoint, level=ADVISORY, catalogue=("E11",),
        description="The EKS API server endpoint should not be open to the whole internet."),
    resource_policy(
        "eks-secrets-encrypted", (EKS_CLUSTER,), _eks_secrets, level=ADVISORY, catalogue=("L8",),
        description="EKS clusters should envelope-encrypt Kubernetes secrets with a KMS key of their own."),
    resource_policy(
        "ecr-repository-policy-not-public", (REPO_POLICY, REPO_TEMPLATE), _ecr_policy,
        level=MANDATORY, catalogue=("L10",),
        description=("ECR repository policies must not let everyone (Principal \"*\") push or delete images "
                     "without a condition restricting the caller.")),
]
