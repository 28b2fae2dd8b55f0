"""Builds on the account's default VPC, an existing role and policy, and pushes to ECR."""
import base64
import ipaddress

import pulumi
import pulumi_aws as aws

vpc = aws.ec2.get_vpc(default=True)
pinned = aws.ec2.get_vpc(id="vpc-0aaaabbbbccccdddd")
subnets = aws.ec2.get_subnets(filters=[aws.ec2.GetSubnetsFilterArgs(name="vpc-id", values=[vpc.id])])
found = [aws.ec2.get_subnet(id=i) for i in subnets.ids]
sg = aws.ec2.get_security_group(name="default", vpc_id=vpc.id)
policy = aws.iam.get_policy(name="AmazonEKSClusterPolicy")
role = aws.iam.get_role(name="deployer")
token = aws.ecr.get_authorization_token()
creds = aws.ecr.get_credentials(registry_id="210987654321")
azs = aws.get_availability_zones(state="available")

# The new subnet takes the first free /24 after the default subnets' /20s.
network = ipaddress.ip_network(vpc.cidr_block)
app = aws.ec2.Subnet("app", vpc_id=vpc.id, availability_zone=found[0].availability_zone,
                     cidr_block=str(list(network.subnets(new_prefix=24))[128]))
user, _, password = base64.b64decode(token.authorization_token).decode().partition(":")

pulumi.export("vpcId", vpc.id)
pulumi.export("vpcCidr", vpc.cidr_block)
pulumi.export("vpcDefault", vpc.default)
pulumi.export("vpcAssociation", vpc.cidr_block_associations[0].cidr_block)
pulumi.export("pinnedArn", pinned.arn)
pulumi.export("subnets", [(s.id, s.availability_zone, s.availability_zone_id, s.vpc_id) for s in found])
pulumi.export("appCidr", app.cidr_block)
pulumi.export("sg", [sg.id.startswith("sg-"), sg.arn.endswith(sg.id), sg.vpc_id == vpc.id])
pulumi.export("policyArn", policy.arn)
pulumi.export("roleArn", role.arn)
pulumi.export("ecr", [token.proxy_endpoint, user, password == token.password, token.user_name])
pulumi.export("credsEndpoint", creds.proxy_endpoint)
pulumi.export("azs", azs.names)
pulumi.export("azIds", azs.zone_ids)
