"""Health-check thresholds that keep a failed server in rotation for minutes: an HTTP target group (aws.lb) that
needs 10 passing checks, or a TCP target group behind a Network Load Balancer (aws.alb) that tolerates 10 failures."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
if form == "current":
    aws.lb.TargetGroup("web", port=8080, protocol="HTTP", vpc_id=vpc.id, health_check={
        "enabled": True, "path": "/healthz", "matcher": "200", "interval": 10, "timeout": 5,
        "healthy_threshold": 10, "unhealthy_threshold": 2})
else:
    aws.alb.TargetGroup("web", port=8080, protocol="TCP", vpc_id=vpc.id, health_check={
        "enabled": True, "protocol": "TCP", "interval": 10, "healthy_threshold": 3, "unhealthy_threshold": 10})
