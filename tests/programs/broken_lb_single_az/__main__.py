"""The load balancer sits in one Availability Zone: lb-multi-az must name it (aws.lb or aws.alb)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
lb_module = aws.lb if form == "current" else aws.alb
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
public_a = aws.ec2.Subnet("public-a", vpc_id=vpc.id, cidr_block="10.0.0.0/24", availability_zone="us-east-1a")
lb_module.LoadBalancer("web", load_balancer_type="application", internal=False, subnets=[public_a.id],
                       drop_invalid_header_fields=True)
