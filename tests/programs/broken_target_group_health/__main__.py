"""The target group checks / with no matcher: it proves only that a web server answers (aws.lb or aws.alb)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
lb_module = aws.lb if form == "current" else aws.alb
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
lb_module.TargetGroup("web", port=8080, protocol="HTTP", vpc_id=vpc.id, health_check={
    "enabled": True, "path": "/", "matcher": "200-399", "interval": 10, "timeout": 5,
    "healthy_threshold": 2, "unhealthy_threshold": 2})
