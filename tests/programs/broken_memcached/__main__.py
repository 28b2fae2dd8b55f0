"""Memcached with one node (current), or two nodes kept in a single AZ (single-az mode)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [aws.ec2.Subnet(f"data-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
           for i, az in enumerate(["us-east-1a", "us-east-1b"])]
group = aws.elasticache.SubnetGroup("cache", subnet_ids=[s.id for s in subnets])
nodes = {"num_cache_nodes": 1} if form == "current" else {"num_cache_nodes": 2, "az_mode": "single-az"}
aws.elasticache.Cluster("cache", engine="memcached", node_type="cache.t3.small", subnet_group_name=group.name,
                        **nodes)
