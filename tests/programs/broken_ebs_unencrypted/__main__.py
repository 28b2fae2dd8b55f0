"""Unencrypted EBS: a launch template volume (current), or a stand-alone aws.ebs.Volume (alternative)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
if form == "current":
    aws.ec2.LaunchTemplate(
        "web", image_id="ami-0123456789abcdef0", instance_type="t3.small", metadata_options={"http_tokens": "required"},
        block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"encrypted": "false", "volume_size": 20}}])
else:
    aws.ebs.Volume("data", availability_zone="us-east-1a", size=10)
