"""Lookup arguments written as strings ("true", "3"): the provider answers with its declared types, and the SDK
checks the answer's types, so a program like this one runs against AWS."""
import pulumi
import pulumi_aws as aws

image = aws.ec2.get_ami(most_recent="true", owners=["amazon"],
                        filters=[{"name": "name", "values": ["al2023-ami-*-x86_64"]}])
zones = aws.get_availability_zones(all_availability_zones="false", state="available")
aws.ec2.LaunchTemplate("web", image_id=image.id, instance_type="t3.micro",
                       metadata_options={"http_tokens": "required"})
pulumi.export("mostRecent", image.most_recent)
pulumi.export("zones", zones.names)
