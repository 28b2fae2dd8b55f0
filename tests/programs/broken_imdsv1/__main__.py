"""IMDSv1 allowed: on a launch template (current) or on a stand-alone instance with no metadata options."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
if form == "current":
    aws.ec2.LaunchTemplate(
        "web", image_id="ami-0123456789abcdef0", instance_type="t3.small",
        metadata_options={"http_tokens": "optional"},
        block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"encrypted": "true"}}])
else:
    aws.ec2.Instance("worker", ami="ami-0123456789abcdef0", instance_type="t3.small",
                     root_block_device={"encrypted": True})
