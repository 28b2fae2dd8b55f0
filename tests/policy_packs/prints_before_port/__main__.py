from pulumi_policy import PolicyPack, ResourceValidationPolicy

print("loading rules...")  # breaks the CLI's start-up: the first line must be the port

PolicyPack(name="chatty", policies=[
    ResourceValidationPolicy(name="noop", description="Does nothing.", validate=lambda args, report: None),
])
