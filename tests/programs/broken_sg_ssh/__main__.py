"""SSH open to the world: as an aws.vpc.SecurityGroupIngressRule (current) or an inline ingress rule."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
ssh = {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "description": "ssh"}
if form == "current":
    sg = aws.ec2.SecurityGroup("admin", vpc_id=vpc.id, description="admin access")
    aws.vpc.SecurityGroupIngressRule("admin-ssh", security_group_id=sg.id, cidr_ipv4="0.0.0.0/0",
                                     from_port=22, to_port=22, ip_protocol="tcp", description="ssh")
else:
    aws.ec2.SecurityGroup("admin", vpc_id=vpc.id, description="admin access", ingress=[ssh])
