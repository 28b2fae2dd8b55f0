from pulumi_policy import PolicyPack, ResourceValidationPolicy


def boom(args, report_violation):
    if args.resource_type == "aws:rds/instance:Instance":
        raise RuntimeError("policy bug: cannot read engine version")


PolicyPack(name="raises", policies=[
    ResourceValidationPolicy(name="boom", description="Crashes on databases.", validate=boom),
])
