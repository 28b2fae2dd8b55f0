import pulumi
import pulumi_aws as aws

aws.sns.Topic("before-failure")
if pulumi.Config().get("kind") == "value":
    raise ValueError("two problems:\n  first: bad\n  second: worse")
raise pulumi.RunError(
    "invalid stack settings (2 problem(s)):\n"
    "  portal:azCount = 1: at least 2 are needed\n"
    "  portal:minSize = 0: at least 1 is needed"
)
