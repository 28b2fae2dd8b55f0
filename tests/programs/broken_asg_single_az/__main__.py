"""The web group sits in one Availability Zone: asg-multi-az must name the group."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnet = aws.ec2.Subnet("private-a", vpc_id=vpc.id, cidr_block="10.0.1.0/24", availability_zone="us-east-1a")
template = aws.ec2.LaunchTemplate(
    "web", image_id="ami-0123456789abcdef0", instance_type="t3.small",
    metadata_options={"http_tokens": "required", "http_put_response_hop_limit": 1},
    block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"encrypted": "true", "volume_size": 20}}])
placement = ({"vpc_zone_identifiers": [subnet.id]} if form == "current"
             else {"availability_zones": ["us-east-1a"]})  # the older, subnet-less way
aws.autoscaling.Group(
    "web", min_size=1, max_size=2,
    launch_template={"id": template.id, "version": template.latest_version.apply(str)},
    instance_refresh={"strategy": "Rolling", "preferences": {"min_healthy_percentage": 90}},
    **placement)
