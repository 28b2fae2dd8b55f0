"""Breaks the data-service rules: a DynamoDB table without point-in-time recovery and a single-node Redshift
cluster (form current), or a secret version holding a literal (form alternative)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
if form == "current":
    aws.dynamodb.Table("carts", billing_mode="PAY_PER_REQUEST", hash_key="id", attributes=[{"name": "id", "type": "S"}])
    aws.redshift.Cluster("warehouse", cluster_identifier="shop-dw", node_type="ra3.xlplus", cluster_type="single-node",
                         master_username="dwadmin", manage_master_password=True,
                         final_snapshot_identifier="shop-dw-final")
else:
    secret = aws.secretsmanager.Secret("api", description="payment API key")
    aws.secretsmanager.SecretVersion("api", secret_id=secret.id, secret_string="sk_live_51Habcdef")
