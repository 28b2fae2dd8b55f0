"""The group follows $Latest (current) or leaves the version unset ($Default): a refresh never starts."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [aws.ec2.Subnet(f"private-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
           for i, az in enumerate(["us-east-1a", "us-east-1b"])]
template = aws.ec2.LaunchTemplate(
    "web", image_id="ami-0123456789abcdef0", instance_type="t3.small",
    metadata_options={"http_tokens": "required"},
    block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"encrypted": "true"}}])
spec = {"id": template.id, "version": "$Latest"} if form == "current" else {"id": template.id}
aws.autoscaling.Group("web", min_size=2, max_size=4, vpc_zone_identifiers=[s.id for s in subnets],
                      launch_template=spec,
                      instance_refresh={"strategy": "Rolling", "preferences": {"min_healthy_percentage": 90}})
