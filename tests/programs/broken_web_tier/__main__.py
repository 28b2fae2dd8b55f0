"""A load-balanced web group over two AZs whose shared file system has a mount target in one of them (current), or
an HTTPS listener forwarding to an aws.alb target group the web group was never attached to (alternative)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
lb_module = aws.lb if form == "current" else aws.alb
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
azs = ["us-east-1a", "us-east-1b"]
public = [aws.ec2.Subnet(f"public-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
          for i, az in enumerate(azs)]
private = [aws.ec2.Subnet(f"private-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{10 + i}.0/24", availability_zone=az)
           for i, az in enumerate(azs)]
lb = lb_module.LoadBalancer("web", load_balancer_type="application", subnets=[s.id for s in public])
tg = lb_module.TargetGroup("web", port=8080, protocol="HTTP", vpc_id=vpc.id, health_check={
    "enabled": True, "path": "/healthz", "matcher": "200", "interval": 10, "timeout": 5,
    "healthy_threshold": 2, "unhealthy_threshold": 2})
template = aws.ec2.LaunchTemplate(
    "web", image_id="ami-0123456789abcdef0", instance_type="t3.small", metadata_options={"http_tokens": "required"},
    block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"encrypted": "true"}}])
group = {"vpc_zone_identifiers": [s.id for s in private], "min_size": 2, "max_size": 4,
         "launch_template": {"id": template.id, "version": template.latest_version.apply(str)},
         "instance_refresh": {"strategy": "Rolling"}}
if form == "current":
    aws.autoscaling.Group("web", target_group_arns=[tg.arn], health_check_type="ELB", health_check_grace_period=300,
                          **group)
    files = aws.efs.FileSystem("shared", encrypted=True)
    aws.efs.MountTarget("shared-a", file_system_id=files.id, subnet_id=private[0].id)
else:
    aws.autoscaling.Group("web", **group)
    cert = aws.acm.Certificate("web", domain_name="shop.example.com", validation_method="DNS")
    lb_module.Listener("https", load_balancer_arn=lb.arn, port=443, protocol="HTTPS", certificate_arn=cert.arn,
                       ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
                       default_actions=[{"type": "forward", "target_group_arn": tg.arn}])
