"""The web tier's surroundings: EFS mount targets in every web AZ (own rule and AZ-loss analysis) and a target
group a listener forwards to that nothing registers into, in the form cases_containers.py describes."""
from .fixtures import TOKENS, compliant
from .pk import ref

EFS, LISTENER_RULE = "efs-mount-target-in-every-web-az", "load-balancer-target-group-registered"


def stack(name="prod"):
    s = compliant(name)
    s.add(TOKENS["sg"], "files-sg", {"vpcId": ref("vpc"), "description": "EFS: NFS from the web servers",
                                     "ingress": [{"fromPort": 2049.0, "toPort": 2049.0, "protocol": "tcp",
                                                  "securityGroups": [ref("web-sg")], "description": "NFS from web"}]})
    s.add(TOKENS["efs"], "files", {"encrypted": True})
    for z in ("a", "b"):
        s.add(TOKENS["mt"], f"files-{z}", {"fileSystemId": ref("files"), "subnetId": ref(f"private-{z}"),
                                           "securityGroups": [ref("files-sg")]})
    return s


def _subnet_c(s, tier="private"):
    return s.add(TOKENS["subnet"], f"{tier}-c", {"vpcId": ref("vpc"), "availabilityZone": "us-east-1c",
                                                 "cidrBlock": "10.0.12.0/24" if tier == "private" else "10.0.22.0/24"})


def _mount_target(s, name, subnet):
    return s.add(TOKENS["mt"], name, {"fileSystemId": ref("files"), "subnetId": subnet, "securityGroups": [ref("files-sg")]})


def _attach_by_resource(s):
    return s.drop("web-asg", "targetGroupArns").add(TOKENS["asga"], "web-attach", {
        "autoscalingGroupName": ref("web-asg"), "lbTargetGroupArn": ref("web-tg")})


def _api(s, registered_by=None):
    """A second target group, forwarded to by a listener rule on /api/*; `registered_by` adds what fills it."""
    s.add(TOKENS["tg"], "api-tg", {"port": 8081.0, "protocol": "HTTP", "vpcId": ref("vpc"), "targetType": "instance",
                                   "healthCheck": {"path": "/healthz", "matcher": "200"}})
    s.add(TOKENS["rule"], "api-rule", {"listenerArn": ref("https"), "priority": 10.0,
                                       "conditions": [{"pathPattern": {"values": ["/api/*"]}}],
                                       "actions": [{"type": "forward", "targetGroupArn": ref("api-tg")}]})
    if registered_by:
        registered_by(s)
    return s


def _api_group(s, attached=False):
    props = {"vpcZoneIdentifiers": [ref("private-a"), ref("private-b")], "minSize": 2.0, "maxSize": 4.0,
             "launchTemplate": {"id": ref("web-lt"), "version": ref("web-lt", "3")}}
    if attached:
        props["targetGroupArns"] = [ref("api-tg")]
    return s.add(TOKENS["asg"], "api-asg", props)


_GAP = ("EFS file system 'files' has no mount target in {gap}, where the web tier runs: web servers there cannot "
        "mount it by its DNS name, and through another AZ's mount target they lose it with that AZ; add an "
        "aws.efs.MountTarget in a subnet of every web AZ.")
_LOSS = ("Losing {lost} breaks the shared files tier: EFS file system 'files' has no mount target in {gap}, so the "
         "web servers there reach it through a mount target in another AZ; add a mount target in every AZ of the web "
         "tier.")
_503 = ("Auto Scaling group '{asg}' is attached to no load balancer, while {by} forwards to target group '{tg}', into "
        "which nothing registers: the site answers 503; add the target group to the group's targetGroupArns (or "
        "attach it with an aws.autoscaling.Attachment).")

