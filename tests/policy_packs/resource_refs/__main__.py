"""Against tests/programs/resource_refs: each finding says what the pack saw (tests/test_resource_refs.py)."""

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy, StackValidationPolicy
from pulumi_policy.proxy import UnknownValueError


def seen(props, *path) -> str:
    """The value at ``path`` as the policy sees it: its repr, "unknown" (a preview unknown) or "absent"."""
    value = props
    try:
        for key in path:
            if key not in value:
                return "absent"
            value = value[key]
    except UnknownValueError:
        return "unknown"
    return repr(value)


def refs(args, report_violation):
    if args.resource_type == "aws:ec2/securityGroup:SecurityGroup":
        report_violation(f"vpcId={seen(args.props, 'vpcId')} tags.tier={seen(args.props, 'tags', 'tier')}")
    elif args.resource_type == "aws:iam/instanceProfile:InstanceProfile":
        report_violation(f"role={seen(args.props, 'role')}")


def ids(args, report_violation):
    for r in args.resources:
        report_violation(f"id={seen(r.props, 'id')}", r.urn)


PolicyPack(name="resource-refs", enforcement_level=EnforcementLevel.ADVISORY, policies=[
    ResourceValidationPolicy(name="refs-seen", description="What a resource reference arrives as.", validate=refs),
    StackValidationPolicy(name="ids-seen", description="What each resource's id arrives as.", validate=ids),
])
