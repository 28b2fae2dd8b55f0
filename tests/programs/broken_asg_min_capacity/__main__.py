"""Three AZs but a minimum of two instances (current), or a minimum above the maximum (alternative)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [aws.ec2.Subnet(f"private-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
           for i, az in enumerate(["us-east-1a", "us-east-1b", "us-east-1c"])]
template = aws.ec2.LaunchTemplate(
    "web", image_id="ami-0123456789abcdef0", instance_type="t3.small", metadata_options={"http_tokens": "required"},
    block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"encrypted": "true"}}])
sizes = {"min_size": 2, "max_size": 6} if form == "current" else {"min_size": 4, "max_size": 3}
aws.autoscaling.Group("web", vpc_zone_identifiers=[s.id for s in subnets],
                      launch_template={"id": template.id, "version": template.latest_version.apply(str)},
                      instance_refresh={"strategy": "Rolling"}, **sizes)