VIOLATING = [
    # --- efs-mount-target-in-every-web-az ---
    (EFS, "one-mount-target", lambda s: s.remove("files-b"), None, [("files", _GAP.format(gap="us-east-1b"))]),
    (EFS, "no-mount-target", lambda s: s.remove("files-a", "files-b"), None,
     [("files", _GAP.format(gap="us-east-1a, us-east-1b"))]),
    (EFS, "two-mount-targets-one-az", lambda s: s.set("files-b", "subnetId", ref("data-a")), None,
     [("files", _GAP.format(gap="us-east-1b"))]),
    (EFS, "web-group-in-a-third-az",
     lambda s: _subnet_c(s).set("web-asg", "vpcZoneIdentifiers", [ref("private-a"), ref("private-b"),
                                                                  ref("private-c")]).set("web-asg", "minSize", 3.0),
     None, [("files", _GAP.format(gap="us-east-1c"))]),
    (EFS, "web-group-attached-by-resource", lambda s: _attach_by_resource(s).remove("files-a"), None,
     [("files", _GAP.format(gap="us-east-1a"))]),
    (EFS, "mount-target-subnet-of-another-stack", lambda s: s.set("files-b", "subnetId", "subnet-0bbb"), None,
     [("files", "EFS file system 'files' has mount target 'files-b' in a subnet whose AZ cannot be resolved through "
                "the stack graph, so it cannot be verified that every web AZ (us-east-1a, us-east-1b) has a mount "
                "target; create the mount targets' subnets in this stack.")]),
    # --- az-loss-survivable: the same gap seen by the AZ-loss analysis ---
    ("az-loss-survivable", "efs-mount-target-in-one-web-az", lambda s: s.remove("files-b"), None,
     [("files", _LOSS.format(lost="us-east-1a", gap="us-east-1b"))]),
    ("az-loss-survivable", "efs-mount-targets-outside-a-web-az",
     lambda s: _mount_target(_subnet_c(s).remove("files-b"), "files-c", ref("private-c")), None,
     [("files", _LOSS.format(lost="us-east-1a or us-east-1c", gap="us-east-1b"))]),
    # --- no-nfs-single-point-of-failure: One Zone is the program's availabilityZoneName, even from an output ---
    ("no-nfs-single-point-of-failure", "one-zone-from-an-output",
     lambda s: s.set("files", "availabilityZoneName", ref("private-a", "us-east-1a")).remove("files-b"), None,
     {mode: [("files", f"EFS file system 'files' is One Zone ({zone}) and is lost with that AZ; remove "
                       f"availabilityZoneName to make it regional, or keep shared files in S3.")]
      for mode, zone in (("preview", "an AZ unknown at preview"), ("update", "us-east-1a"))}),
    # --- load-balancer-target-group-registered ---
    (LISTENER_RULE, "group-not-attached", lambda s: s.drop("web-asg", "targetGroupArns"), None,
     [("web-asg", _503.format(asg="web-asg", by="listener 'https'", tg="web-tg"))]),
    (LISTENER_RULE, "weighted-forward-block",
     lambda s: s.drop("web-asg", "targetGroupArns").set("https", "defaultActions", [
         {"type": "forward", "forward": {"targetGroups": [{"arn": ref("web-tg"), "weight": 1.0}]}}]), None,
     [("web-asg", _503.format(asg="web-asg", by="listener 'https'", tg="web-tg"))]),
    (LISTENER_RULE, "listener-rule-to-an-empty-group", lambda s: _api_group(_api(s)), None,
     [("api-asg", _503.format(asg="api-asg", by="listener rule 'api-rule'", tg="api-tg"))]),
]

COMPLIANT = [
    (EFS, "mount-target-in-another-subnet-of-the-same-az", lambda s: s.set("files-b", "subnetId", ref("data-b")), None),
    (EFS, "extra-mount-target-outside-the-web-azs",
     lambda s: _mount_target(_subnet_c(s), "files-c", ref("private-c")), None),
    (EFS, "unresolved-extra-mount-target", lambda s: _mount_target(s, "files-c", "subnet-0ccc"), None),
    (EFS, "one-zone-file-system-judged-by-the-nfs-rule",
     lambda s: s.set("files", "availabilityZoneName", "us-east-1a").remove("files-b"), None),
    (EFS, "no-load-balanced-group", lambda s: s.drop("web-asg", "targetGroupArns").remove("files-b"), None),
    ("az-loss-survivable", "no-mount-target-at-all-is-the-own-rules-finding",
     lambda s: s.remove("files-a", "files-b"), None),
    ("az-loss-survivable", "mount-target-in-every-web-az-and-a-third", lambda s: _mount_target(
        _subnet_c(s), "files-c", ref("private-c")), None),
    (LISTENER_RULE, "attached-by-resource", _attach_by_resource, None),
    (LISTENER_RULE, "ecs-service-registers-into-the-group",
     lambda s: _api_group(_api(s, lambda s: s.add("aws:ecs/service:Service", "api-svc", {
         "cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/shop", "desiredCount": 2.0,
         "loadBalancers": [{"targetGroupArn": ref("api-tg"), "containerName": "api", "containerPort": 8081.0}]}))),
     None),
    (LISTENER_RULE, "instance-registered-by-attachment",
     lambda s: _api_group(_api(s, lambda s: s.add(TOKENS["instance"], "api-1", {
         "ami": "ami-0123456789abcdef0", "instanceType": "t3.small", "subnetId": ref("private-a")}).add(
         TOKENS["tga"], "api-1-attach", {"targetGroupArn": ref("api-tg"), "targetId": ref("api-1")}))), None),
    (LISTENER_RULE, "empty-group-while-every-group-is-attached",
     lambda s: _api_group(_api(s), attached=False).set("api-asg", "targetGroupArns", [ref("web-tg")]), None),
    (LISTENER_RULE, "unattached-worker-group-and-filled-target-groups", lambda s: _api_group(s), None),
]
