"""EC2 instances, launch templates, launch configurations and Auto Scaling group hardening."""
import base64
import re
from typing import Iterable, List, Tuple

from ._base import ADVISORY, MANDATORY, resource_policy, stack_policy
from ._exposure import public_paths
from ._config import matches, setting
from ._graph import Graph, Node
from ._props import as_list, first, is_unknown, number, truthy

INSTANCE, LT, LC, ASG = "ec2/instance", "ec2/launchTemplate", "ec2/launchConfiguration", "autoscaling/group"
COMPUTE = (INSTANCE, LT, LC)


def _templates_of(g: Graph, inst: Node) -> List[Node]:
    return g.refs(inst, "launchTemplate", LT)


# --- imdsv2-required ---------------------------------------------------------------------------------------
# The public SSM parameters of Amazon Linux 2023 images (launch templates resolve them at launch).
AL2023_PARAMETER = re.compile(r"^resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-")


def _image_requires_imdsv2(image, config) -> bool:
    if not isinstance(image, str) or not image or is_unknown(image):
        return False
    return bool(AL2023_PARAMETER.match(image)) or matches(image, setting(config, "imdsv2-required", "imdsv2ImageIds"))


def _imdsv2(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    if any(n.props.get("httpTokens") == "required" for n in g.of("ec2/instanceMetadataDefaults")):
        return
    for node in g.of(*COMPUTE):
        tokens = first(node.props, "metadataOptions", "httpTokens")
        endpoint = first(node.props, "metadataOptions", "httpEndpoint")
        if tokens == "required" or is_unknown(tokens) or endpoint == "disabled":
            continue  # IMDSv2 only, or no metadata service at all
        if node.kind == INSTANCE and tokens is None and any(
                first(t.props, "metadataOptions", "httpTokens") == "required" for t in _templates_of(g, node)):
            continue
        if tokens is not None:
            yield node, (f"{node.describe()} allows IMDSv1 (httpTokens {tokens}), which SSRF can abuse to steal its "
                         f"role credentials; set metadataOptions.httpTokens to \"required\".")
            continue
        # Unset, the image decides: Amazon Linux 2023 images are registered to require IMDSv2. Only the image id
        # is visible here, so the user names such images in imdsv2ImageIds.
        image = node.props.get("ami" if node.kind == INSTANCE else "imageId")
        if node.kind == INSTANCE and image is None:
            image = next((t.props.get("imageId") for t in _templates_of(g, node) if t.props.get("imageId")), None)
        if _image_requires_imdsv2(image, config):
            continue
        if is_unknown(image):
            shown = "(an id not known until deploy)"
        elif isinstance(image, str) and image:
            shown = image
        else:
            shown = "(not set here)"
        yield node, (f"{node.describe()} leaves metadataOptions.httpTokens unset, so it allows IMDSv1 unless its image "
                     f"{shown} requires IMDSv2 (as Amazon Linux 2023 images do), which the policy cannot see from "
                     f"here; set metadataOptions.httpTokens to \"required\" to make it explicit, or list the image id "
                     f"in imdsv2ImageIds.")


# --- ebs-encrypted -----------------------------------------------------------------------------------------
def _enc(value) -> bool:
    return truthy(value) is True or is_unknown(value)


def _ebs(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    if any(truthy(n.props.get("enabled")) is not False for n in g.of("ebs/encryptionByDefault")):
        return
    for node in g.of(INSTANCE, LC):
        root = first(node.props, "rootBlockDevice")
        if isinstance(root, dict):
            if not _enc(root.get("encrypted")):
                yield node, (f"{node.describe()} has an unencrypted root volume; set rootBlockDevice.encrypted to true.")
        elif not (node.kind == INSTANCE and _templates_of(g, node)):
            yield node, (f"{node.describe()} leaves its root volume unencrypted by default; add rootBlockDevice with "
                         f"encrypted true (or enable aws.ebs.EncryptionByDefault).")
        for dev in as_list(node.props.get("ebsBlockDevices")):
            if isinstance(dev, dict) and not _enc(dev.get("encrypted")) and not dev.get("snapshotId"):
                yield node, (f"{node.describe()} attaches unencrypted volume {dev.get('deviceName')}; set encrypted to "
                             f"true on it.")
    for lt in g.of(LT):
        mappings = [m for m in as_list(lt.props.get("blockDeviceMappings")) if isinstance(m, dict)]
        if not mappings:
            yield lt, (f"{lt.describe()} declares no block device mappings, so its root volume is unencrypted unless the "
                       f"AMI is; add a blockDeviceMappings entry for the root device with ebs.encrypted \"true\".")
        for m in mappings:
            ebs = first(m, "ebs")
            if isinstance(ebs, dict) and not _enc(ebs.get("encrypted")):
                yield lt, (f"{lt.describe()} maps {m.get('deviceName')} to an unencrypted EBS volume; set "
                           f"ebs.encrypted to \"true\".")
    for vol in g.of("ebs/volume"):
        if not _enc(vol.props.get("encrypted")):
            yield vol, f"{vol.describe()} is unencrypted; set encrypted to true."


# --- advisory ----------------------------------------------------------------------------------------------
def _hop_limit(node: Node, config) -> Iterable[str]:
    hops = number(first(node.props, "metadataOptions", "httpPutResponseHopLimit"))
    if hops is not None and hops > 1:
        yield (f"{node.describe()} lets metadata responses travel {int(hops)} hops; set "
               f"metadataOptions.httpPutResponseHopLimit to 1.")


_PUBLIC_PATH_FIX = {
    "flag": "{what} gets a public IP; set associatePublicIpAddress to false and sit behind the load balancer.",
    "subnet": ("{what} gets a public IP from {via}; launch it in a private subnet (or set associatePublicIpAddress "
               "to false) and sit behind the load balancer."),
    "eip": "{what} has a public address through {via}; remove it and sit behind the load balancer.",
    "default-vpc": ("{what} has no subnet, so it lands in the default VPC, whose subnets give every instance a public "
                    "IP; set subnetId to a private subnet of the stack's VPC and sit behind the load balancer."),
}


def _public_ip(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for node in g.of(INSTANCE, LT, LC):
        p = node.props
        if node.kind == INSTANCE:
            for path in public_paths(g, node):
                yield node, _PUBLIC_PATH_FIX[path.how].format(what=node.describe(), via=path.text)
        if node.kind == LC and truthy(node.inputs.get("associatePublicIpAddress")) is True:
            yield node, _PUBLIC_PATH_FIX["flag"].format(what=node.describe())
        if node.kind == LT:
            for ni in as_list(p.get("networkInterfaces")):
                if isinstance(ni, dict) and truthy(ni.get("associatePublicIpAddress")) is True:
                    yield node, (f"{node.describe()} gives instances a public IP; set "
                                 f"networkInterfaces[].associatePublicIpAddress to \"false\".")
                    break


def _monitoring(node: Node, config) -> Iterable[str]:
    p = node.props
    if node.kind == INSTANCE:
        on = truthy(p.get("monitoring"))
    elif node.kind == LT:
        on = truthy(first(p, "monitoring", "enabled"))
    else:
        on = truthy(p.get("enableMonitoring")) is not False
    if not on:
        field = {INSTANCE: "monitoring", LT: "monitoring.enabled", LC: "enableMonitoring"}[node.kind]
        yield f"{node.describe()} has only 5-minute metrics; set {field} to true for 1-minute scaling and alarms."


def _profile(node: Node, config) -> Iterable[str]:
    p = node.props
    prof = p.get("iamInstanceProfile")
    if not prof:
        yield (f"{node.describe()} has no IAM instance profile; attach one with least privilege (SSM core, its release "
               f"prefix, its log groups).")


_SECRET_PATTERNS = [
    (re.compile(r"AKIA[0-9A-Z]{16}"), "an AWS access key"),
    (re.compile(r"aws_secret_access_key\s*[=:]", re.I), "an AWS secret key"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
    (re.compile(r"(password|passwd|secret|api[_-]?key|token)\s*[=:]\s*['\"]?(?![$%{<])[^\s'\"]{6,}", re.I),
     "a password or token"),
]


def user_data_text(node: Node) -> str:
    text = node.props.get("userData")
    if isinstance(text, str) and not is_unknown(text):
        if node.kind == LT:
            try:
                return base64.b64decode(text, validate=True).decode("utf-8", "replace")
            except Exception:  # noqa: BLE001 - not base64: judge it as text
                return text
        return text
    b64 = node.props.get("userDataBase64")
    if isinstance(b64, str) and not is_unknown(b64):
        try:
            return base64.b64decode(b64).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001
            return b64
    return ""


def _user_data(node: Node, config) -> Iterable[str]:
    text = user_data_text(node)
    for pattern, what in _SECRET_PATTERNS:
        if pattern.search(text):
            yield (f"{node.describe()} has {what} in its user data, readable by anyone who can describe the instance; "
                   f"read it at boot from Secrets Manager or SSM Parameter Store.")
            return


def _rebalance(node: Node, config) -> Iterable[str]:
    if truthy(node.props.get("capacityRebalance")) is not True and not node.props.get("mixedInstancesPolicy"):
        yield (f"Auto Scaling group {node.label()} uses a single instance type without capacity rebalancing; set "
               f"capacityRebalance to true or add a mixedInstancesPolicy with several instance types.")


def _termination(node: Node, config) -> Iterable[str]:
    if truthy(node.props.get("disableApiTermination")) is not True:
        yield (f"Instance {node.label()} stands outside an Auto Scaling group and can be terminated by accident; set "
               f"disableApiTermination to true (or move it into an Auto Scaling group).")


def _role_conflict(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for role in g.of("iam/role"):
        inline = as_list(role.props.get("inlinePolicies")) or as_list(role.props.get("managedPolicyArns"))
        separate = g.referrers(role, ("iam/rolePolicyAttachment", "iam/rolePolicy", "iam/policyAttachment",
                                      "iam/rolePoliciesExclusive", "iam/rolePolicyAttachmentsExclusive"),
                               ("role", "roles", "roleName"))
        if inline and separate:
            yield role, (f"Role {role.label()} declares policies inline and through {separate[0].label()}; they "
                         f"overwrite each other on every update, so use only attachment resources.")


def _in_vpc(node: Node, config) -> Iterable[str]:
    p = node.props
    if p.get("subnetId") or p.get("networkInterfaces") or p.get("primaryNetworkInterface") or p.get("launchTemplate"):
        return
    yield (f"Instance {node.label()} has no subnet, so it lands in the default VPC; set subnetId to a private subnet "
           f"of the stack's VPC.")


def _delete_on_termination(node: Node, config) -> Iterable[str]:
    p = node.props
    devices = []
    if node.kind == LT:
        devices = [(m.get("deviceName"), first(m, "ebs")) for m in as_list(p.get("blockDeviceMappings"))
                   if isinstance(m, dict)]
    else:
        devices = [("root", first(p, "rootBlockDevice"))] + [
            (d.get("deviceName"), d) for d in as_list(p.get("ebsBlockDevices")) if isinstance(d, dict)]
    for name, dev in devices:
        if isinstance(dev, dict) and truthy(dev.get("deleteOnTermination")) is False:
            yield (f"{node.describe()} keeps volume {name} after the instance ends; set deleteOnTermination to true "
                   f"(snapshot what must be kept).")
            return


def _statements_of(doc) -> list:
    import json
    if isinstance(doc, str) and not is_unknown(doc):
        try:
            doc = json.loads(doc)
        except ValueError:
            return []
    if not isinstance(doc, dict):
        return []
    return [s for s in as_list(doc.get("Statement")) if isinstance(s, dict)]


def _wildcard_admin(node: Node, config) -> Iterable[str]:
    docs = [node.props.get("policy")]
    docs += [ip.get("policy") for ip in as_list(node.props.get("inlinePolicies")) if isinstance(ip, dict)]
    for doc in docs:
        for st in _statements_of(doc):
            actions = as_list(st.get("Action"))
            resources = as_list(st.get("Resource"))
            if st.get("Effect") == "Allow" and ("*" in actions or "*:*" in actions) and "*" in resources:
                yield (f"IAM policy {node.label()} allows every action on every resource; grant the actions and "
                       f"resources the role needs (least privilege).")
                return


POLICIES = [
    stack_policy(
        "imdsv2-required", _imdsv2, level=MANDATORY, catalogue=("D1",),
        description=("Instances, launch templates and launch configurations must require IMDSv2 (httpTokens = "
                     "required, or an image that requires it)."),
        config_schema={
            "imdsv2ImageIds": {
                "type": "array", "items": {"type": "string"}, "default": [],
                "description": "Image ids (or glob patterns) registered to require IMDSv2, such as the Amazon Linux 2023 "
                               "AMIs the stack launches; their instances and launch templates need no httpTokens.",
            },
        }),
    stack_policy(
        "ebs-encrypted", _ebs, level=MANDATORY, catalogue=("D4",),
        description="EBS volumes (instance, launch template, launch configuration, stand-alone) must be encrypted."),
    resource_policy(
        "imds-hop-limit", (INSTANCE, LT, LC), _hop_limit, level=ADVISORY, catalogue=("D2",),
        description="The instance metadata response hop limit should be 1."),
    stack_policy(
        "no-public-ip-on-instances", _public_ip, level=ADVISORY, catalogue=("D3",),
        description="Instances and launch templates should not get public IP addresses."),
    resource_policy(
        "detailed-monitoring", (INSTANCE, LT, LC), _monitoring, level=ADVISORY, catalogue=("D5",),
        description="Instances and launch templates should enable detailed (1-minute) monitoring."),
    resource_policy(
        "instance-profile-attached", (INSTANCE, LT, LC), _profile, level=ADVISORY, catalogue=("D6",),
        description="Instances and launch templates should have an IAM instance profile."),
    resource_policy(
        "user-data-no-secrets", (INSTANCE, LT, LC), _user_data, level=ADVISORY, catalogue=("D9",),
        description="User data must not contain hard-coded secrets."),
    resource_policy(
        "asg-capacity-rebalance", (ASG,), _rebalance, level=ADVISORY, catalogue=("A14",),
        description="Auto Scaling groups should enable capacity rebalancing or use a mixed instances policy."),
    resource_policy(
        "standalone-instance-termination-protection", (INSTANCE,), _termination, level=ADVISORY, catalogue=("A17",),
        description="Stand-alone EC2 instances (outside an Auto Scaling group) should have termination protection."),
    stack_policy(
        "iam-role-policy-conflict", _role_conflict, level=ADVISORY, catalogue=("L7",),
        description=("An IAM role's policies should be managed either inline on the role or as attachment "
                     "resources, not both.")),
    resource_policy(
        "instances-in-vpc", (INSTANCE,), _in_vpc, level=ADVISORY, catalogue=("D8",),
        description="Instances should be launched into a subnet of a VPC the stack defines (not the default VPC)."),
    resource_policy(
        "ebs-delete-on-termination", (INSTANCE, LT, LC), _delete_on_termination, level=ADVISORY, catalogue=("B16",),
        description=("Launch template and instance volumes should be deleted with the instance, so none are left "
                     "behind.")),
    resource_policy(
        "iam-no-wildcard-admin", ("iam/policy", "iam/rolePolicy", "iam/role", "iam/userPolicy", "iam/groupPolicy"), _wildcard_admin,
        level=ADVISORY, catalogue=("L6",),
        description="IAM policies must not allow every action on every resource."),
]
