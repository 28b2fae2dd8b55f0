"""A database reachable from the internet: a public RDS instance (current) or a public Aurora cluster instance."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
safe = dict(storage_encrypted=True, backup_retention_period=7, final_snapshot_identifier="db-final",
            manage_master_user_password=True)
if form == "current":
    aws.rds.Instance("db", engine="mysql", instance_class="db.t3.medium", allocated_storage=20, multi_az=True,
                     username="shop", publicly_accessible=True, **safe)
else:
    cluster = aws.rds.Cluster("db", engine="aurora-mysql", master_username="shop", **safe)
    for i in range(2):
        aws.rds.ClusterInstance(f"db-{i}", cluster_identifier=cluster.id, instance_class="db.r6g.large",
                                engine="aurora-mysql", publicly_accessible=i == 1)
