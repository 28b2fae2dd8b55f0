"""An HTTPS listener on a TLS 1.0 policy (aws.lb or aws.alb)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
lb_module = aws.lb if form == "current" else aws.alb
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [aws.ec2.Subnet(f"public-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
           for i, az in enumerate(["us-east-1a", "us-east-1b"])]
lb = lb_module.LoadBalancer("web", load_balancer_type="application", subnets=[s.id for s in subnets])
tg = lb_module.TargetGroup("web", port=8080, protocol="HTTP", vpc_id=vpc.id, health_check={
    "enabled": True, "path": "/healthz", "matcher": "200", "interval": 10, "timeout": 5,
    "healthy_threshold": 2, "unhealthy_threshold": 2})
cert = aws.acm.Certificate("web", domain_name="shop.example.com", validation_method="DNS")
lb_module.Listener("https", load_balancer_arn=lb.arn, port=443, protocol="HTTPS", certificate_arn=cert.arn,
                   ssl_policy="ELBSecurityPolicy-2016-08",
                   default_actions=[{"type": "forward", "target_group_arn": tg.arn}])
