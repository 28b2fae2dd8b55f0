"""Resource objects passed where an input wants a value: the SDK sends resource references, which the engine
downgrades for analyzers (a custom resource to its id, a component to its URN)."""

import json

import pulumi
import pulumi_aws as aws


class Tier(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("refs:index:Tier", name, None, opts)
        self.register_outputs({})


vpc = aws.ec2.Vpc("main", cidr_block="10.0.0.0/16")
role = aws.iam.Role("app", assume_role_policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}],
}))
tier = Tier("web")
# vpc_id=vpc, not vpc.id; a component inside an input (tags), at depth.
group = aws.ec2.SecurityGroup("web", vpc_id=vpc, description="web tier", tags={"tier": tier})
profile = aws.iam.InstanceProfile("app", role=role)
