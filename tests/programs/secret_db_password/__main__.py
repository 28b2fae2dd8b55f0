"""Passwords from stack config: secret config is encrypted in the config and the state (like a generated
password) and passes; a plain config value sits in the stack file in clear text and fails."""
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [aws.ec2.Subnet(f"data-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
           for i, az in enumerate(["us-east-1a", "us-east-1b"])]
group = aws.rds.SubnetGroup("db", subnet_ids=[s.id for s in subnets])
safe = dict(engine="mysql", instance_class="db.t3.medium", allocated_storage=20, multi_az=True, username="shop",
            storage_encrypted=True, backup_retention_period=7, db_subnet_group_name=group.name,
            deletion_protection=True)
aws.rds.Instance("db", password=config.require_secret("dbPassword"), final_snapshot_identifier="db-final", **safe)
aws.rds.Instance("db-plain", password=config.require("plainPassword"), final_snapshot_identifier="db-plain-final",
                 **safe)
api = aws.secretsmanager.Secret("api")
aws.secretsmanager.SecretVersion("api", secret_id=api.id, secret_string=config.require_secret("apiKey"))
aws.secretsmanager.SecretVersion("api-plain", secret_id=api.id, secret_string=config.require("plainPassword"))
