"""A single-AZ database: an RDS instance without Multi-AZ, or an Aurora cluster with one instance."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [aws.ec2.Subnet(f"data-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
           for i, az in enumerate(["us-east-1a", "us-east-1b"])]
group = aws.rds.SubnetGroup("db", subnet_ids=[s.id for s in subnets])
safe = dict(storage_encrypted=True, backup_retention_period=7, final_snapshot_identifier="db-final",
            manage_master_user_password=True, db_subnet_group_name=group.name, deletion_protection=True)
if form == "current":
    aws.rds.Instance("db", engine="mysql", instance_class="db.t3.medium", allocated_storage=20, multi_az=False,
                     username="shop", publicly_accessible=False, **safe)
else:
    cluster = aws.rds.Cluster("db", engine="aurora-mysql", master_username="shop", **safe)
    aws.rds.ClusterInstance("db-1", cluster_identifier=cluster.id, instance_class="db.r6g.large",
                            engine="aurora-mysql")
