import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
azs = aws.get_availability_zones(state="available")
vpc = aws.ec2.Vpc("main", cidr_block="10.0.0.0/16", enable_dns_support=True)
sub = aws.ec2.Subnet("a", vpc_id=vpc.id, cidr_block="10.0.1.0/24", availability_zone=azs.names[0])
pulumi.export("vpcId", vpc.id)
pulumi.export("size", cfg.require_int("size"))
pulumi.export("greeting", cfg.get("greeting"))
pulumi.export("tags", cfg.require_object("tags"))
pulumi.export("password", cfg.require_secret("dbPassword"))
