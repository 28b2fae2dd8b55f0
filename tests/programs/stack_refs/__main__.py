"""Reads the network stack's VPC and subnets and the database stack's password."""
import pulumi
import pulumi_aws as aws

network = pulumi.StackReference("org/network/prod")
vpc_id = network.get_output("vpcId")
subnet_ids = network.require_output("privateSubnetIds")
sg = aws.ec2.SecurityGroup("app", vpc_id=vpc_id, description="app servers")
subnet_group = aws.rds.SubnetGroup("db", subnet_ids=subnet_ids)
password = network.get_output("dbPassword")

pulumi.export("vpcId", vpc_id)
pulumi.export("firstSubnet", subnet_ids.apply(lambda ids: ids[0]))
pulumi.export("dbPassword", password)
pulumi.export("absent", network.get_output("noSuchOutput"))
