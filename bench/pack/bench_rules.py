from pulumi_policy import ResourceValidationPolicy, StackValidationPolicy


def tagged(args, report_violation):
    if args.resource_type == "aws:s3/bucket:Bucket" and not args.props.get("tags"):
        report_violation("untagged")


def parents(args, report_violation):
    orphans = sum(1 for r in args.resources if r.parent is None)
    if orphans > 1:
        report_violation(f"{orphans} resources without a parent")


POLICIES = [
    ResourceValidationPolicy(name="tagged", description="Buckets are tagged.", validate=tagged),
    StackValidationPolicy(name="parents", description="One root.", validate=parents),
]
