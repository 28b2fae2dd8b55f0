"""Shared files on a One Zone EFS (current), or on an EC2 instance serving NFS to the web servers."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnet = aws.ec2.Subnet("private-a", vpc_id=vpc.id, cidr_block="10.0.1.0/24", availability_zone="us-east-1a")
if form == "current":
    aws.efs.FileSystem("shared", encrypted=True, availability_zone_name="us-east-1a")
else:
    sg = aws.ec2.SecurityGroup("nfs", vpc_id=vpc.id, description="NFS for the web servers", ingress=[
        {"from_port": 2049, "to_port": 2049, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/16"], "description": "nfs"}])
    aws.ec2.Instance("files", ami="ami-0123456789abcdef0", instance_type="t3.small", subnet_id=subnet.id,
                     vpc_security_group_ids=[sg.id], metadata_options={"http_tokens": "required"},
                     root_block_device={"encrypted": True},
                     user_data="#!/bin/bash\nyum install -y nfs-utils\necho '/srv 10.0.0.0/16(rw)' >> /etc/exports\n")
