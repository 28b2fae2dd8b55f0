"""A lone web server registered in the target group (aws.lb or aws.alb TargetGroupAttachment)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
lb_module = aws.lb if form == "current" else aws.alb
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [aws.ec2.Subnet(f"public-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
           for i, az in enumerate(["us-east-1a", "us-east-1b"])]
lb_module.LoadBalancer("web", load_balancer_type="application", subnets=[s.id for s in subnets])
tg = lb_module.TargetGroup("web", port=8080, protocol="HTTP", vpc_id=vpc.id, health_check={
    "enabled": True, "path": "/healthz", "matcher": "200", "interval": 10, "timeout": 5,
    "healthy_threshold": 2, "unhealthy_threshold": 2})
server = aws.ec2.Instance("web-1", ami="ami-0123456789abcdef0", instance_type="t3.small", subnet_id=subnets[0].id,
                          metadata_options={"http_tokens": "required"}, root_block_device={"encrypted": True})
lb_module.TargetGroupAttachment("web-1", target_group_arn=tg.arn, target_id=server.id, port=8080)
