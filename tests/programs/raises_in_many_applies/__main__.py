import pulumi
import pulumi_aws as aws

# One failing apply that thirty resources wait on: each of them holds a future with the same exception.
bad = pulumi.Output.from_input("known at preview").apply(lambda text: 1 / 0)
for i in range(30):
    aws.sns.Topic(f"t{i}", display_name=bad.apply(str))
