"""Redis without failover: a replication group with automatic failover off, or a lone Redis cluster node."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
if form == "current":
    aws.elasticache.ReplicationGroup("sessions", description="sessions", node_type="cache.t3.small",
                                     num_cache_clusters=2, automatic_failover_enabled=False, multi_az_enabled=False)
else:
    aws.elasticache.Cluster("sessions", engine="redis", node_type="cache.t3.small", num_cache_nodes=1)
