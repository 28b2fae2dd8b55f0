"""What the web tier needs from the resources around it: a mount target of its shared file system in each of its
AZs, and a load balancer whose target group the web servers are registered in.

The web tier is the stack's Auto Scaling groups attached to a load balancer (target group, Classic load balancer
or attachment resource); its AZs are the known AZs of their subnets. Both rules follow references through
property dependencies, so they decide during a first preview.
"""
from typing import Iterable, List, Tuple

from ._base import MANDATORY, stack_policy
from ._graph import Graph, Node
from .topology import ASG, asg_has_lb, is_regional, mount_target_zones, web_zones

EFS, MOUNT_TARGET = "efs/fileSystem", "efs/mountTarget"
TARGET_GROUP = "lb/targetGroup"


# --- efs-mount-target-in-every-web-az ----------------------------------------------------------------------
def _efs_mount_targets(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    web = web_zones(g)
    if not web:
        return
    for fs in g.of(EFS):
        if not is_regional(fs):
            continue  # One Zone: no-nfs-single-point-of-failure reports it
        zones, unresolved = mount_target_zones(g, fs)
        gap = [az for az in web if az not in zones]
        if not gap:
            continue
        if unresolved:
            yield fs, (f"EFS file system {fs.label()} has mount target {unresolved[0].label()} in a subnet whose AZ "
                       f"cannot be resolved through the stack graph, so it cannot be verified that every web AZ "
                       f"({', '.join(web)}) has a mount target; create the mount targets' subnets in this stack.")
            continue
        yield fs, (f"EFS file system {fs.label()} has no mount target in {', '.join(gap)}, where the web tier runs: "
                   f"web servers there cannot mount it by its DNS name, and through another AZ's mount target they "
                   f"lose it with that AZ; add an aws.efs.MountTarget in a subnet of every web AZ.")


# --- load-balancer-target-group-registered -----------------------------------------------------------------
# Resources that refer to a target group without putting targets in it.
_NOT_REGISTERING = ("lb/listener", "lb/listenerRule", "cloudwatch/metricAlarm", "cloudwatch/dashboard",
                    "autoscaling/policy", "appautoscaling/policy", "lb/targetGroup")


def forwarding(g: Graph) -> List[Tuple[Node, Node]]:
    """(listener or listener rule, target group it forwards to)."""
    out: List[Tuple[Node, Node]] = []
    for listener in g.of("lb/listener"):
        out += [(listener, tg) for tg in g.refs(listener, "defaultActions", TARGET_GROUP)]
    for rule in g.of("lb/listenerRule"):
        out += [(rule, tg) for tg in g.refs(rule, "actions", TARGET_GROUP)]
    return out


def registers_into(g: Graph, tg: Node) -> List[Node]:
    """What puts targets in the group: an Auto Scaling group (targetGroupArns), an aws.autoscaling.Attachment,
    a target group attachment, an ECS service, or anything else of the stack that refers to it."""
    return [n for n in g.referrers(tg) if n.kind not in _NOT_REGISTERING]


def _target_group_registered(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    unattached = [asg for asg in g.of(ASG) if not asg_has_lb(g, asg)]
    if not unattached:
        return
    seen: List[Node] = []
    for by, tg in forwarding(g):
        if tg in seen or registers_into(g, tg):
            continue
        seen.append(tg)
        what = "listener" if by.kind == "lb/listener" else "listener rule"
        for asg in unattached:
            yield asg, (f"Auto Scaling group {asg.label()} is attached to no load balancer, while {what} "
                        f"{by.label()} forwards to target group {tg.label()}, into which nothing registers: the site "
                        f"answers 503; add the target group to the group's targetGroupArns (or attach it with an "
                        f"aws.autoscaling.Attachment).")


POLICIES = [
    stack_policy(
        "efs-mount-target-in-every-web-az", _efs_mount_targets, level=MANDATORY, catalogue=("NEW-20",),
        description=("A regional EFS file system must have a mount target in every AZ of the web tier (its "
                     "load-balanced Auto Scaling groups).")),
    stack_policy(
        "load-balancer-target-group-registered", _target_group_registered, level=MANDATORY, catalogue=("NEW-21",),
        description=("A target group a listener forwards to must not be left empty while an Auto Scaling group of "
                     "the stack is attached to no load balancer (the site would answer 503).")),
]
