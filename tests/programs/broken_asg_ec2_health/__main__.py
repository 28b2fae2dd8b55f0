"""A group behind a target group keeps EC2 health checks (target group inline, or through an attachment)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [aws.ec2.Subnet(f"private-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
           for i, az in enumerate(["us-east-1a", "us-east-1b"])]
tg = aws.lb.TargetGroup("web", port=8080, protocol="HTTP", vpc_id=vpc.id, health_check={
    "enabled": True, "path": "/healthz", "matcher": "200", "interval": 10, "timeout": 5,
    "healthy_threshold": 2, "unhealthy_threshold": 2})
template = aws.ec2.LaunchTemplate(
    "web", image_id="ami-0123456789abcdef0", instance_type="t3.small", metadata_options={"http_tokens": "required"},
    block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"encrypted": "true"}}])
common = dict(min_size=2, max_size=4, vpc_zone_identifiers=[s.id for s in subnets], health_check_type="EC2",
              launch_template={"id": template.id, "version": template.latest_version.apply(str)},
              instance_refresh={"strategy": "Rolling"})
if form == "current":
    aws.autoscaling.Group("web", target_group_arns=[tg.arn], **common)
else:
    group = aws.autoscaling.Group("web", **common)
    aws.autoscaling.Attachment("web", autoscaling_group_name=group.name, lb_target_group_arn=tg.arn)
